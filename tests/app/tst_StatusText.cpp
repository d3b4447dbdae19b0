// What the owner reads in reply to `status` and in the presence line.
#include "app/StatusText.h"

#include <QTest>

using namespace garage;

class TestStatusText : public QObject
{
    Q_OBJECT
private:
    static StatusInfo sample(const QDateTime &now)
    {
        StatusInfo info;
        info.name = QStringLiteral("garage");
        info.cameraState = QStringLiteral("streaming");
        info.cameraFps = 9.96;
        info.lastMotion = now.addSecs(-125);
        info.hasTemperatureSensor = true;
        info.celsius = 4.5;
        info.temperatureTime = now.addSecs(-20);
        info.doorOpen = false;
        info.doorSince = now.addSecs(-7200);
        info.startedAt = now.addSecs(-90000);
        info.version = QStringLiteral("0.1.0");
        info.server = QStringLiteral("example.org (connected)");
        return info;
    }

private Q_SLOTS:
    void statusNamesEverything()
    {
        const QDateTime now = QDateTime::currentDateTime();
        const QString text = formatStatus(sample(now), now);
        QVERIFY2(text.startsWith(QStringLiteral("garage: armed\n")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("camera: streaming, 10.0 fps")));
        QVERIFY(text.contains(QStringLiteral("(2 min ago)")));
        QVERIFY(text.contains(QStringLiteral("temperature: 4.5 °C (20 s ago)")));
        QVERIFY(text.contains(QStringLiteral("door: closed for 2 h")));
        QVERIFY(text.contains(QStringLiteral("up 1 d 1 h · garage-guard 0.1.0 · example.org (connected)")));
    }

    void mutedAndProblems()
    {
        const QDateTime now = QDateTime::currentDateTime();
        StatusInfo info = sample(now);
        info.armed = false;
        info.mutedUntil = now.addSecs(3600);
        info.temperatureProblem = QStringLiteral("CRC check failed");
        info.doorOpen.reset();
        info.lastMotion = {};
        const QString text = formatStatus(info, now);
        QVERIFY(text.contains(QStringLiteral("disarmed, muted until")));
        QVERIFY(text.contains(QStringLiteral("sensor problem: CRC check failed")));
        QVERIFY(text.contains(QStringLiteral("last motion: none since start")));
        QVERIFY(!text.contains(QStringLiteral("door:")));
    }

    // A device missing at start or failing later: status says what and why instead of leaving the line out.
    void devicesAndStorageProblems()
    {
        const QDateTime now = QDateTime::currentDateTime();
        StatusInfo info = sample(now);
        info.cameraState = QStringLiteral("offline (no camera found (devices: none), retrying)");
        info.cameraFps = 0;
        info.doorOpen.reset();
        info.doorProblem = QStringLiteral("cannot open /dev/gpiochip0: No such file or directory");
        info.celsius.reset();
        info.temperatureProblem = QStringLiteral("no DS18B20 under /sys/bus/w1/devices");
        info.storageProblem = QStringLiteral("cannot write /var/lib/garage-guard/events.json: No space left on device");
        const QString text = formatStatus(info, now);
        QVERIFY2(text.contains(QStringLiteral("camera: offline (no camera found (devices: none), retrying)\n")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("door: unknown (cannot open /dev/gpiochip0: No such file or directory)")));
        QVERIFY(text.contains(QStringLiteral("temperature: no reading yet, sensor problem: no DS18B20 under /sys/bus/w1/devices")));
        QVERIFY(text.contains(QStringLiteral("storage: problem (cannot write /var/lib/garage-guard/events.json: No space "
                                             "left on device); alerts still go out, pictures may not be kept")));
    }

    // A door whose state is known but not seen to change (since the start, or since its contact came back) does not
    // claim how long it has been so: "closed for 0 s" would be a guess.
    void doorWithoutASeenChange()
    {
        const QDateTime now = QDateTime::currentDateTime();
        StatusInfo info = sample(now);
        info.doorSince = now;
        info.doorChangeSeen = false;
        const QString text = formatStatus(info, now);
        QVERIFY2(text.contains(QStringLiteral("door: closed (no change seen since %1)")
                                   .arg(now.toString(QStringLiteral("ddd HH:mm")))),
                 qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("closed for")));
    }

    void noSensor()
    {
        const QDateTime now = QDateTime::currentDateTime();
        StatusInfo info = sample(now);
        info.hasTemperatureSensor = false;
        QCOMPARE(formatTemperature(info, now), QStringLiteral("no sensor configured"));
    }

    void presenceLine()
    {
        const QDateTime now = QDateTime::currentDateTime();
        QCOMPARE(formatPresence(sample(now)), QStringLiteral("armed · 4.5 °C · door closed"));
    }
};

QTEST_GUILESS_MAIN(TestStatusText)
#include "tst_StatusText.moc"
