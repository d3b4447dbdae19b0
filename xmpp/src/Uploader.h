// XEP-0363 HTTP upload: finds the server's upload service (QXmpp does not discover it by itself) and uploads JPEGs
// over HTTPS, trusting the same CA as the XMPP link. Each stage of an upload has its own deadline ([xmpp]
// upload_timeout_seconds each): the slot request to the upload service, then the HTTP PUT of the picture. A hanging
// upload service or host fails the upload (saying which stage hung), it never holds anything up.
#pragma once

#include "xmpp/XmppConfig.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <expected>
#include <functional>
#include <vector>

class QXmppClient;
class QXmppUploadRequestManager;
class QXmppDiscoveryIq;

namespace garage {

class Uploader : public QObject
{
    Q_OBJECT
public:
    Uploader(QXmppClient &client, const XmppConfig &config, QObject *parent = nullptr);

    using Done = std::function<void(std::expected<QUrl, QString>)>;

    void discover(const QString &domain); // after each connect
    bool available() const;
    // While discovery is still running (a few seconds after connecting), the upload waits for its outcome.
    void upload(const QByteArray &jpeg, Done done);

private:
    void onItems(const QXmppDiscoveryIq &iq);
    void start(const QByteArray &jpeg, const Done &done);
    void flushWaiting();

    struct Waiting {
        QByteArray jpeg;
        Done done;
    };

    QXmppClient &m_client;
    XmppConfig m_config;
    QNetworkAccessManager m_network;
    QXmppUploadRequestManager *m_requests = nullptr;
    QTimer m_discovery; // running while discovery may still find the service
    std::vector<Waiting> m_waiting;
};

} // namespace garage
