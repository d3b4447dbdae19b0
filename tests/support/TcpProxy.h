// A TCP forwarder on loopback between a client under test and a server, so a test can break the connection in the
// middle of a session (as a NAT timeout or a Wi-Fi drop would) without touching the server, and refuse new
// connections for a while.
#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace garage::test {

class TcpProxy : public QObject
{
    Q_OBJECT
public:
    TcpProxy(QHostAddress target, quint16 targetPort, QObject *parent = nullptr);
    ~TcpProxy() override;

    bool listen(QString *error); // on 127.0.0.1, a free port
    quint16 port() const { return m_server.serverPort(); }

    // Aborts every forwarded connection on both sides (the server sees the client vanish, no </stream>).
    void cut();
    // While refusing, new connections are accepted and closed at once (the client sees the server go away).
    void setRefusing(bool refusing) { m_refusing = refusing; }
    int accepted() const { return m_accepted; } // connections forwarded so far
    int refused() const { return m_refused; }
    int open() const { return int(m_pairs.size()); }

private:
    struct Pair {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
    };
    enum class Close { Graceful, Abort };
    void onNewConnection();
    void drop(QTcpSocket *client, Close how);

    QTcpServer m_server;
    QHostAddress m_target;
    quint16 m_targetPort;
    QList<Pair> m_pairs;
    bool m_refusing = false;
    int m_accepted = 0;
    int m_refused = 0;
};

} // namespace garage::test
