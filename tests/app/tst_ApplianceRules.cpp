// The appliance's time rules on a FAKE clock, through its seams: a stand-in camera (frames and state changes the test
// chooses, with the stream times it chooses), a stand-in door line (an InputLine over a pipe, the real DoorContact on
// top), the alert sink recording OutgoingAlerts, and a Clock the test steps. Everything else is real (motion detector,
// event tracker, alert policy, event store and pictures on disk).
// The rules that wait for time keep their QTimers, but each timer only asks the rule, and the rule decides on the
// Clock: the test steps the clock and calls Appliance::tick() (what the timers call), so what is checked is the rule's
// decision at a clock reading, never a timer. The one real wait is the door contact's own retry backoff (about 1 s).
#include "LineStandIn.h"
#include "app/Appliance.h"
#include "app/DoorController.h"

#include "sensors/DoorContact.h"
#include "xmpp/XmppLink.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <unistd.h>

using namespace garage;
using namespace garage::test;
using namespace std::chrono_literals;

namespace {

class FakeClock : public Clock
{
public:
    std::chrono::steady_clock::time_point steadyNow() const override { return m_steady; }
    QDateTime wallNow() const override { return m_wall; }
    // Time passes: both clocks move.
    void advance(std::chrono::milliseconds d)
    {
        m_steady += d;
        m_wall = m_wall.addMSecs(d.count());
    }
    // The wall clock is set (NTP, an RTC-less boot): only it moves.
    void stepWall(std::chrono::milliseconds d) { m_wall = m_wall.addMSecs(d.count()); }

private:
    std::chrono::steady_clock::time_point m_steady = std::chrono::steady_clock::now();
    QDateTime m_wall = QDateTime::currentDateTimeUtc();
};

// The camera at the hardware edge: the test hands it frames (a luma for the analysis, a full frame for the picture)
// with their stream time, and state changes.
class StandInCamera : public FrameSource
{
public:
    explicit StandInCamera(const CameraConfig &config) : FrameSource(config, nullptr) {}
    ~StandInCamera() override { stop(); }
    SnapshotFrame latestFrame() const override { return m_latest; }

    // One frame: a grey scene with a bright box of this width (0: none); its full frame is marked in its corner
    // with `marker`, so the alert picture says which frame it was made from.
    void show(int boxWidth, std::chrono::milliseconds at, const cv::Scalar &marker = {255, 0, 0})
    {
        cv::Mat grey(240, 320, CV_8UC1, cv::Scalar(100));
        if (boxWidth > 0)
            cv::rectangle(grey, cv::Rect(40, 60, boxWidth, boxWidth * 3 / 4), cv::Scalar(200), cv::FILLED);
        cv::Mat bgr;
        cv::cvtColor(grey, bgr, cv::COLOR_GRAY2BGR);
        cv::rectangle(bgr, cv::Rect(260, 180, 60, 60), marker, cv::FILLED);
        std::vector<uchar> jpeg;
        cv::imencode(".jpg", bgr, jpeg);
        m_latest = SnapshotFrame(QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size())),
                                 QSize(320, 240), at);
        Q_EMIT frameReady(LumaFrame{grey, at, m_index++, 1});
    }
    void becomes(State state, const QString &reason) { Q_EMIT stateChanged(state, reason); }

protected:
    QString describeSource() const override { return QStringLiteral("stand-in camera"); }
    void openStream() override {}
    void closeStream() override {}

private:
    SnapshotFrame m_latest;
    std::int64_t m_index = 0;
};

} // namespace

class TestApplianceRules : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QList<OutgoingAlert> m_alerts;
    FakeClock *m_clock = nullptr;
    StandInCamera *m_camera = nullptr;
    std::chrono::milliseconds m_streamTime{0};

    AppConfig config(const QString &storage)
    {
        AppConfig c;
        c.xmpp.jid = QStringLiteral("home@localhost");
        c.xmpp.password = QStringLiteral("unused");
        c.xmpp.host = QStringLiteral("127.0.0.1");
        c.xmpp.port = 9; // nothing listens: the link keeps retrying, the alerts are caught at the sink
        c.xmpp.owners = {QStringLiteral("me@localhost")};
        c.camera.source = QStringLiteral("camera");
        c.camera.stallTimeout = 3600s; // the stand-in says when it stalls
        c.storage.dir = m_dir.filePath(storage);
        c.alerts.cameraLostAfter = 30s;
        c.alerts.cooldown = 60s;
        c.motion.eventGap = 1s;
        return c;
    }

    // An appliance on the fake clock with the stand-in camera, started.
    // doorLine: a stand-in door contact line for [door] line.
    std::unique_ptr<Appliance> startAppliance(const AppConfig &c, FakeClock &clock,
                                              std::shared_ptr<LineState> doorLine = nullptr)
    {
        auto appliance = std::make_unique<Appliance>(c, nullptr, &clock);
        if (doorLine)
            appliance->setDoorContactFactory([doorLine](const DoorConfig &dc) -> std::expected<std::unique_ptr<DoorContact>, QString> {
                return std::make_unique<DoorContact>(dc, std::make_unique<LineStandIn>(doorLine));
            });
        appliance->setAlertSink([this](const OutgoingAlert &alert) { m_alerts << alert; });
        appliance->setFrameSourceFactory([this](const CameraConfig &cc) -> std::expected<std::unique_ptr<FrameSource>, QString> {
            auto camera = std::make_unique<StandInCamera>(cc);
            m_camera = camera.get();
            return camera;
        });
        m_clock = &clock;
        m_streamTime = 0ms;
        if (!appliance->start())
            return {};
        return appliance;
    }

    // One analysed frame 100 ms of stream time (and of the clock) after the last.
    void frame(int boxWidth, const cv::Scalar &marker = {255, 0, 0})
    {
        m_streamTime += 100ms;
        m_clock->advance(100ms);
        m_camera->show(boxWidth, m_streamTime, marker);
    }
    // A quiet scene, then motion until an event has started (minimum_motion_frames).
    void startEvent(int boxWidth = 40)
    {
        for (int i = 0; i < 5; ++i)
            frame(0);
        for (int i = 0; i < 3; ++i)
            frame(boxWidth);
    }
    // Quiet frames beyond the event gap: the tracker ends the event.
    void endEventQuietly()
    {
        for (int i = 0; i < 13; ++i)
            frame(0);
    }

    int count(const QString &start) const
    {
        int n = 0;
        for (const OutgoingAlert &a : m_alerts)
            n += a.text.startsWith(start) ? 1 : 0;
        return n;
    }
    std::optional<OutgoingAlert> first(const QString &start) const
    {
        for (const OutgoingAlert &a : m_alerts)
            if (a.text.startsWith(start))
                return a;
        return std::nullopt;
    }
    static QString motionAlert() { return QStringLiteral("Motion in the garage at"); }

private Q_SLOTS:
    void init()
    {
        m_alerts.clear();
    }

    // The cooldown runs on the steady clock: the wall clock set 2 h back does not hold motion alerts for 2 h.
    void cooldownSurvivesAWallClockStepBack()
    {
        FakeClock clock;
        auto appliance = startAppliance(config(QStringLiteral("cooldown")), clock);
        QVERIFY(appliance);
        startEvent();
        QCOMPARE(count(motionAlert()), 0); // not before the alert delay
        clock.advance(2s);
        appliance->tick();
        QTRY_COMPARE(count(motionAlert()), 1);
        endEventQuietly();

        // within the cooldown: held back, saying why
        clock.advance(20s);
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("motion event 2 not alerted:.*cooldown")));
        startEvent();
        clock.advance(2s);
        appliance->tick();
        QTRY_VERIFY(appliance->events().find(2) && appliance->events().find(2)->snapshotFile.size() > 0);
        QCOMPARE(count(motionAlert()), 1);
        endEventQuietly();

        // the wall clock goes 2 h back; the cooldown (60 s of steady time since the first alert) is over
        clock.stepWall(-2h);
        clock.advance(40s);
        startEvent();
        clock.advance(2s);
        appliance->tick();
        QTRY_COMPARE(count(motionAlert()), 2);
        appliance->stop();
    }

    // The alert picture is the best frame of the event's first seconds: the one with the largest change.
    void alertPictureIsTheBestFrame()
    {
        FakeClock clock;
        auto appliance = startAppliance(config(QStringLiteral("best")), clock);
        QVERIFY(appliance);
        startEvent(40);
        frame(120, {0, 0, 255}); // the largest change: marked red
        for (int i = 0; i < 3; ++i)
            frame(60);
        clock.advance(2s);
        appliance->tick();
        QTRY_COMPARE(count(motionAlert()), 1);
        const OutgoingAlert alert = *first(motionAlert());
        QVERIFY(!alert.picture.isEmpty());
        const cv::Mat picture = cv::imread(QString(appliance->events().directory() + QLatin1Char('/') + alert.picture).toStdString());
        QVERIFY(!picture.empty());
        const cv::Scalar corner = cv::mean(picture(cv::Rect(picture.cols * 85 / 100, picture.rows * 80 / 100,
                                                            picture.cols / 10, picture.rows / 10)));
        QVERIFY2(corner[2] > 200 && corner[0] < 60, "the picture is not the frame with the largest change");
        appliance->stop();
    }

    // An event that ends before the alert delay is over is alerted at its end, with its picture.
    void shortEventIsAlertedWithItsPicture()
    {
        FakeClock clock;
        auto appliance = startAppliance(config(QStringLiteral("short")), clock);
        QVERIFY(appliance);
        startEvent();
        endEventQuietly(); // 1.3 s of stream and clock time: within the 2 s delay
        QTRY_COMPARE(count(motionAlert()), 1);
        const OutgoingAlert alert = *first(motionAlert());
        QCOMPARE(alert.picture, QStringLiteral("snapshots/000001.jpg"));
        QVERIFY(QFile::exists(appliance->events().directory() + QStringLiteral("/snapshots/000001.jpg")));
        const auto record = appliance->events().find(1);
        QVERIFY(record && record->end.isValid());
        appliance->stop();
    }

    // An event open when the camera goes offline or stalls ends there and is recorded as ended, saying why.
    void eventEndsWhenTheCameraGoes_data()
    {
        QTest::addColumn<FrameSource::State>("state");
        QTest::addColumn<QString>("said");
        QTest::newRow("offline") << FrameSource::State::Offline << QStringLiteral("ended: camera offline");
        QTest::newRow("stalled") << FrameSource::State::Stalled << QStringLiteral("ended: camera stalled");
    }
    void eventEndsWhenTheCameraGoes()
    {
        QFETCH(FrameSource::State, state);
        QFETCH(QString, said);
        FakeClock clock;
        auto appliance = startAppliance(config(QStringLiteral("ends-") + said.right(7)), clock);
        QVERIFY(appliance);
        startEvent();
        QVERIFY(appliance->events().find(1) && !appliance->events().find(1)->end.isValid());
        m_camera->becomes(state, QStringLiteral("unplugged"));
        const auto record = appliance->events().find(1);
        QVERIFY(record && record->end.isValid());
        QVERIFY2(record->summary.contains(said), qPrintable(record->summary));
        appliance->stop();
    }

    // Camera lost only after the grace, once; back once.
    void cameraLostAfterTheGraceOnceAndBackOnce()
    {
        FakeClock clock;
        auto appliance = startAppliance(config(QStringLiteral("grace")), clock);
        QVERIFY(appliance);
        m_camera->becomes(FrameSource::State::Offline, QStringLiteral("unplugged"));
        clock.advance(29s);
        appliance->tick();
        QCOMPARE(count(QStringLiteral("Camera lost")), 0); // within the grace
        m_camera->becomes(FrameSource::State::Starting, QStringLiteral("reconnecting (attempt 1)"));
        m_camera->becomes(FrameSource::State::Offline, QStringLiteral("still unplugged"));
        clock.advance(2s);
        appliance->tick();
        QCOMPARE(count(QStringLiteral("Camera lost")), 1);
        QCOMPARE(first(QStringLiteral("Camera lost"))->text, QStringLiteral("Camera lost in the garage: still unplugged"));
        clock.advance(10min);
        appliance->tick();
        m_camera->becomes(FrameSource::State::Offline, QStringLiteral("still unplugged"));
        QCOMPARE(count(QStringLiteral("Camera lost")), 1); // once

        m_camera->becomes(FrameSource::State::Streaming, QStringLiteral("320x240"));
        QCOMPARE(count(QStringLiteral("Camera back in the garage after 10 min")), 1); // down since the first Offline
        m_camera->becomes(FrameSource::State::Streaming, QStringLiteral("320x240"));
        clock.advance(1min);
        appliance->tick();
        QCOMPARE(count(QStringLiteral("Camera back")), 1); // once
        QCOMPARE(count(QStringLiteral("Camera lost")), 1);
        appliance->stop();
    }

    // A door move the owner asked for is no intrusion: from the press until travel_seconds + 5 s on the clock, the
    // "door opened" alert and motion alerts are held (saying why in the log); afterwards motion alerts come again.
    void doorMoveAskedForHoldsIntrusionAlerts()
    {
        FakeClock clock;
        AppConfig c = config(QStringLiteral("doormove"));
        c.door.line = QStringLiteral("gpiochip0:17");
        c.door.openAlertAfter = 0s;
        c.door.relayLine = QStringLiteral("sim:") + m_dir.filePath(QStringLiteral("doormove-relay"));
        c.door.travel = 20s;
        c.alerts.cooldown = 0s;
        auto line = std::make_shared<LineState>(); // low: closed
        auto appliance = startAppliance(c, clock, line);
        QVERIFY(appliance);
        DoorController *door = appliance->doorControl();
        QVERIFY(door && door->isSetUp());
        const QString me = QStringLiteral("me@localhost/phone");
        door->ask({me, QStringLiteral("open"), {}, clock.wallNow()}, DoorAction::Open, Replier());
        door->confirm({me, QStringLiteral("yes"), {}, clock.wallNow()}, Replier());
        QFile relay(m_dir.filePath(QStringLiteral("doormove-relay")));
        QVERIFY(relay.open(QIODevice::ReadOnly));
        QVERIFY(relay.readAll().contains("set 1 "));

        line->edge(true); // the door opens
        QTRY_COMPARE(appliance->statusInfo().doorOpen, std::optional<bool>(true));
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("motion event \\d+ not alerted:.*a door move the owner asked for")));
        startEvent();
        clock.advance(2s);
        appliance->tick();
        const auto motionKept = [&] {
            for (const EventRecord &e : appliance->events().latest(10))
                if (e.kind == QLatin1String("motion") && !e.snapshotFile.isEmpty())
                    return true;
            return false;
        };
        QTRY_VERIFY(motionKept()); // in the history, not alerted
        QCOMPARE(count(motionAlert()), 0);
        QCOMPARE(count(QStringLiteral("The garage door opened")), 0);
        endEventQuietly();

        // 25 s after the press the window is over: motion alerts again
        clock.advance(25s);
        startEvent();
        clock.advance(2s);
        appliance->tick();
        QTRY_COMPARE(count(motionAlert()), 1);
        appliance->stop();
    }

    // With door control set up, "left open" tells how to close it.
    void leftOpenOffersClose()
    {
        FakeClock clock;
        AppConfig c = config(QStringLiteral("leftopen"));
        c.door.line = QStringLiteral("gpiochip0:17");
        c.door.openAlertAfter = 1s;
        c.door.relayLine = QStringLiteral("sim:") + m_dir.filePath(QStringLiteral("leftopen-relay"));
        auto line = std::make_shared<LineState>();
        auto appliance = startAppliance(c, clock, line);
        QVERIFY(appliance);
        line->edge(true);
        QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("The garage door has been open")), 1, 5000);
        QCOMPARE(first(QStringLiteral("The garage door has been open"))->text,
                 QStringLiteral("The garage door has been open for 1 s, reply 'close' to close it"));
        appliance->stop();
    }

    // A door whose line fails: status says unknown and why, "lost" once after the grace, "back" once when the line
    // works again, and the status never claims the door has been closed for 0 s.
    void doorHealthEndToEnd()
    {
        FakeClock clock;
        AppConfig c = config(QStringLiteral("door"));
        c.door.line = QStringLiteral("gpiochip0:17");
        c.door.openAlertAfter = 0s;
        auto line = std::make_shared<LineState>();
        auto appliance = std::make_unique<Appliance>(c, nullptr, &clock);
        appliance->setAlertSink([this](const OutgoingAlert &alert) { m_alerts << alert; });
        DoorContact *door = nullptr;
        appliance->setDoorContactFactory([&](const DoorConfig &dc) -> std::expected<std::unique_ptr<DoorContact>, QString> {
            auto contact = std::make_unique<DoorContact>(dc, std::make_unique<LineStandIn>(line));
            door = contact.get();
            return contact;
        });
        QVERIFY(appliance->start());
        QVERIFY(door);
        const auto status = [&] { return formatStatus(appliance->statusInfo(), clock.wallNow()); };
        QVERIFY2(status().contains(QLatin1String("door: closed")), qPrintable(status()));
        QVERIFY2(!status().contains(QLatin1String("closed for 0 s")), qPrintable(status()));

        QSignalSpy availability(door, &DoorContact::availabilityChanged);
        line->readError = QStringLiteral("cannot read line 17: Input/output error");
        line->requestError = QStringLiteral("cannot open /dev/gpiochip0: No such device");
        line->poke();
        QTRY_COMPARE(availability.size(), 1);
        QVERIFY2(status().contains(QLatin1String("door: unknown (cannot ")), qPrintable(status()));
        clock.advance(29s);
        appliance->tick();
        QCOMPARE(count(QStringLiteral("Door contact lost")), 0); // within the grace
        clock.advance(2s);
        appliance->tick();
        QCOMPARE(count(QStringLiteral("Door contact lost")), 1);
        QVERIFY2(first(QStringLiteral("Door contact lost"))->text.startsWith(
                     QLatin1String("Door contact lost in the garage: cannot")),
                 qPrintable(first(QStringLiteral("Door contact lost"))->text));
        clock.advance(5min);
        appliance->tick();
        QCOMPARE(count(QStringLiteral("Door contact lost")), 1); // once
        QVERIFY2(status().contains(QLatin1String("door: unknown (cannot")), qPrintable(status()));

        line->readError.clear();
        line->requestError.clear(); // the contact's next retry (its own backoff, real time) gets the line
        QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("Door contact back in the garage after 5 min")), 1, 15000); // 5 min 31 s
        QVERIFY(door->isKnown());
        QVERIFY2(status().contains(QLatin1String("door: closed")), qPrintable(status()));
        QVERIFY2(!status().contains(QLatin1String("closed for 0 s")), qPrintable(status()));
        clock.advance(1min);
        appliance->tick();
        QCOMPARE(count(QStringLiteral("Door contact back")), 1); // once
        QCOMPARE(count(QStringLiteral("Door contact lost")), 1);
        appliance->stop();
    }
};

QTEST_MAIN(TestApplianceRules)
#include "tst_ApplianceRules.moc"
