// XEP-0363 HTTP upload: finds the server's upload service (QXmpp does not discover it by itself) and uploads JPEGs
// over HTTPS, trusting the same CA as the XMPP link. Each upload (slot request and transfer) has a deadline
// ([xmpp] upload_timeout_seconds): a hanging upload host fails the upload, it never holds anything up.
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
class QXmppHttpUploadManager;
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
    QXmppHttpUploadManager *m_uploads = nullptr;
    QTimer m_discovery; // running while discovery may still find the service
    std::vector<Waiting> m_waiting;
};

} // namespace garage
