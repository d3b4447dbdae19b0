// XEP-0363 HTTP upload: finds the server's upload service (QXmpp does not discover it by itself) and uploads JPEGs
// over HTTPS, trusting the same CA as the XMPP link.
#pragma once

#include "xmpp/XmppConfig.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <expected>
#include <functional>

class QXmppClient;
class QXmppHttpUploadManager;
class QXmppUploadRequestManager;
class QXmppDiscoveryIq;

namespace garage {

class Uploader : public QObject
{
    Q_OBJECT
public:
    Uploader(QXmppClient &client, const XmppConfig &config, QObject *parent = nullptr);

    void discover(const QString &domain); // after each connect
    bool available() const;
    void upload(const QByteArray &jpeg, std::function<void(std::expected<QUrl, QString>)> done);

private:
    void onItems(const QXmppDiscoveryIq &iq);

    QXmppClient &m_client;
    XmppConfig m_config;
    QNetworkAccessManager m_network;
    QXmppUploadRequestManager *m_requests = nullptr;
    QXmppHttpUploadManager *m_uploads = nullptr;
};

} // namespace garage
