// DS18B20 probes read from a fake w1 sysfs tree with real files: good values, CRC errors, the 85 °C power-on value,
// unplugged probes, several probes, files changing between reads; the factory names what exists.
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

    void choosingProbes()
    {
        auto none = createTemperatureSensor(config(QStringLiteral("ds18b20")));
        QVERIFY(!none);
        QVERIFY2(none.error().contains(QLatin1String("w1-gpio")), qPrintable(none.error()));
        probe(QStringLiteral("28-000000000001"), w1Slave("YES", 1000));
        probe(QStringLiteral("28-000000000002"), w1Slave("YES", 2000));
        auto several = createTemperatureSensor(config(QStringLiteral("ds18b20")));
        QVERIFY(!several);
        QVERIFY(several.error().contains(QLatin1String("28-000000000001, 28-000000000002")));
        auto missing = createTemperatureSensor(config(QStringLiteral("ds18b20:28-0000000000ff")));
        QVERIFY(!missing);
        QVERIFY(missing.error().contains(QLatin1String("28-000000000002")));
        QCOMPARE(readOnce(config(QStringLiteral("ds18b20:28-000000000002"))).celsius, 2.0);
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
        auto dht = createTemperatureSensor(config(QStringLiteral("dht22:gpiochip0:4")));
        QVERIFY(!dht);
        QVERIFY2(dht.error().contains(QLatin1String("gpiochip")), qPrintable(dht.error()));
        auto iio = createTemperatureSensor(config(QStringLiteral("iio:/sys/bus/iio/devices/iio:device9/in_temp_input")));
        QVERIFY(!iio);
        test::writeFile(m_dir.filePath(QStringLiteral("in_temp_input")), "21300\n");
        auto ok = createTemperatureSensor(config(QStringLiteral("iio:") + m_dir.filePath(QStringLiteral("in_temp_input"))));
        QVERIFY(ok);
        QCOMPARE((*ok)->readOnce().celsius, 21.3);
    }
};

QTEST_GUILESS_MAIN(TestDs18b20)
#include "tst_Ds18b20.moc"
