#include "MediaPlayerSource.h"

#include "Logging.h"

#include <QVideoSink>

namespace garage {

MediaPlayerSource::MediaPlayerSource(const CameraConfig &config, const QUrl &url, QObject *parent)
    : FrameSource(config, parent)
    , m_url(url)
{
}

MediaPlayerSource::~MediaPlayerSource()
{
    stop();
}

QString MediaPlayerSource::describeSource() const
{
    return m_url.toDisplayString(QUrl::RemovePassword);
}

void MediaPlayerSource::closeStream()
{
    if (!m_player)
        return;
    m_player->disconnect(this);
    m_sink->disconnect(this);
    m_player->stop();
    m_player->deleteLater();
    m_sink->deleteLater();
    m_player = nullptr;
    m_sink = nullptr;
}

// A fresh player per attempt: a player left in an error state by a vanished network stream does not recover.
void MediaPlayerSource::openStream()
{
    closeStream();
    m_player = new QMediaPlayer(this);
    m_sink = new QVideoSink(this);
    m_player->setVideoSink(m_sink);
    if (config().loop && m_url.isLocalFile())
        m_player->setLoops(QMediaPlayer::Infinite);
    connect(m_sink, &QVideoSink::videoFrameChanged, this, &MediaPlayerSource::deliverFrame);
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, &MediaPlayerSource::onStatus);
    connect(m_player, &QMediaPlayer::errorOccurred, this, &MediaPlayerSource::onError);
    m_player->setSource(m_url);
    m_player->play();
}

void MediaPlayerSource::onStatus(QMediaPlayer::MediaStatus status)
{
    if (status == QMediaPlayer::EndOfMedia)
        reportOffline(QStringLiteral("end of stream"));
    else if (status == QMediaPlayer::InvalidMedia)
        reportOffline(QStringLiteral("invalid media: %1").arg(m_player->errorString()));
}

void MediaPlayerSource::onError(QMediaPlayer::Error error, const QString &text)
{
    if (error == QMediaPlayer::NoError)
        return;
    reportOffline(text.isEmpty() ? QStringLiteral("player error %1").arg(int(error)) : text);
}

} // namespace garage
