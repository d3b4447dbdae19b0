// A clip replayed in a loop (a demo, a test rig) with a person crossing in every loop, decoded for real by
// QMediaPlayer and analysed like the appliance does: the stream time keeps increasing across every loop boundary and
// every crossing is its own event (a stream time restarting at 0 once left one event open for ever).
#include "ClipWriter.h"
#include "camera/FrameSource.h"
#include "motion/EventTracker.h"
#include "motion/MotionDetector.h"

#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

using namespace garage;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_LoopingClipEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyLoopsCrossingIsAnEvent();
};

void tst_LoopingClipEvents::everyLoopsCrossingIsAnEvent()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // 6 s at 10 fps: a person crosses from 1 s to 3 s, then the garage is empty until the loop starts again
    const QString clip = dir.filePath(u"loop.avi"_s);
    const test::Scene scene{{320, 240}, 10, 6, [](cv::Mat &frame, int, double t) {
                                if (t >= 1.0 && t <= 3.0)
                                    test::drawPerson(frame, int(-40 + 400 * (t - 1.0) / 2.0), frame.rows / 2);
                            }};
    QVERIFY(test::writeClip(clip.toStdString(), scene));

    CameraConfig config;
    config.source = clip;
    config.loop = true;
    config.analysisFps = 10;
    auto created = createFrameSource(config);
    QVERIFY(created.has_value());
    FrameSource &source = **created;
    MotionConfig motion;
    motion.eventGap = 2s;
    MotionDetector detector(motion);
    EventTracker tracker(motion);
    std::vector<std::chrono::milliseconds> times;
    std::vector<MotionEvent> ended;
    int started = 0;
    bool snapshotTimeMatches = true, capturedNow = true;
    connect(&source, &FrameSource::frameReady, this, [&](const LumaFrame &f) {
        const auto now = std::chrono::steady_clock::now();
        const SnapshotFrame latest = source.latestFrame();
        snapshotTimeMatches = snapshotTimeMatches && latest.timestamp() == f.timestamp;
        capturedNow = capturedNow && latest.capturedSteady() <= now && latest.capturedSteady() > now - 1s
                      && std::abs(latest.capturedAt().msecsTo(QDateTime::currentDateTimeUtc())) < 1000;
        times.push_back(f.timestamp);
        const auto update = tracker.update(f.timestamp, f.index, detector.process(f.grey, f.timestamp));
        started += update.kind == EventUpdate::Kind::Started;
        if (update.kind == EventUpdate::Kind::Ended)
            ended.push_back(update.event);
    });
    source.start();
    // three loops: three crossings, each ended by the quiet part of its loop
    QTRY_VERIFY_WITH_TIMEOUT(ended.size() >= 3, 45000);
    source.stop();

    QStringList spans;
    for (const MotionEvent &e : ended)
        spans << u"%1..%2"_s.arg(e.start.count()).arg(e.end.count());
    qInfo().noquote() << times.size() << "frames up to" << times.back().count() << "ms; events (ms):" << spans.join(u", "_s);
    QVERIFY2(times.back() > 12s, qPrintable(QString::number(times.back().count()))); // it did loop
    for (std::size_t i = 1; i < times.size(); ++i)
        QVERIFY2(times[i] > times[i - 1], qPrintable(u"frame %1: %2 ms after %3 ms"_s.arg(i)
                                                         .arg(times[i].count()).arg(times[i - 1].count())));
    QVERIFY(snapshotTimeMatches);
    QVERIFY(capturedNow);
    QCOMPARE(started, int(ended.size()) + (tracker.inEvent() ? 1 : 0));
    for (std::size_t i = 0; i < ended.size(); ++i) {
        const MotionEvent &e = ended[i];
        // one crossing of 2 s, not several absorbed into one
        QVERIFY2(e.end - e.start >= 1s && e.end - e.start <= 3s,
                 qPrintable(u"event %1: %2..%3 ms"_s.arg(i).arg(e.start.count()).arg(e.end.count())));
        if (i > 0) { // one per loop: the next crossing a loop later
            const auto apart = e.start - ended[i - 1].start;
            QVERIFY2(apart >= 5500ms && apart <= 7500ms, qPrintable(u"events %1 ms apart"_s.arg(apart.count())));
        }
    }
}

QTEST_MAIN(tst_LoopingClipEvents)
#include "tst_LoopingClipEvents.moc"
