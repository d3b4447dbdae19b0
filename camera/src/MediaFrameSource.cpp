#include "MediaFrameSource.h"

#include "Logging.h"

#include <QFileInfo>

namespace garage {

MediaFrameSource::MediaFrameSource(const CameraConfig &config, const QUrl &url, QObject *parent)
    : FrameSource(config, parent), m_url(url), m_loop(config.loop)
{
}

QString MediaFrameSource::description() const
{
    // never the full URL: it may carry a password (rtsp://user:pass@...)
    return m_url.isLocalFile() ? QStringLiteral("file %1").arg(QFileInfo(m_url.toLocalFile()).fileName())
                               : QStringLiteral("stream %1://%2").arg(m_url.scheme(), m_url.host());
}

void MediaFrameSource::open()
{
    close();
    if (m_url.isLocalFile() && !QFileInfo::exists(m_url.toLocalFile())) {
        fail(QStringLiteral("%1 does not exist").arg(m_url.toLocalFile()));
        return;
    }
    m_player = new QMediaPlayer(this);
    m_player->setVideoSink(sink());
    m_player->setLoops(m_loop && m_url.isLocalFile() ? QMediaPlayer::Infinite : 1);
    connect(m_player, &QMediaPlayer::errorOccurred, this, [this](QMediaPlayer::Error, const QString &text) {
        fail(text.isEmpty() ? QStringLiteral("media error") : text);
    });
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, [this](QMediaPlayer::MediaStatus status) {
        if (status == QMediaPlayer::EndOfMedia)
            fail(QStringLiteral("end of stream"));
        else if (status == QMediaPlayer::InvalidMedia)
            fail(QStringLiteral("cannot decode %1").arg(description()));
    });
    m_player->setSource(m_url);
    m_player->play();
}

void MediaFrameSource::close()
{
    if (!m_player)
        return;
    m_player->disconnect(this);
    m_player->stop();
    m_player->setVideoSink(nullptr);
    m_player->deleteLater();
    m_player = nullptr;
}

} // namespace garage
