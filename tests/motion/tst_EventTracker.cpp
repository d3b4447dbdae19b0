// The event state machine on frame verdicts and times: gaps end events, finish() (camera offline or stalled) ends
// one so the next motion is a new event, and a time that does not advance can never leave an event stuck open.
#include "motion/EventTracker.h"

#include <QStringList>
#include <QTest>

using namespace garage;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class tst_EventTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transitions_data();
    void transitions();
    void eventEndedByTimeGoingBackKeepsItsSpan();
};

// script: one step per word: "M<ms>" a motion frame, "Q<ms>" a quiet frame, "F" finish().
// expected: one letter per step: '.' nothing, S started, O ongoing, E ended; for F: f an event ended, '-' none open.
void tst_EventTracker::transitions_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("expected");
    QTest::newRow("the gap ends an event") << u"M0 M100 Q200 Q1200"_s << u".SOE"_s;
    QTest::newRow("motion within the gap keeps it") << u"M0 M100 Q900 M1000 Q1900 Q2000"_s << u".SOOOE"_s;
    QTest::newRow("cut at the maximum length") << u"M0 M100 M5000 M10000 M10100 M10200"_s << u".SOE.S"_s;
    QTest::newRow("time going back ends the open event") << u"M0 M100 M200 M50 M150 M250"_s << u".SOE.S"_s;
    QTest::newRow("a stream restarting at 0 mid-event gives a new event")
        << u"M5000 M5100 M5200 M0 M100 M200 Q1300"_s << u".SOE.SE"_s;
    QTest::newRow("time that stops ends it; nothing starts until it moves")
        << u"M0 M100 M100 M100 M200 M300"_s << u".SE..S"_s;
    QTest::newRow("a stopped time does not complete a run") << u"M0 M0 M0 M0"_s << u"...."_s;
    QTest::newRow("finish, then motion is a new event") << u"M0 M100 M200 F M300 M400 Q1400"_s << u".SOf.SE"_s;
    QTest::newRow("finish without an event") << u"M0 F M100 M200"_s << u".-.S"_s;
}

void tst_EventTracker::transitions()
{
    QFETCH(QString, script);
    QFETCH(QString, expected);
    MotionConfig config;
    config.minimumMotionFrames = 2;
    config.eventGap = 1s;
    config.maxEventDuration = 10s;
    EventTracker tracker(config);
    FrameAnalysis moving, quiet;
    moving.motion = true;
    moving.changedPercent = 3;
    moving.boxes = {cv::Rect(10, 10, 40, 80)};
    QString got;
    std::int64_t index = 0;
    std::chrono::milliseconds last{};
    for (const QString &step : script.split(u' ')) {
        if (step == u"F") {
            got += tracker.finish(last) ? u'f' : u'-';
            QVERIFY(!tracker.inEvent());
            continue;
        }
        last = std::chrono::milliseconds(step.mid(1).toLongLong());
        const auto update = tracker.update(last, index++, step.startsWith(u'M') ? moving : quiet);
        constexpr char16_t kinds[] = u".SOE";
        got += QChar(kinds[int(update.kind)]);
        QCOMPARE(tracker.inEvent(), update.kind == EventUpdate::Kind::Started || update.kind == EventUpdate::Kind::Ongoing);
    }
    QCOMPARE(got, expected);
}

// The event cut by a step back in time is the one before the step: its span is on the old timeline, intact.
void tst_EventTracker::eventEndedByTimeGoingBackKeepsItsSpan()
{
    EventTracker tracker(MotionConfig{});
    FrameAnalysis moving;
    moving.motion = true;
    moving.changedPercent = 2;
    for (int i = 0; i < 5; ++i)
        tracker.update(std::chrono::milliseconds(60'000 + i * 100), i, moving);
    QVERIFY(tracker.inEvent());
    const auto cut = tracker.update(0ms, 5, moving);
    QCOMPARE(cut.kind, EventUpdate::Kind::Ended);
    QCOMPARE(cut.event.start, 60'000ms);
    QCOMPARE(cut.event.end, 60'400ms);
    QCOMPARE(cut.event.endFrame, std::int64_t(4));
    QVERIFY(!tracker.inEvent());
}

QTEST_APPLESS_MAIN(tst_EventTracker)
#include "tst_EventTracker.moc"
