// A network camera that goes away while someone is moving in the garage and comes back: the stream time goes on past
// the outage, the event open when the camera went is ended (finish() on Offline/Stalled, as the appliance does), and
// motion after the camera is back is a new event. The camera is the real MJPEG server, killed and restarted.
#include "ClipWriter.h"
#include "camera/FrameSource.h"
#include "motion/EventTracker.h"
#include "motion/MotionDetector.h"

#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <opencv2/imgcodecs.hpp>

using namespace garage;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_CameraReconnectEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void eventOpenAtAnOutageEndsAndTheNextIsNew();
    void cleanup();

private:
    bool startServer();
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QProcess m_server;
};

void tst_CameraReconnectEvents::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // a person walking across, again and again: motion in every frame the camera serves
    const cv::Mat background = test::garageBackground({320, 240});
    for (int i = 0; i < 20; ++i) {
        cv::Mat frame = background.clone();
        test::drawPerson(frame, 20 + i * 14, 120);
        QVERIFY(cv::imwrite(m_dir.filePath(u"f%1.jpg"_s.arg(i, 2, 10, QLatin1Char('0'))).toStdString(), frame));
    }
    QTcpServer probe; // a free port for this run
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_port = probe.serverPort();
}

bool tst_CameraReconnectEvents::startServer()
{
    m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server.start(u"python3"_s, {QStringLiteral(GARAGE_SOURCE_DIR "/tests/camera/mjpeg_server.py"),
                                  QString::number(m_port), m_dir.path(), u"10"_s});
    if (!m_server.waitForStarted(5000))
        return false;
    return QTest::qWaitFor([&] { return m_server.readAllStandardOutput().contains("ready"); }, 10000);
}

void tst_CameraReconnectEvents::cleanup()
{
    if (m_server.state() != QProcess::NotRunning) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
}

void tst_CameraReconnectEvents::eventOpenAtAnOutageEndsAndTheNextIsNew()
{
    QVERIFY(startServer());
    CameraConfig config;
    config.source = u"http://127.0.0.1:%1/stream.mjpg"_s.arg(m_port);
    config.analysisFps = 10;
    config.stallTimeout = 2s;
    auto created = createFrameSource(config);
    QVERIFY(created.has_value());
    FrameSource &source = **created;
    MotionConfig motion;
    motion.eventGap = 10s; // longer than the outage: only finish() can end the event
    MotionDetector detector(motion);
    EventTracker tracker(motion);
    struct Frame {
        std::chrono::milliseconds time;
        std::chrono::steady_clock::time_point arrived;
    };
    std::vector<Frame> frames;
    std::vector<MotionEvent> startedEvents, finishedEvents;
    bool snapshotTimeMatches = true;
    connect(&source, &FrameSource::frameReady, this, [&](const LumaFrame &f) {
        const SnapshotFrame latest = source.latestFrame();
        snapshotTimeMatches = snapshotTimeMatches && latest.timestamp() == f.timestamp;
        frames.push_back({f.timestamp, latest.capturedSteady()});
        const auto update = tracker.update(f.timestamp, f.index, detector.process(f.grey, f.timestamp));
        QVERIFY(update.kind != EventUpdate::Kind::Ended); // motion all along: nothing ends by itself
        if (update.kind == EventUpdate::Kind::Started)
            startedEvents.push_back(update.event);
    });
    connect(&source, &FrameSource::stateChanged, this, [&](FrameSource::State state) {
        if (state == FrameSource::State::Offline || state == FrameSource::State::Stalled)
            if (const auto ended = tracker.finish(frames.empty() ? 0ms : frames.back().time))
                finishedEvents.push_back(*ended);
    });

    std::chrono::milliseconds firstRetry{};
    connect(&source, &FrameSource::reconnectScheduled, this, [&](std::chrono::milliseconds delay, int attempt) {
        if (attempt == 1)
            firstRetry = delay;
    });

    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(startedEvents.size(), std::size_t(1), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 15, 10000);

    // the camera goes away mid-event
    m_server.kill();
    QVERIFY(m_server.waitForFinished(5000));
    QTRY_COMPARE_WITH_TIMEOUT(finishedEvents.size(), std::size_t(1), 15000);
    QVERIFY(!tracker.inEvent());
    QCOMPARE(finishedEvents[0].start, startedEvents[0].start);
    const std::size_t before = frames.size();
    const Frame lastBefore = frames.back();

    // it comes back; the person is still moving: a new event
    QVERIFY(startServer());
    QTRY_COMPARE_WITH_TIMEOUT(source.state(), FrameSource::State::Streaming, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(startedEvents.size(), std::size_t(2), 15000);
    source.stop();

    QVERIFY(snapshotTimeMatches);
    for (std::size_t i = 1; i < frames.size(); ++i)
        QVERIFY(frames[i].time > frames[i - 1].time);
    const Frame firstAfter = frames[before];
    // the outage is in the stream time, as long as it was on the steady clock
    const auto outage = std::chrono::duration_cast<std::chrono::milliseconds>(firstAfter.arrived - lastBefore.arrived);
    qInfo().noquote() << "stream time" << lastBefore.time.count() << "->" << firstAfter.time.count() << "ms over an outage of"
                      << outage.count() << "ms; events" << startedEvents[0].start.count() << ".."
                      << finishedEvents[0].end.count() << "(finished) and from" << startedEvents[1].start.count();
    QVERIFY2(firstAfter.time - lastBefore.time >= outage - 5ms,
             qPrintable(u"stream %1 ms -> %2 ms over an outage of %3 ms"_s.arg(lastBefore.time.count())
                            .arg(firstAfter.time.count()).arg(outage.count())));
    QVERIFY2(firstRetry > 0ms && outage >= firstRetry, qPrintable(u"outage %1 ms, first retry after %2 ms"_s
                                                                     .arg(outage.count()).arg(firstRetry.count())));
    QVERIFY(startedEvents[1].start >= firstAfter.time);
    QVERIFY(startedEvents[1].start > finishedEvents[0].end);
}

QTEST_MAIN(tst_CameraReconnectEvents)
#include "tst_CameraReconnectEvents.moc"
