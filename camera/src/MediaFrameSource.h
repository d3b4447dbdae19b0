// Frames from a file or a network stream (file path, file://, rtsp://, http(s):// MJPEG) through QMediaPlayer.
#pragma once

#include "camera/FrameSource.h"

#include <QMediaPlayer>
#include <QUrl>

namespace garage {

class MediaFrameSource : public FrameSource
{
    Q_OBJECT
public:
    MediaFrameSource(const CameraConfig &config, const QUrl &url, QObject *parent = nullptr);
    QString description() const override;

protected:
    void open() override;
    void close() override;

private:
    QUrl m_url;
    bool m_loop;
    QMediaPlayer *m_player = nullptr; // recreated at each open: a failed ffmpeg pipeline is not reused
};

} // namespace garage
