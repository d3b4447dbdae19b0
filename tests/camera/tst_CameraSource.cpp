// A local camera that is not there: the appliance still starts, the source says "no camera found" and keeps looking
// with growing delays until stopped; once the camera appears it streams. The missing path runs for real (this
// machine has no video device); the appearing camera stands in at the hardware edge (the lookup and the opening).
#include "CameraSource.h"

#include <QImage>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QVideoFrame>
#include <algorithm>

using namespace garage;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// A camera at the hardware edge: the lookup finds nothing until `present`, the opened camera sends frames.
class PluggableCameraSource : public CameraSource
{
public:
    explicit PluggableCameraSource(const CameraConfig &config)
        : CameraSource(config, [this] { return look(); }, nullptr)
    {
        m_frames.setInterval(50ms);
        connect(&m_frames, &QTimer::timeout, this, [this] {
            QImage image(64, 48, QImage::Format_RGB32);
            image.fill(Qt::gray);
            deliverFrame(QVideoFrame(image)); // no source timestamp, like a camera that gives none
        });
    }
    ~PluggableCameraSource() override { stop(); }

    bool present = false;
    bool sending = true;
    int lookups = 0;
    int opened = 0;

protected:
    void openCamera(const CameraChoice &) override
    {
        ++opened;
        if (sending)
            m_frames.start();
    }
    void closeStream() override
    {
        m_frames.stop();
        CameraSource::closeStream();
    }

private:
    std::expected<CameraChoice, QString> look()
    {
        ++lookups;
        if (!present)
            return std::unexpected(pickCamera({}, {}, {640, 480}, 15).error()); // what the system lookup says
        return CameraChoice{};
    }
    QTimer m_frames;
};

} // namespace

class tst_CameraSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void missingCameraRetriesUntilStopped_data();
    void missingCameraRetriesUntilStopped();
    void cameraAppearingLaterStreams();
    void supervisionSaysWhatIsStuck();
};

void tst_CameraSource::missingCameraRetriesUntilStopped_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("reason");
    QTest::newRow("the default camera") << u"camera"_s << u"no camera found (no video devices), retrying"_s;
    QTest::newRow("a named camera") << u"camera:garage-guard-no-such-camera"_s << u"no camera found ("_s;
    QTest::newRow("a device node") << u"/dev/video97"_s << u"no camera found ("_s;
}

// Through the real factory and QMediaDevices: createFrameSource succeeds, the source is Offline with "no camera
// found", retries are scheduled with growing delays, and stop() ends them.
void tst_CameraSource::missingCameraRetriesUntilStopped()
{
    QFETCH(QString, source);
    QFETCH(QString, reason);
    if (source == u"camera"_s && !QMediaDevices::videoInputs().isEmpty())
        QSKIP("this machine has a camera");
    CameraConfig config;
    config.source = source;
    auto created = createFrameSource(config);
    QVERIFY2(created.has_value(), qPrintable(created ? QString() : created.error()));
    FrameSource &camera = **created;
    QList<std::pair<std::chrono::milliseconds, int>> retries; // delay, attempt
    connect(&camera, &FrameSource::reconnectScheduled, this,
            [&](std::chrono::milliseconds delay, int attempt) { retries.append({delay, attempt}); });
    camera.start();
    QCOMPARE(camera.state(), FrameSource::State::Offline);
    QVERIFY2(camera.stateReason().startsWith(reason) && camera.stateReason().endsWith(u"), retrying"_s),
             qPrintable(camera.stateReason()));
    QCOMPARE(camera.supervisionProblem(std::chrono::steady_clock::now()), QString()); // a retry is due
    // attempts 1, 2, 3: each delay about twice the one before (1 s, 2 s, 4 s with jitter)
    QTRY_VERIFY_WITH_TIMEOUT(retries.size() >= 3, 15000);
    for (qsizetype i = 0; i < retries.size(); ++i)
        QCOMPARE(retries[i].second, int(i + 1));
    for (qsizetype i = 1; i < retries.size(); ++i) {
        const auto delay = retries[i].first;
        const auto before = retries[i - 1].first;
        QVERIFY2(double(delay.count()) / double(before.count()) > 1.3, qPrintable(u"%1 ms after %2 ms"_s
                                                                                    .arg(delay.count()).arg(before.count())));
    }
    QVERIFY2(camera.stateReason().startsWith(reason), qPrintable(camera.stateReason())); // looked for again each time
    const auto nextDelay = retries.last().first;
    QSignalSpy later(&camera, &FrameSource::reconnectScheduled);
    camera.stop();
    QCOMPARE(camera.state(), FrameSource::State::Offline);
    QCOMPARE(camera.stateReason(), u"stopped"_s);
    QVERIFY2(camera.supervisionProblem(std::chrono::steady_clock::now()).contains(u"no reconnect scheduled"_s),
             qPrintable(camera.supervisionProblem(std::chrono::steady_clock::now())));
    QVERIFY(!later.wait(int(nextDelay.count()) + 1000)); // the attempt that was due never comes
    QCOMPARE(later.size(), 0);
    QCOMPARE(camera.stateReason(), u"stopped"_s);
}

// The camera enumerates late (after a power cut): the lookup runs again on every attempt and, once it finds the
// camera, the source opens it and streams; the backoff starts over.
void tst_CameraSource::cameraAppearingLaterStreams()
{
    PluggableCameraSource camera(CameraConfig{});
    QSignalSpy retries(&camera, &FrameSource::reconnectScheduled);
    std::vector<std::chrono::milliseconds> frames;
    bool sameTime = true; // the snapshot frame and its analysed luma carry one time
    connect(&camera, &FrameSource::frameReady, this, [&](const LumaFrame &f) {
        frames.push_back(f.timestamp);
        sameTime = sameTime && camera.latestFrame().timestamp() == f.timestamp;
    });
    camera.start();
    QCOMPARE(camera.stateReason(), u"no camera found (no video devices), retrying"_s);
    QTRY_VERIFY_WITH_TIMEOUT(retries.size() >= 2, 10000);
    QCOMPARE(camera.lookups, 2); // at start and at attempt 1; attempt 2 is pending
    QCOMPARE(camera.opened, 0);
    camera.present = true; // plugged in
    QTRY_COMPARE_WITH_TIMEOUT(camera.state(), FrameSource::State::Streaming, 10000);
    QCOMPARE(camera.lookups, 3);
    QCOMPARE(camera.opened, 1);
    QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 3, 5000);
    const auto latest = camera.latestFrame();
    QCOMPARE(latest.size(), QSize(64, 48));
    QVERIFY(latest.capturedSteady() <= std::chrono::steady_clock::now());
    QVERIFY(latest.capturedSteady() > std::chrono::steady_clock::now() - 5s);
    QVERIFY(std::abs(latest.capturedAt().secsTo(QDateTime::currentDateTimeUtc())) <= 5);
    QVERIFY(sameTime);
    QVERIFY(std::is_sorted(frames.begin(), frames.end()) && std::adjacent_find(frames.begin(), frames.end()) == frames.end());
    QCOMPARE(camera.supervisionProblem(std::chrono::steady_clock::now()), QString());
    camera.stop();
}

// The watchdog's question, asked at chosen times: fine while streaming, opening within the stall timeout or waiting
// for a retry; otherwise what is stuck.
void tst_CameraSource::supervisionSaysWhatIsStuck()
{
    CameraConfig config;
    config.stallTimeout = 3s;
    PluggableCameraSource camera(config);
    const auto now = [] { return std::chrono::steady_clock::now(); };
    QVERIFY(camera.supervisionProblem(now()).contains(u"no reconnect scheduled (not started)"_s));
    // a retry is scheduled: fine, until it is long overdue
    camera.start();
    QCOMPARE(camera.supervisionProblem(now()), QString());
    QVERIFY2(camera.supervisionProblem(now() + 1h).contains(u"reconnect overdue"_s),
             qPrintable(camera.supervisionProblem(now() + 1h)));
    camera.stop();
    // opening a camera that sends nothing: fine within the stall timeout, stuck long after it
    camera.present = true;
    camera.sending = false;
    camera.start();
    QCOMPARE(camera.state(), FrameSource::State::Starting);
    QCOMPARE(camera.supervisionProblem(now()), QString());
    QVERIFY2(camera.supervisionProblem(now() + 1min).startsWith(u"Starting for "_s),
             qPrintable(camera.supervisionProblem(now() + 1min)));
    camera.stop();
    // streaming: fine; a stream whose frames stopped and nothing noticed is stuck
    camera.sending = true;
    camera.start();
    QTRY_COMPARE_WITH_TIMEOUT(camera.state(), FrameSource::State::Streaming, 5000);
    QCOMPARE(camera.supervisionProblem(now()), QString());
    QVERIFY2(camera.supervisionProblem(now() + 1min).startsWith(u"Streaming but no frame for "_s),
             qPrintable(camera.supervisionProblem(now() + 1min)));
    // stalled: a retry is scheduled at once, fine again
    camera.sending = false;
    camera.stop();
    camera.start();
    QTRY_COMPARE_WITH_TIMEOUT(camera.state(), FrameSource::State::Stalled, 10000);
    QCOMPARE(camera.supervisionProblem(now()), QString());
    camera.stop();
    QVERIFY(camera.supervisionProblem(now()).contains(u"no reconnect scheduled (stopped)"_s));
}

QTEST_MAIN(tst_CameraSource)
#include "tst_CameraSource.moc"
