// FrameSource over QMediaPlayer + QVideoSink: files, file://, rtsp://, http(s):// MJPEG; loop replays files.
#pragma once

#include "camera/FrameSource.h"

#include <QMediaPlayer>
#include <QUrl>

class QVideoSink;

namespace garage {

class MediaPlayerSource : public FrameSource
{
    Q_OBJECT
public:
    MediaPlayerSource(const CameraConfig &config, const QUrl &url, QObject *parent);
    ~MediaPlayerSource() override;

protected:
    QString describeSource() const override;
    void openStream() override;
    void closeStream() override;

private:
    void onStatus(QMediaPlayer::MediaStatus status);
    void onError(QMediaPlayer::Error error, const QString &text);

    QUrl m_url;
    QMediaPlayer *m_player = nullptr;
    QVideoSink *m_sink = nullptr;
};

} // namespace garage
