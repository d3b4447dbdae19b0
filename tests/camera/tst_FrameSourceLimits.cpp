// What a camera sends is not trusted: a frame over the picture limit ([camera] max_picture_width/height, 8192x8192 by
// default) is dropped before any decode, with one log line for a run of them; a truncated JPEG never reaches the
// motion analysis (its grey fill would look like motion) nor the snapshot.
#include "camera/FrameSource.h"
#include "camera/MjpegStreamParser.h"

#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <QVideoFrame>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace garage;

namespace {

QStringList g_warnings;
QtMessageHandler g_previous = nullptr;

void collect(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && QLatin1String(context.category) == QLatin1String("garage.camera"))
        g_warnings << message;
    g_previous(type, context, message);
}

QByteArray jpegOf(int width, int height)
{
    cv::Mat bgr(height, width, CV_8UC3, cv::Scalar(40, 90, 160));
    cv::circle(bgr, cv::Point(width / 2, height / 2), height / 3, cv::Scalar(250, 250, 250), cv::FILLED);
    std::vector<uchar> out;
    cv::imencode(".jpg", bgr, out);
    return QByteArray(reinterpret_cast<const char *>(out.data()), qsizetype(out.size()));
}

// A small JPEG whose frame header claims 30000x30000: decoded, its colour snapshot would take 2.7 GB.
QByteArray forgedHuge()
{
    QByteArray jpeg = jpegOf(64, 48);
    const qsizetype sof = jpeg.indexOf("\xff\xc0");
    for (const int at : {5, 7}) {
        jpeg[sof + at] = char(0x75);
        jpeg[sof + at + 1] = char(0x30);
    }
    return jpeg;
}

// The camera at the network edge: the test hands it what an MJPEG camera would send.
class JpegCamera : public FrameSource
{
public:
    explicit JpegCamera(const CameraConfig &config) : FrameSource(config, nullptr) {}
    ~JpegCamera() override { stop(); }
    void send(const QByteArray &jpeg) { deliverJpeg(jpeg); }
    void send(const QVideoFrame &frame) { deliverFrame(frame); }

protected:
    QString describeSource() const override { return QStringLiteral("test camera"); }
    void openStream() override {}
    void closeStream() override {}
};

CameraConfig config()
{
    CameraConfig c;
    c.source = QStringLiteral("http://cam.test/video");
    c.analysisFps = 240; // frames are handed in back to back
    return c;
}

} // namespace

class tst_FrameSourceLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { g_previous = qInstallMessageHandler(collect); }
    void cleanupTestCase() { qInstallMessageHandler(g_previous); }
    void init() { g_warnings.clear(); }

    void oversizeJpegIsNeverDecoded()
    {
        JpegCamera camera(config());
        QSignalSpy frames(&camera, &FrameSource::frameReady);
        for (int i = 0; i < 3; ++i)
            camera.send(forgedHuge());
        QCOMPARE(frames.size(), 0);
        QVERIFY2(camera.latestFrame().isNull(), "the oversize frame was kept for a snapshot (decoded in full colour)");
        QCOMPARE(g_warnings.size(), 1); // one line for the run, not one per frame
        QVERIFY2(g_warnings.first().contains(QLatin1String("a 30000x30000 frame is over the 8192x8192 limit")),
                 qPrintable(g_warnings.first()));

        const QByteArray good = jpegOf(320, 240);
        camera.send(good);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(camera.latestFrame().size(), QSize(320, 240));
        camera.send(forgedHuge()); // a new run of oversize frames is told again
        QCOMPARE(g_warnings.size(), 2);
        QCOMPARE(camera.latestFrame().jpeg(), good);
    }

    void limitIsConfigurable()
    {
        CameraConfig c = config();
        c.maxPictureWidth = 300;
        JpegCamera camera(c);
        QSignalSpy frames(&camera, &FrameSource::frameReady);
        camera.send(jpegOf(320, 240));
        QCOMPARE(frames.size(), 0);
        QVERIFY2(!g_warnings.isEmpty() && g_warnings.first().contains(QLatin1String("over the 300x8192 limit")),
                 qPrintable(g_warnings.join(QLatin1Char('\n'))));
        camera.send(QVideoFrame(QImage(400, 16, QImage::Format_RGB32))); // decoded frames are held to it too
        QCOMPARE(frames.size(), 0);
        QVERIFY(camera.latestFrame().isNull());
    }

    void truncatedJpegNeverReachesTheAnalysis()
    {
        JpegCamera camera(config());
        QSignalSpy frames(&camera, &FrameSource::frameReady);
        const QByteArray whole = jpegOf(320, 240);
        const qsizetype scan = whole.indexOf("\xff\xda");
        camera.send(whole.first(scan + (whole.size() - scan) / 2));
        QCOMPARE(frames.size(), 0);
        QVERIFY(camera.latestFrame().isNull());
        QCOMPARE(g_warnings.size(), 1);
        QVERIFY2(g_warnings.first().contains(QLatin1String("truncated JPEG")), qPrintable(g_warnings.first()));
        camera.send(whole);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(camera.latestFrame().jpeg(), whole);
    }
};

QTEST_MAIN(tst_FrameSourceLimits)
#include "tst_FrameSourceLimits.moc"
