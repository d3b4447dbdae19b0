// Frost/heat alerts as series of readings: one alert per crossing, one recovery, nothing while the value wanders
// inside the hysteresis, and a failing sensor alerts once and recovers once.
#include "sensors/ThresholdMonitor.h"

#include <QTest>

using namespace garage;
using Kind = ThresholdEvent::Kind;

namespace {

TemperatureConfig config()
{
    TemperatureConfig c;
    c.lowCelsius = 2.0;
    c.highCelsius = 35.0;
    c.hysteresisCelsius = 1.0;
    c.staleAfter = std::chrono::minutes(10);
    return c;
}

std::vector<Kind> run(ThresholdMonitor &m, const std::vector<double> &series, QDateTime &t)
{
    std::vector<Kind> kinds;
    for (const double c : series) {
        t = t.addSecs(30);
        TemperatureReading r{c, t, TemperatureReading::Quality::Ok, {}};
        for (const auto &e : m.feed(r, t))
            kinds.push_back(e.kind);
    }
    return kinds;
}

} // namespace

class TestThresholdMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void coldSnap()
    {
        ThresholdMonitor m(config());
        QDateTime t = QDateTime::currentDateTimeUtc();
        const auto kinds = run(m, {6, 4, 2.5, 1.9, 1.2, 0.5, -1, 0.4, 1.5, 2.5, 2.9, 3.0, 4}, t);
        QCOMPARE(kinds, (std::vector<Kind>{Kind::TooCold, Kind::BackToNormal}));
    }

    void oscillationInsideHysteresisAlertsOnce()
    {
        ThresholdMonitor m(config());
        QDateTime t = QDateTime::currentDateTimeUtc();
        const auto kinds = run(m, {2.1, 1.9, 2.2, 1.8, 2.4, 1.95, 2.8, 1.7, 2.9}, t);
        QCOMPARE(kinds, (std::vector<Kind>{Kind::TooCold}));
    }

    void heatAndText()
    {
        ThresholdMonitor m(config());
        QDateTime t = QDateTime::currentDateTimeUtc();
        TemperatureReading r{36.2, t, TemperatureReading::Quality::Ok, {}};
        const auto events = m.feed(r, t);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].text, QStringLiteral("Heat warning: 36.2 °C (above 35.0 °C)"));
        QCOMPARE(run(m, {35.5, 34.5, 33.9}, t), (std::vector<Kind>{Kind::BackToNormal}));
    }

    void disabledThresholds()
    {
        TemperatureConfig c = config();
        c.lowCelsius.reset();
        ThresholdMonitor m(c);
        QDateTime t = QDateTime::currentDateTimeUtc();
        QVERIFY(run(m, {-20, -30}, t).empty());
    }

    void failingSensorAlertsOnceAndRecoversOnce()
    {
        ThresholdMonitor m(config());
        QDateTime t = QDateTime::currentDateTimeUtc();
        run(m, {5}, t);
        std::vector<Kind> kinds;
        for (int i = 0; i < 40; ++i) { // 20 minutes of CRC errors, one reading every 30 s
            t = t.addSecs(30);
            for (const auto &e : m.feed({0, t, TemperatureReading::Quality::Error, QStringLiteral("CRC check failed")}, t)) {
                kinds.push_back(e.kind);
                QVERIFY(e.text.contains(QLatin1String("CRC check failed")));
            }
        }
        QCOMPARE(kinds, (std::vector<Kind>{Kind::SensorFailing}));
        QCOMPARE(run(m, {5, 5}, t), (std::vector<Kind>{Kind::SensorRecovered}));
    }

    void briefFailureIsQuiet()
    {
        ThresholdMonitor m(config());
        QDateTime t = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < 5; ++i) {
            t = t.addSecs(30);
            QVERIFY(m.feed({0, t, TemperatureReading::Quality::Error, QStringLiteral("CRC")}, t).empty());
        }
        QVERIFY(run(m, {5}, t).empty());
    }
};

QTEST_GUILESS_MAIN(TestThresholdMonitor)
#include "tst_ThresholdMonitor.moc"
