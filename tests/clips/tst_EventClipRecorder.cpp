// Which frames make an event's clip: pre_seconds before the start to the end, cut at max_seconds.
#include "clips/EventClipRecorder.h"

#include <QTest>

using namespace std::chrono_literals;

namespace garage {

namespace {

ClipFrame frameAt(std::chrono::milliseconds t)
{
    return ClipFrame{t, QByteArray(100, 'j'), {}, {}};
}

ClipSettings settings(int preSeconds, int maxSeconds)
{
    ClipSettings s;
    s.preSeconds = std::chrono::seconds(preSeconds);
    s.maxSeconds = std::chrono::seconds(maxSeconds);
    return s;
}

// Feeds a 15 fps camera from `from` to `to` (exclusive); returns the first clip cut at max_seconds, if any.
std::optional<std::vector<ClipFrame>> feed(EventClipRecorder &recorder, std::chrono::milliseconds from,
                                           std::chrono::milliseconds to)
{
    std::optional<std::vector<ClipFrame>> cut;
    for (int n = int(from.count() * 15 / 1000); n * 1000 / 15 < to.count(); ++n)
        if (auto clip = recorder.push(frameAt(std::chrono::milliseconds(n * 1000 / 15))); clip && !cut)
            cut = std::move(clip);
    return cut;
}

} // namespace

class TestEventClipRecorder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clipRunsFromThePreRollToTheEnd_data()
    {
        QTest::addColumn<int>("preSeconds");
        QTest::addColumn<int>("startMs");
        QTest::addColumn<int>("endMs");
        QTest::addColumn<int>("firstMs");
        QTest::addColumn<int>("lastMs");
        QTest::addColumn<int>("frames");
        QTest::newRow("defaults, 4 s event") << 2 << 5000 << 9000 << 3000 << 9000 << 31;
        QTest::newRow("no pre-roll") << 0 << 5000 << 9000 << 5000 << 9000 << 21;
        QTest::newRow("event at stream start: a shorter pre-roll") << 2 << 1000 << 4000 << 0 << 4000 << 21;
        QTest::newRow("5 s pre-roll") << 5 << 8000 << 9000 << 3000 << 9000 << 31;
    }
    void clipRunsFromThePreRollToTheEnd()
    {
        QFETCH(int, preSeconds);
        QFETCH(int, startMs);
        QFETCH(int, endMs);
        QFETCH(int, firstMs);
        QFETCH(int, lastMs);
        QFETCH(int, frames);
        EventClipRecorder recorder(settings(preSeconds, 10));
        QVERIFY(!feed(recorder, 0ms, std::chrono::milliseconds(startMs)));
        recorder.start(std::chrono::milliseconds(startMs));
        QVERIFY(recorder.recording());
        QVERIFY(!feed(recorder, std::chrono::milliseconds(startMs), std::chrono::milliseconds(endMs + 1000)));
        const auto clip = recorder.finish(std::chrono::milliseconds(endMs));
        QVERIFY(clip);
        QVERIFY(!recorder.recording());
        QCOMPARE(clip->front().timestamp.count(), firstMs);
        QVERIFY(std::chrono::milliseconds(lastMs) - clip->back().timestamp < 200ms);
        QVERIFY(clip->back().timestamp <= std::chrono::milliseconds(lastMs));
        QCOMPARE(int(clip->size()), frames);
        QVERIFY(recorder.memoryBytes() == recorder.preRoll().memoryBytes()); // the clip was handed over
    }

    void longEventsAreCutAtMaxSeconds()
    {
        EventClipRecorder recorder(settings(2, 10));
        feed(recorder, 0ms, 5000ms);
        recorder.start(5000ms);
        const auto clip = feed(recorder, 5000ms, 40'000ms);
        QVERIFY(clip);
        QCOMPARE(clip->front().timestamp, 3000ms);
        QVERIFY(clip->back().timestamp < 13'000ms);
        QCOMPARE(int(clip->size()), 50); // 10 s at 5 fps
        QVERIFY(!recorder.recording());
        QVERIFY(!recorder.finish(40'000ms)); // the event's end sends nothing more
    }

    void aSecondStartContinuesTheClip()
    {
        EventClipRecorder recorder(settings(2, 10));
        feed(recorder, 0ms, 5000ms);
        recorder.start(5000ms);
        feed(recorder, 5000ms, 6000ms);
        recorder.start(6000ms);
        feed(recorder, 6000ms, 7000ms);
        const auto clip = recorder.finish(7000ms);
        QVERIFY(clip);
        QCOMPARE(clip->front().timestamp, 3000ms);
    }

    void nothingWithoutAnEvent()
    {
        EventClipRecorder recorder(settings(2, 10));
        QVERIFY(!feed(recorder, 0ms, 30'000ms));
        QVERIFY(!recorder.finish(30'000ms));
        QCOMPARE(recorder.preRoll().size(), 11u);
    }

    void aRestartedSourceDropsTheClip()
    {
        EventClipRecorder recorder(settings(2, 10));
        feed(recorder, 0ms, 5000ms);
        recorder.start(5000ms);
        feed(recorder, 5000ms, 6000ms);
        recorder.push(frameAt(100ms)); // stream time went back: a new stream
        QVERIFY(!recorder.recording());
        QVERIFY(!recorder.finish(6000ms));
    }
};

} // namespace garage

QTEST_GUILESS_MAIN(garage::TestEventClipRecorder)
#include "tst_EventClipRecorder.moc"
