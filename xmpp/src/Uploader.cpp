#include "Uploader.h"

#include "Logging.h"

#include <QDateTime>
#include <QMimeDatabase>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppError.h>
#include <QXmppHttpUploadIq.h>
#include <QXmppTask.h>
#include <QXmppUploadRequestManager.h>

namespace garage {

Uploader::Uploader(QXmppClient &client, const XmppConfig &config, QObject *parent)
    : QObject(parent), m_client(client), m_config(config)
{
    m_requests = client.addNewExtension<QXmppUploadRequestManager>();
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
    // done is called once: with the outcome, or when a stage's deadline passes first (that stage is then abandoned)
    struct Attempt {
        Done done;
        bool slotAnswered = false;
    };
    auto attempt = std::make_shared<Attempt>(Attempt{done});
    auto finish = [attempt](std::expected<QUrl, QString> result) {
        if (!attempt->done)
            return;
        const Done call = std::exchange(attempt->done, Done());
        call(std::move(result));
    };
    const auto timeout = m_config.uploadTimeout;
    // stage 1: the slot request (an iq to the upload service)
    QTimer::singleShot(timeout, this, [attempt, finish, timeout] {
        if (attempt->slotAnswered)
            return;
        qCWarning(lcXmpp) << "upload: no slot within" << timeout.count() << "s; given up";
        finish(std::unexpected(
            QStringLiteral("the upload service did not answer the slot request within %1 s").arg(timeout.count())));
    });
    const QString name = QStringLiteral("garage-%1.jpg").arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    m_requests->requestSlot(name, jpeg.size(), QMimeDatabase().mimeTypeForName(QStringLiteral("image/jpeg")), m_config.uploadService)
        .then(this, [this, attempt, finish, jpeg, timeout](QXmppUploadRequestManager::SlotResult &&result) {
            attempt->slotAnswered = true;
            if (!attempt->done)
                return; // too late: already given up
            if (const auto *error = std::get_if<QXmppError>(&result)) {
                finish(std::unexpected(QStringLiteral("the upload service refused a slot: %1").arg(error->description)));
                return;
            }
            const auto &slot = std::get<QXmppHttpUploadSlotIq>(result);
            if (slot.putUrl().scheme() != QLatin1String("https") || slot.getUrl().scheme() != QLatin1String("https")) {
                finish(std::unexpected(QStringLiteral("the upload service handed out a slot that is not https")));
                return;
            }
            // stage 2: the transfer (HTTP PUT)
            QNetworkRequest request(slot.putUrl());
            const auto headers = slot.putHeaders();
            for (auto it = headers.cbegin(); it != headers.cend(); ++it)
                if (const QString key = it.key().toLower();
                    key == QLatin1String("authorization") || key == QLatin1String("cookie") || key == QLatin1String("expires"))
                    request.setRawHeader(it.key().toUtf8(), it.value().toUtf8()); // the headers XEP-0363 allows
            request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("image/jpeg"));
            request.setHeader(QNetworkRequest::ContentLengthHeader, jpeg.size());
            QNetworkReply *reply = m_network.put(request, jpeg);
            QTimer::singleShot(timeout, reply, [reply, finish, timeout] {
                qCWarning(lcXmpp) << "upload: transfer not finished within" << timeout.count() << "s; aborted";
                finish(std::unexpected(QStringLiteral("the upload did not finish within %1 s").arg(timeout.count())));
                reply->abort();
            });
            connect(reply, &QNetworkReply::finished, this, [reply, finish, url = slot.getUrl()] {
                reply->deleteLater();
                if (reply->error() == QNetworkReply::NoError)
                    finish(url);
                else
                    finish(std::unexpected(QStringLiteral("upload failed: %1").arg(reply->errorString())));
            });
        });
}

} // namespace garage
