// Choosing the local camera and its format from what QMediaDevices lists (no camera needed).
#include "camera/CameraMatcher.h"

#include <QTest>

using namespace garage;
using namespace Qt::StringLiterals;
using PF = QVideoFrameFormat::PixelFormat;

namespace {

QList<CameraDeviceInfo> twoCameras()
{
    return {
        {"/dev/video0", QStringLiteral("HD Pro Webcam C920"), false, {}},
        {"/dev/video2", QStringLiteral("Raspberry Pi Camera Module 3"), true, {}},
    };
}

SourceSpec spec(const QString &text)
{
    return *parseSourceSpec(text);
}

} // namespace

class tst_CameraMatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchDevice_data();
    void matchDevice();
    void noMatchNamesTheDevices();
    void noCameraAtAll();
    void pickSaysWhatIsMissing_data();
    void pickSaysWhatIsMissing();
    void nearestFormat_data();
    void nearestFormat();
};

void tst_CameraMatcher::matchDevice_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("expected");
    QTest::newRow("default device is the one marked default") << u"camera"_s << 1;
    QTest::newRow("device node exact") << u"/dev/video0"_s << 0;
    QTest::newRow("id exact via camera:") << u"camera:/dev/video2"_s << 1;
    QTest::newRow("description substring, any case") << u"camera:c920"_s << 0;
    QTest::newRow("description words") << u"camera:Pi Camera"_s << 1;
}

void tst_CameraMatcher::matchDevice()
{
    QFETCH(QString, source);
    QFETCH(int, expected);
    const auto index = matchCameraDevice(spec(source), twoCameras());
    QVERIFY2(index.has_value(), qPrintable(index ? QString() : index.error()));
    QCOMPARE(int(*index), expected);
}

void tst_CameraMatcher::noMatchNamesTheDevices()
{
    for (const auto &source : {u"camera:logitech brio"_s, u"/dev/video7"_s}) {
        const auto index = matchCameraDevice(spec(source), twoCameras());
        QVERIFY(!index.has_value());
        QVERIFY2(index.error().contains(u"HD Pro Webcam C920 (/dev/video0)"_s), qPrintable(index.error()));
        QVERIFY(index.error().contains(u"Raspberry Pi Camera Module 3 (/dev/video2)"_s));
    }
    // a device node is matched exactly, not as a substring (/dev/video1 must not pick /dev/video10)
    QList<CameraDeviceInfo> ten{{"/dev/video10", u"Cam"_s, true, {}}};
    QVERIFY(!matchCameraDevice(spec(u"/dev/video1"_s), ten).has_value());
    // without a default flag the first device is the default
    ten.front().isDefault = false;
    QCOMPARE(matchCameraDevice(spec(u"camera"_s), ten).value_or(-1), 0);
}

void tst_CameraMatcher::noCameraAtAll()
{
    const auto index = matchCameraDevice(spec(u"camera"_s), {});
    QVERIFY(!index.has_value());
    QVERIFY2(index.error().contains(u"no camera"_s), qPrintable(index.error()));
    QCOMPARE(describeCameraDevices({}), u"none"_s);
}

// What the source says while it waits for its camera: what exists (or that nothing does), and that it keeps trying.
void tst_CameraMatcher::pickSaysWhatIsMissing_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("cameras");
    QTest::addColumn<QString>("expected"); // the reason, or the index of the device picked
    QTest::newRow("default, no devices") << u"camera"_s << false << u"no camera found (no video devices), retrying"_s;
    QTest::newRow("named, no devices") << u"camera:C920"_s << false << u"no camera found (no video devices), retrying"_s;
    QTest::newRow("named, others exist") << u"camera:brio"_s << true
        << u"no camera found ('brio' matches none of: HD Pro Webcam C920 (/dev/video0), Raspberry Pi Camera Module 3 "
           u"(/dev/video2)), retrying"_s;
    QTest::newRow("node, others exist") << u"/dev/video7"_s << true
        << u"no camera found ('/dev/video7' matches none of: HD Pro Webcam C920 (/dev/video0), Raspberry Pi Camera "
           u"Module 3 (/dev/video2)), retrying"_s;
    QTest::newRow("found") << u"camera:c920"_s << true << u"0"_s;
    QTest::newRow("default found") << u"camera"_s << true << u"1"_s;
}

void tst_CameraMatcher::pickSaysWhatIsMissing()
{
    QFETCH(QString, source);
    QFETCH(bool, cameras);
    QFETCH(QString, expected);
    const auto pick = pickCamera(spec(source), cameras ? twoCameras() : QList<CameraDeviceInfo>{}, {640, 480}, 15);
    QCOMPARE(pick ? QString::number(pick->device) : pick.error(), expected);
    if (pick)
        QCOMPARE(pick->format, qsizetype(-1)); // these list no formats: the camera's default
}

void tst_CameraMatcher::nearestFormat_data()
{
    QTest::addColumn<QList<CameraFormatInfo>>("formats");
    QTest::addColumn<QSize>("wanted");
    QTest::addColumn<int>("fps");
    QTest::addColumn<int>("expected");
    const QList<CameraFormatInfo> c920{
        {{1920, 1080}, 5, 30, PF::Format_Jpeg}, {{1280, 720}, 5, 30, PF::Format_Jpeg},
        {{640, 480}, 5, 30, PF::Format_Jpeg},   {{640, 480}, 5, 30, PF::Format_YUYV},
        {{320, 240}, 5, 30, PF::Format_YUYV},   {{1920, 1080}, 2, 5, PF::Format_YUYV},
    };
    QTest::newRow("exact size prefers raw YUV over JPEG") << c920 << QSize(640, 480) << 15 << 3;
    QTest::newRow("720p") << c920 << QSize(1280, 720) << 15 << 1;
    QTest::newRow("1080p at 30 fps takes the JPEG that reaches it") << c920 << QSize(1920, 1080) << 30 << 0;
    QTest::newRow("800x600 nearest is 640x480") << c920 << QSize(800, 600) << 15 << 3;
    const QList<CameraFormatInfo> slow{{{640, 480}, 1, 10, PF::Format_YUYV}, {{640, 480}, 1, 7, PF::Format_YUYV}};
    QTest::newRow("no format reaches fps: the closest") << slow << QSize(640, 480) << 15 << 0;
    QTest::newRow("empty") << QList<CameraFormatInfo>{} << QSize(640, 480) << 15 << -1;
}

void tst_CameraMatcher::nearestFormat()
{
    QFETCH(QList<CameraFormatInfo>, formats);
    QFETCH(QSize, wanted);
    QFETCH(int, fps);
    QFETCH(int, expected);
    QCOMPARE(int(nearestCameraFormat(formats, wanted, fps)), expected);
}

QTEST_GUILESS_MAIN(tst_CameraMatcher)
#include "tst_CameraMatcher.moc"
