// A TCP port that accepts connections and never says a word (a hung server, a black-holed upload host): the sockets
// are held open until close().
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace garage::test {

class SilentServer : public QObject
{
    Q_OBJECT
public:
    explicit SilentServer(QObject *parent = nullptr);
    ~SilentServer() override;

    bool listen(quint16 port, QString *error); // on 127.0.0.1
    void close();                              // stops listening and drops what it holds
    int accepted() const { return m_accepted; }

private:
    QTcpServer m_server;
    QList<QPointer<QTcpSocket>> m_held;
    int m_accepted = 0;
};

} // namespace garage::test
