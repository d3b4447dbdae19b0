#include "TcpProxy.h"

namespace garage::test {

TcpProxy::TcpProxy(QHostAddress target, quint16 targetPort, QObject *parent)
    : QObject(parent), m_target(std::move(target)), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

TcpProxy::~TcpProxy()
{
    cut();
}

bool TcpProxy::listen(QString *error)
{
    if (m_server.listen(QHostAddress::LocalHost, 0))
        return true;
    *error = QStringLiteral("proxy cannot listen: ") + m_server.errorString();
    return false;
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        client->setParent(this);
        if (m_refusing) {
            ++m_refused;
            client->abort();
            client->deleteLater();
            continue;
        }
        ++m_accepted;
        auto *upstream = new QTcpSocket(this);
        m_pairs.append(Pair{client, upstream});
        // bytes the client sends before the upstream connection is up wait in the client socket's buffer
        auto forward = [client, upstream] {
            if (upstream->state() == QAbstractSocket::ConnectedState)
                upstream->write(client->readAll());
        };
        connect(client, &QTcpSocket::readyRead, this, forward);
        connect(upstream, &QTcpSocket::connected, this, forward);
        connect(upstream, &QTcpSocket::readyRead, this, [client, upstream] { client->write(upstream->readAll()); });
        // one side closing ends the other gracefully (a </stream> in flight still arrives)
        connect(client, &QTcpSocket::disconnected, this, [this, client] { drop(client, Close::Graceful); });
        connect(upstream, &QTcpSocket::disconnected, this, [this, client] { drop(client, Close::Graceful); });
        connect(upstream, &QTcpSocket::errorOccurred, this, [this, client] { drop(client, Close::Graceful); });
        upstream->connectToHost(m_target, m_targetPort);
    }
}

void TcpProxy::drop(QTcpSocket *client, Close how)
{
    for (qsizetype i = 0; i < m_pairs.size(); ++i) {
        if (m_pairs[i].client != client)
            continue;
        const Pair pair = m_pairs.takeAt(i);
        for (QTcpSocket *socket : {pair.client.data(), pair.upstream.data()}) {
            if (!socket)
                continue;
            socket->disconnect(this);
            if (how == Close::Graceful && socket->state() == QAbstractSocket::ConnectedState) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                socket->disconnectFromHost(); // writes what is buffered first
                continue;
            }
            socket->abort();
            socket->deleteLater();
        }
        return;
    }
}

void TcpProxy::cut()
{
    while (!m_pairs.isEmpty())
        drop(m_pairs.first().client, Close::Abort);
}

} // namespace garage::test
