// DS18B20 probes read from a fake w1 sysfs tree with real files: good values, CRC errors, the 85 °C power-on value,
// unplugged probes, several probes, files changing between reads; a read that finds no probe names what exists.
#include "TestUtils.h"
#include "sensors/TemperatureSensor.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

namespace {

QByteArray w1Slave(const char *crc, int milli)
{
    return QByteArray("72 01 4b 46 7f ff 0e 10 57 : crc=57 ") + crc + "\n72 01 4b 46 7f ff 0e 10 57 t=" +
           QByteArray::number(milli) + "\n";
}

} // namespace

class TestDs18b20 : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    TemperatureConfig config(const QString &source)
    {
        TemperatureConfig c;
        c.source = source;
        c.w1Dir = m_dir.filePath(QStringLiteral("w1"));
        c.pollInterval = 2s;
        return c;
    }
    void probe(const QString &id, const QByteArray &contents)
    {
        test::writeFile(m_dir.filePath(QStringLiteral("w1/%1/w1_slave").arg(id)), contents);
    }
    static TemperatureReading readOnce(const TemperatureConfig &c)
    {
        auto sensor = createTemperatureSensor(c);
        if (!sensor)
            return TemperatureReading::error(QStringLiteral("factory: ") + sensor.error());
        return (*sensor)->readOnce();
    }

private Q_SLOTS:
    void init()
    {
        QDir(m_dir.filePath(QStringLiteral("w1"))).removeRecursively();
        QDir().mkpath(m_dir.filePath(QStringLiteral("w1/w1_bus_master1")));
    }

    void values_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<double>("celsius");
        QTest::addColumn<QString>("reason");
        QTest::newRow("valid") << w1Slave("YES", 23187) << true << 23.187 << "";
        QTest::newRow("frost") << w1Slave("YES", -1250) << true << -1.25 << "";
        QTest::newRow("crc") << w1Slave("NO", 23187) << false << 0.0 << "CRC";
        QTest::newRow("power-on 85") << w1Slave("YES", 85000) << false << 0.0 << "85";
        QTest::newRow("out of range") << w1Slave("YES", 127000) << false << 0.0 << "range";
        QTest::newRow("truncated") << QByteArray("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n") << false << 0.0 << "malformed";
        QTest::newRow("garbage") << QByteArray("\x01\x02 nonsense\nt=abc\n") << false << 0.0 << "";
        QTest::newRow("empty") << QByteArray() << false << 0.0 << "malformed";
        // a shorted bus reads nine zero bytes, whose CRC is zero too: not 0.000 °C
        QTest::newRow("all-zero scratchpad") << QByteArray("00 00 00 00 00 00 00 00 00 : crc=00 YES\n"
                                                           "00 00 00 00 00 00 00 00 00 t=0\n")
                                             << false << 0.0 << "all-zero scratchpad";
        QTest::newRow("zero degrees, real scratchpad") << QByteArray("00 00 4b 46 7f ff 0c 10 1c : crc=1c YES\n"
                                                                     "00 00 4b 46 7f ff 0c 10 1c t=0\n")
                                                       << true << 0.0 << "";
    }
    void values()
    {
        QFETCH(QByteArray, contents);
        QFETCH(bool, ok);
        QFETCH(double, celsius);
        QFETCH(QString, reason);
        probe(QStringLiteral("28-000005e2fdc3"), contents);
        const auto r = readOnce(config(QStringLiteral("ds18b20")));
        QCOMPARE(r.quality == TemperatureReading::Quality::Ok, ok);
        if (ok)
            QCOMPARE(r.celsius, celsius);
        else
            QVERIFY2(r.reason.contains(reason), qPrintable(r.reason));
        QVERIFY(r.time.isValid());
    }

    void temperatureFileVariant()
    {
        test::writeFile(m_dir.filePath(QStringLiteral("w1/28-00000abcdef0/temperature")), "4500\n");
        const auto r = readOnce(config(QStringLiteral("ds18b20:28-00000abcdef0")));
        QCOMPARE(r.quality, TemperatureReading::Quality::Ok);
        QCOMPARE(r.celsius, 4.5);
    }

    // A missing or ambiguous probe is not a bad configuration (after a power cut a probe can come up late): the
    // sensor is made, and its readings say what the bus has.
    void choosingProbes()
    {
        const auto none = readOnce(config(QStringLiteral("ds18b20")));
        QCOMPARE(none.quality, TemperatureReading::Quality::Error);
        QCOMPARE(none.reason, QStringLiteral("no DS18B20 in %1 (is the w1-gpio overlay enabled?)").arg(m_dir.filePath(QStringLiteral("w1"))));
        probe(QStringLiteral("28-000000000001"), w1Slave("YES", 1000));
        probe(QStringLiteral("28-000000000002"), w1Slave("YES", 2000));
        const auto several = readOnce(config(QStringLiteral("ds18b20")));
        QCOMPARE(several.quality, TemperatureReading::Quality::Error);
        QVERIFY2(several.reason.contains(QLatin1String("several DS18B20")), qPrintable(several.reason));
        QVERIFY(several.reason.contains(QLatin1String("28-000000000001, 28-000000000002")));
        const auto missing = readOnce(config(QStringLiteral("ds18b20:28-0000000000ff")));
        QCOMPARE(missing.quality, TemperatureReading::Quality::Error);
        QVERIFY2(missing.reason.contains(QLatin1String("no DS18B20 28-0000000000ff")), qPrintable(missing.reason));
        QVERIFY(missing.reason.contains(QLatin1String("found: 28-000000000001, 28-000000000002")));
        QCOMPARE(readOnce(config(QStringLiteral("ds18b20:28-000000000002"))).celsius, 2.0);
        const auto malformed = createTemperatureSensor(config(QStringLiteral("ds18b20:10-000000000002")));
        QVERIFY(!malformed); // only a bad spec fails
        QVERIFY2(malformed.error().contains(QLatin1String("28-")), qPrintable(malformed.error()));
    }

    // The only probe is chosen on the first read that finds it and kept when a second appears; when it goes, the
    // next single probe (a replacement) is taken.
    void theOnlyProbeIsKept()
    {
        probe(QStringLiteral("28-000000000001"), w1Slave("YES", 1000));
        auto sensor = createTemperatureSensor(config(QStringLiteral("ds18b20")));
        QVERIFY(sensor);
        QCOMPARE((*sensor)->readOnce().celsius, 1.0);
        probe(QStringLiteral("28-000000000002"), w1Slave("YES", 2000));
        QCOMPARE((*sensor)->readOnce().celsius, 1.0);
        QDir(m_dir.filePath(QStringLiteral("w1/28-000000000001"))).removeRecursively();
        QVERIFY((*sensor)->readOnce().reason.contains(QLatin1String("unplugged")));
        QCOMPARE((*sensor)->readOnce().celsius, 2.0);
    }

    void unpluggedAndChangingFiles()
    {
        probe(QStringLiteral("28-000005e2fdc3"), w1Slave("YES", 5000));
        auto sensor = createTemperatureSensor(config(QStringLiteral("ds18b20")));
        QVERIFY(sensor);
        QCOMPARE((*sensor)->readOnce().celsius, 5.0);
        probe(QStringLiteral("28-000005e2fdc3"), w1Slave("YES", 1500)); // the file changes between reads
        QCOMPARE((*sensor)->readOnce().celsius, 1.5);
        QDir(m_dir.filePath(QStringLiteral("w1/28-000005e2fdc3"))).removeRecursively(); // unplugged
        const auto gone = (*sensor)->readOnce();
        QCOMPARE(gone.quality, TemperatureReading::Quality::Error);
        QVERIFY(gone.reason.contains(QLatin1String("unplugged")));
    }

    void pollingDeliversOnTheOwnersThread()
    {
        probe(QStringLiteral("28-000005e2fdc3"), w1Slave("YES", 7000));
        auto sensor = createTemperatureSensor(config(QStringLiteral("ds18b20")));
        QSignalSpy spy(sensor->get(), &TemperatureSensor::readingReady);
        (*sensor)->start();
        QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 5000); // the first reading right after start
        QCOMPARE(spy.at(0).at(0).value<TemperatureReading>().celsius, 7.0);
        QCOMPARE((*sensor)->latest().celsius, 7.0);
        (*sensor)->stop();
    }

    void otherSourcesNameWhatIsMissing()
    {
        // no chip of that name on any machine: the error names the chip and what the machine has
        auto dht = createTemperatureSensor(config(QStringLiteral("dht22:gpiochip-absent-7:4")));
        QVERIFY(dht);
        QCOMPARE((*dht)->description(), QStringLiteral("DHT22 on gpiochip-absent-7:4"));
        const auto dhtReading = (*dht)->readOnce();
        QCOMPARE(dhtReading.quality, TemperatureReading::Quality::Error);
        QVERIFY2(dhtReading.reason.contains(QLatin1String("cannot open /dev/gpiochip-absent-7")), qPrintable(dhtReading.reason));
        QVERIFY(dhtReading.reason.contains(QLatin1String("chip"))); // "chips: ..." or "this machine has no GPIO chip"
        const QString iioPath = m_dir.filePath(QStringLiteral("iio/in_temp_input"));
        auto iio = createTemperatureSensor(config(QStringLiteral("iio:") + iioPath));
        QVERIFY(iio);
        const auto missing = (*iio)->readOnce();
        QCOMPARE(missing.quality, TemperatureReading::Quality::Error);
        QCOMPARE(missing.reason, QStringLiteral("cannot read %1 (is the dht11 overlay loaded?)").arg(iioPath));
        test::writeFile(iioPath, "21300\n"); // the overlay is loaded later: the same sensor reads it
        QCOMPARE((*iio)->readOnce().celsius, 21.3);
    }
};

QTEST_GUILESS_MAIN(TestDs18b20)
#include "tst_Ds18b20.moc"
