#include "SilentServer.h"

namespace garage::test {

SilentServer::SilentServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_accepted;
            connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); }); // read, never answer
            m_held << socket;
        }
    });
}

SilentServer::~SilentServer()
{
    close();
}

bool SilentServer::listen(quint16 port, QString *error)
{
    if (m_server.listen(QHostAddress::LocalHost, port))
        return true;
    *error = m_server.errorString();
    return false;
}

void SilentServer::close()
{
    m_server.close();
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_held))
        if (socket) {
            socket->abort();
            socket->deleteLater();
        }
    m_held.clear();
}

} // namespace garage::test
