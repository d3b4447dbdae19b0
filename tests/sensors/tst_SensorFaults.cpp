// Sensors whose device is missing, late, hanging or gone, with the fault made for real at the hardware edge: a 1-Wire
// tree without the probe, a w1_slave that is a FIFO nobody writes (a hung bus), a read that blocks until released,
// a GPIO chip that does not exist. What the owner sees: error readings that say why, retries, readings as soon as
// the device is there, a shutdown that does not wait for a hung read and never touches a destroyed sensor.
#include "FakeW1Bus.h"
#include "sensors/DoorContact.h"
#include "sensors/TemperatureSensor.h"
#include "sensors/ThresholdMonitor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace garage;
using namespace std::chrono_literals;
using Quality = TemperatureReading::Quality;

namespace {

const QString kProbe = QStringLiteral("28-000005e2fdc3");

TemperatureReading readingAt(const QSignalSpy &spy, qsizetype i)
{
    return spy.at(i).at(0).value<TemperatureReading>();
}

// A read that blocks until the test releases it: a slow sensor under the test's control.
struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    std::atomic<int> entered{0};
    std::atomic<int> returned{0};

    void release()
    {
        {
            const std::lock_guard lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
    TemperatureSensor::ReadFunction reader(double celsius)
    {
        // holds the gate by shared ownership only, as a read function must
        return [gate = shared(), celsius] {
            ++gate->entered;
            std::unique_lock lock(gate->mutex);
            gate->cv.wait(lock, [&] { return gate->open; });
            ++gate->returned;
            return TemperatureReading::ok(celsius);
        };
    }
    std::shared_ptr<Gate> shared() { return m_self.lock(); }
    std::weak_ptr<Gate> m_self;

    static std::shared_ptr<Gate> make()
    {
        auto gate = std::make_shared<Gate>();
        gate->m_self = gate;
        return gate;
    }
};

} // namespace

class TestSensorFaults : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    TemperatureConfig config(const QString &w1Dir, std::chrono::milliseconds readTimeout = 10s)
    {
        TemperatureConfig c;
        c.source = QStringLiteral("ds18b20");
        c.w1Dir = w1Dir;
        c.pollInterval = 2s;
        c.readTimeout = readTimeout;
        return c;
    }
    QString freshDir(const char *name) { return m_tmp.filePath(QString::fromLatin1(name)); }

private Q_SLOTS:
    // The w1 bus has no probe at start (it comes up late after a power cut): the sensor runs, its readings say why,
    // it retries, and the probe is read as soon as it is there.
    void lateProbeIsReadOnceItAppears()
    {
        test::FakeW1Bus bus(freshDir("late"));
        auto sensor = createTemperatureSensor(config(bus.dir()));
        QVERIFY(sensor);
        QSignalSpy readings(sensor->get(), &TemperatureSensor::readingReady);
        (*sensor)->start();
        QTRY_VERIFY_WITH_TIMEOUT(readings.size() >= 3, 10000); // 0 s, ~1 s, ~3 s: retried with backoff
        for (qsizetype i = 0; i < readings.size(); ++i) {
            const auto r = readingAt(readings, i);
            QCOMPARE(r.quality, Quality::Error);
            QCOMPARE(r.reason, QStringLiteral("no DS18B20 in %1 (is the w1-gpio overlay enabled?)").arg(bus.dir()));
        }
        QVERIFY((*sensor)->supervisionProblem(std::chrono::steady_clock::now()).isEmpty()); // retrying is not stuck
        const qsizetype before = readings.size();
        QVERIFY(bus.setProbe(kProbe, 4500));
        QElapsedTimer appeared;
        appeared.start();
        QTRY_VERIFY_WITH_TIMEOUT(readings.size() > before && readingAt(readings, readings.size() - 1).quality == Quality::Ok,
                                 10000);
        qInfo("first good reading %lld ms after the probe appeared (retries capped at the 2 s poll interval)",
              appeared.elapsed());
        QCOMPARE(readingAt(readings, readings.size() - 1).celsius, 4.5);
        QCOMPARE((*sensor)->latest().celsius, 4.5);
        QCOMPARE(readings.size(), before + 1); // no error after the probe came
    }

    // w1_slave is a FIFO nobody writes: the read blocks. After the (short) deadline it is an error reading, the next
    // poll still runs, hung threads do not pile up, the "sensor failing" alert comes, and the sensor reads again
    // once the bus answers.
    void hungReadTimesOutAndPollingGoesOn()
    {
        test::FakeW1Bus bus(freshDir("hung"));
        QVERIFY(bus.hangProbe(kProbe));
        auto sensor = createTemperatureSensor(config(bus.dir(), 500ms));
        QVERIFY(sensor);
        QSignalSpy readings(sensor->get(), &TemperatureSensor::readingReady);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("read timed out after 0.5 s - abandoned")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("read timed out after 0.5 s - abandoned")));
        (*sensor)->start();
        QTRY_VERIFY_WITH_TIMEOUT(readings.size() >= 3, 15000);
        QCOMPARE(readingAt(readings, 0).quality, Quality::Error);
        QCOMPARE(readingAt(readings, 0).reason, QStringLiteral("read timed out after 0.5 s"));
        QCOMPARE(readingAt(readings, 1).reason, QStringLiteral("read timed out after 0.5 s")); // the next poll ran
        // two threads hang now (one abandoned, one current): the third poll reports instead of starting a third
        QCOMPARE(readingAt(readings, 2).reason, QStringLiteral("2 earlier reads are still hung (read timed out after 0.5 s)"));
        QVERIFY((*sensor)->supervisionProblem(std::chrono::steady_clock::now()).isEmpty());

        TemperatureConfig thresholds = config(bus.dir());
        ThresholdMonitor monitor(thresholds);
        const auto first = readingAt(readings, 0);
        QVERIFY(monitor.feed(first, first.steadyTime).empty());
        const auto events = monitor.feed(readingAt(readings, 2), first.steadyTime + thresholds.staleAfter);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].kind, ThresholdEvent::Kind::SensorFailing);
        QVERIFY2(events[0].text.contains(QLatin1String("still hung")), qPrintable(events[0].text));

        QVERIFY(bus.releaseHung(kProbe, 6000)); // the bus answers again
        QTRY_VERIFY_WITH_TIMEOUT(readingAt(readings, readings.size() - 1).quality == Quality::Ok, 10000);
        QCOMPARE((*sensor)->latest().celsius, 6.0);
    }

    // Destroying the sensor while its reads hang returns at once (it does not wait: the read would never end), and
    // the reads that end later never touch the destroyed sensor (ASan would see it).
    void destroyDuringHungRead()
    {
        test::FakeW1Bus bus(freshDir("destroy"));
        QVERIFY(bus.hangProbe(kProbe));
        auto sensor = createTemperatureSensor(config(bus.dir(), 300ms));
        QVERIFY(sensor);
        QSignalSpy readings(sensor->get(), &TemperatureSensor::readingReady);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("read timed out")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("read timed out")));
        (*sensor)->start();
        QTRY_VERIFY_WITH_TIMEOUT(readings.size() >= 2, 10000); // two reads hang in open()
        const std::weak_ptr<const void> threads = (*sensor)->readThreads();
        QElapsedTimer destroying;
        destroying.start();
        sensor->reset(); // must not wait for the hung reads: they end only when released below
        qInfo("destroyed with two hung reads in %lld ms", destroying.elapsed());
        QVERIFY(!threads.expired()); // the reads are still hung
        QVERIFY(bus.releaseHung(kProbe, 7000));
        QTRY_VERIFY_WITH_TIMEOUT(threads.expired(), 10000); // both ended, after the sensor was gone
        QCoreApplication::processEvents();
    }

    // A sensor destroyed while a slow read is in flight, and that read ending at any moment around the destruction.
    void shutdownMidRead()
    {
        for (int round = 0; round < 20; ++round) {
            auto gate = Gate::make();
            auto sensor = std::make_unique<TemperatureSensor>(gate->reader(3.0), QStringLiteral("slow sensor"), 2s, 10s);
            sensor->start();
            QTRY_COMPARE(gate->entered.load(), 1);
            const std::weak_ptr<const void> threads = sensor->readThreads();
            if (round == 0) {
                sensor.reset(); // strictly before the read ends
                gate->release();
            } else {
                std::thread releaser([&gate] { gate->release(); }); // races the destruction
                sensor.reset();
                releaser.join();
            }
            QTRY_VERIFY_WITH_TIMEOUT(threads.expired(), 5000);
            QCOMPARE(gate->returned.load(), 1);
            QCoreApplication::processEvents();
        }
    }

    // stop() in the middle of a read: the read's result is dropped, no reading arrives after stop.
    void stopMidReadDropsTheResult()
    {
        auto gate = Gate::make();
        TemperatureSensor sensor(gate->reader(3.0), QStringLiteral("slow sensor"), 2s, 10s);
        QSignalSpy readings(&sensor, &TemperatureSensor::readingReady);
        sensor.start();
        QTRY_COMPARE(gate->entered.load(), 1);
        sensor.stop();
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("ended: ok$")));
        gate->release();
        QTRY_COMPARE(gate->returned.load(), 1);
        QTest::qWait(200); // the result's queued delivery
        QVERIFY(readings.isEmpty());
        QVERIFY(!sensor.latest().time.isValid()); // nothing taken
        QVERIFY(sensor.supervisionProblem(std::chrono::steady_clock::now() + 1h).isEmpty()); // stopped is not stuck
    }

    // For the watchdog: nothing while polling works; a sensor that has produced nothing for longer than a poll
    // interval plus the read deadline is stuck.
    void supervision()
    {
        test::FakeW1Bus bus(freshDir("supervision"));
        QVERIFY(bus.setProbe(kProbe, 5000));
        auto sensor = createTemperatureSensor(config(bus.dir()));
        QVERIFY(sensor);
        QVERIFY((*sensor)->supervisionProblem(std::chrono::steady_clock::now() + 1h).isEmpty()); // not started
        QSignalSpy readings(sensor->get(), &TemperatureSensor::readingReady);
        (*sensor)->start();
        QTRY_COMPARE(readings.size(), 1);
        const auto now = std::chrono::steady_clock::now();
        QVERIFY((*sensor)->supervisionProblem(now).isEmpty());
        QVERIFY((*sensor)->supervisionProblem(now + 10s).isEmpty()); // within poll 2 s + deadline 10 s + slack
        const QString stuck = (*sensor)->supervisionProblem(now + 1h);
        QVERIFY2(stuck.startsWith(QLatin1String("DS18B20")) && stuck.contains(QLatin1String("no reading for")), qPrintable(stuck));
        (*sensor)->stop();
        QVERIFY((*sensor)->supervisionProblem(now + 1h).isEmpty());
    }

    // No GPIO chip of that name (none at all on this machine): the contact is created, its state is unknown with
    // the reason, it says so once, keeps retrying, and stop() halts the retries.
    void doorWithoutGpioChip()
    {
        DoorConfig c;
        c.line = QStringLiteral("gpiochip-absent-7:3");
        auto door = createDoorContact(c);
        QVERIFY(door);
        QSignalSpy availability(door->get(), &DoorContact::availabilityChanged);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("door contact unavailable: .*gpiochip-absent-7")));
        (*door)->start();
        QVERIFY(!(*door)->isKnown());
        QVERIFY(!(*door)->since().isValid());
        const QString problem = (*door)->problem();
        QVERIFY2(problem.startsWith(QLatin1String("cannot open /dev/gpiochip-absent-7")), qPrintable(problem));
        if (QDir(QStringLiteral("/dev")).entryList({QStringLiteral("gpiochip*")}, QDir::System).isEmpty())
            QVERIFY2(problem.contains(QLatin1String("this machine has no GPIO chip")), qPrintable(problem));
        else
            QVERIFY2(problem.contains(QLatin1String("chips: gpiochip")), qPrintable(problem));
        QCOMPARE(availability.size(), 1);
        QCOMPARE(availability.at(0).at(0).toBool(), false);
        QCOMPARE(availability.at(0).at(1).toString(), problem);
        QVERIFY((*door)->isRetrying());
        QTRY_COMPARE_WITH_TIMEOUT((*door)->failedAttempts(), 2, 5000);
        QCOMPARE(availability.size(), 1);
        QVERIFY((*door)->supervisionProblem(std::chrono::steady_clock::now()).isEmpty());
        (*door)->stop();
        QVERIFY(!(*door)->isRetrying());
        QTest::qWait(3000); // past the next retry (2 s + 20 %)
        QCOMPARE((*door)->failedAttempts(), 2);
        QVERIFY(!(*door)->isKnown());
    }
};

QTEST_GUILESS_MAIN(TestSensorFaults)
#include "tst_SensorFaults.moc"
