// FrameSource over an MJPEG network camera (http(s):// serving multipart/x-mixed-replace), read with
// QNetworkAccessManager and split by MjpegStreamParser. Each analysed JPEG is decoded straight to grey; the JPEG
// bytes themselves are the snapshot frame. Files, rtsp:// and the rest go through MediaPlayerSource.
#pragma once

#include "camera/FrameSource.h"
#include "camera/MjpegStreamParser.h"

#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace garage {

class MjpegHttpSource : public FrameSource
{
    Q_OBJECT
public:
    MjpegHttpSource(const CameraConfig &config, const QUrl &url, QObject *parent);
    ~MjpegHttpSource() override;

protected:
    QString describeSource() const override;
    void openStream() override;
    void closeStream() override;

private:
    void onMetaData();
    void onReadyRead();
    void onFinished();

    QUrl m_url;
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    MjpegStreamParser m_parser;
    bool m_accepted = false; // the response is a multipart stream
};

} // namespace garage
