#include "MjpegHttpSource.h"

#include "Logging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace garage {
namespace {

constexpr qint64 kReadBufferBytes = 1024 * 1024;

} // namespace

MjpegHttpSource::MjpegHttpSource(const CameraConfig &config, const QUrl &url, QObject *parent)
    : FrameSource(config, parent)
    , m_url(url)
    , m_network(new QNetworkAccessManager(this))
{
}

MjpegHttpSource::~MjpegHttpSource()
{
    stop();
}

QString MjpegHttpSource::describeSource() const
{
    return m_url.toDisplayString(QUrl::RemovePassword);
}

void MjpegHttpSource::openStream()
{
    closeStream(); // a stalled connection is abandoned, not waited for
    m_accepted = false; // the parser is made fresh for the response's boundary when it is accepted
    QNetworkRequest request(m_url);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setRawHeader("Accept", "multipart/x-mixed-replace, image/jpeg");
    m_reply = m_network->get(request);
    // bounded: a camera faster than the analysis is slowed by TCP, not buffered without limit
    m_reply->setReadBufferSize(kReadBufferBytes);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &MjpegHttpSource::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &MjpegHttpSource::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &MjpegHttpSource::onFinished);
}

void MjpegHttpSource::closeStream()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void MjpegHttpSource::onMetaData()
{
    if (!m_reply || m_accepted)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return; // headers not complete yet
    const QByteArray type = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    QString problem;
    if (status != 200)
        problem = QStringLiteral("HTTP %1 %2").arg(status)
                      .arg(m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    else if (const auto boundary = MjpegStreamParser::boundaryFromContentType(type))
        m_parser = MjpegStreamParser(*boundary);
    else
        problem = QStringLiteral("not an MJPEG stream (Content-Type '%1'; http(s) sources must serve "
                                 "multipart/x-mixed-replace)").arg(QString::fromLatin1(type));
    if (!problem.isEmpty()) {
        closeStream();
        reportOffline(problem);
        return;
    }
    m_accepted = true;
}

void MjpegHttpSource::onReadyRead()
{
    if (!m_reply)
        return;
    if (!m_accepted) {
        onMetaData();
        if (!m_accepted)
            return;
    }
    m_parser.feed(m_reply->readAll());
    while (auto jpeg = m_parser.next()) {
        deliverJpeg(*jpeg);
        if (!m_reply)
            return; // stopped from a frameReady handler
    }
    if (!m_parser.error().isEmpty()) {
        const QString reason = QStringLiteral("unreadable stream: %1").arg(m_parser.error());
        closeStream();
        reportOffline(reason);
    }
}

void MjpegHttpSource::onFinished()
{
    if (!m_reply)
        return;
    const QString reason = m_reply->error() != QNetworkReply::NoError ? m_reply->errorString()
                                                                       : QStringLiteral("the camera ended the stream");
    closeStream();
    reportOffline(reason);
}

} // namespace garage
