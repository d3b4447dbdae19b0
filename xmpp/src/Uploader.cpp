#include "Uploader.h"

#include "Logging.h"

#include <QBuffer>
#include <QDateTime>
#include <QMimeDatabase>
#include <QNetworkReply>
#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppHttpUploadManager.h>
#include <QXmppTask.h>
#include <QXmppUploadRequestManager.h>

namespace garage {

Uploader::Uploader(QXmppClient &client, const XmppConfig &config, QObject *parent)
    : QObject(parent), m_client(client), m_config(config)
{
    m_requests = client.addNewExtension<QXmppUploadRequestManager>();
    m_uploads = client.addNewExtension<QXmppHttpUploadManager>(&m_network);
    if (config.insecure)
        connect(&m_network, &QNetworkAccessManager::sslErrors, this,
                [](QNetworkReply *reply, const QList<QSslError> &) { reply->ignoreSslErrors(); });
    if (auto *disco = client.findExtension<QXmppDiscoveryManager>())
        connect(disco, &QXmppDiscoveryManager::itemsReceived, this, &Uploader::onItems);
    m_discovery.setSingleShot(true);
    m_discovery.setInterval(std::chrono::seconds(5));
    connect(&m_discovery, &QTimer::timeout, this, &Uploader::flushWaiting);
    connect(m_requests, &QXmppUploadRequestManager::serviceFoundChanged, this, [this] {
        if (available()) {
            m_discovery.stop();
            flushWaiting();
        }
    });
}

void Uploader::discover(const QString &domain)
{
    m_discovery.start();
    if (!m_config.uploadService.isEmpty()) {
        if (auto *disco = m_client.findExtension<QXmppDiscoveryManager>())
            disco->requestInfo(m_config.uploadService);
        return;
    }
    if (auto *disco = m_client.findExtension<QXmppDiscoveryManager>())
        disco->requestItems(domain);
}

void Uploader::onItems(const QXmppDiscoveryIq &iq)
{
    // the upload request manager learns the service from these info replies
    if (auto *disco = m_client.findExtension<QXmppDiscoveryManager>())
        for (const auto &item : iq.items())
            disco->requestInfo(item.jid());
}

bool Uploader::available() const
{
    return m_requests->serviceFound();
}

void Uploader::upload(const QByteArray &jpeg, Done done)
{
    if (!available() && m_discovery.isActive()) {
        m_waiting.push_back({jpeg, std::move(done)});
        return;
    }
    start(jpeg, done);
}

void Uploader::flushWaiting()
{
    auto waiting = std::exchange(m_waiting, {});
    for (const Waiting &w : waiting)
        start(w.jpeg, w.done);
}

void Uploader::start(const QByteArray &jpeg, const Done &done)
{
    if (!available()) {
        done(std::unexpected(QStringLiteral("the server offers no HTTP upload (XEP-0363)")));
        return;
    }
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(jpeg);
    buffer->open(QIODevice::ReadOnly);
    const QString name = QStringLiteral("garage-%1.jpg").arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    auto upload = m_uploads->uploadFile(std::move(buffer), name, QMimeDatabase().mimeTypeForName(QStringLiteral("image/jpeg")),
                                        jpeg.size(), m_config.uploadService);
    // done is called once: with the outcome, or when the deadline passes first (the upload is then cancelled)
    auto once = std::make_shared<Done>(done);
    auto finish = [once](std::expected<QUrl, QString> result) {
        if (!*once)
            return;
        const Done call = std::exchange(*once, Done());
        call(std::move(result));
    };
    auto deadline = std::make_shared<QTimer>();
    deadline->setSingleShot(true);
    const auto timeout = m_config.uploadTimeout;
    connect(deadline.get(), &QTimer::timeout, this, [upload, finish, timeout] {
        qCWarning(lcXmpp) << "upload: no answer within" << timeout.count() << "s; cancelled";
        finish(std::unexpected(QStringLiteral("the upload server did not answer within %1 s").arg(timeout.count())));
        upload->cancel();
    });
    deadline->start(timeout);
    // the connection keeps the upload (and its deadline) alive until it finished, then lets it go
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(upload.get(), &QXmppHttpUpload::finished, this,
                          [upload, finish, connection, deadline](const QXmppHttpUpload::Result &result) {
        QObject::disconnect(*connection);
        deadline->stop();
        if (const auto *url = std::get_if<QUrl>(&result))
            finish(*url);
        else if (const auto *error = std::get_if<QXmppError>(&result))
            finish(std::unexpected(QStringLiteral("upload failed: %1").arg(error->description)));
        else
            finish(std::unexpected(QStringLiteral("upload cancelled")));
    });
}

} // namespace garage
