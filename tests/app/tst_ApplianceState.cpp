// arm/disarm/mute as the owner sets them: saved off the event loop, survive a restart, and say so when they could
// not be saved. A mute for a duration holds real time; the state file keeps its wall-clock end.
#include "TestUtils.h"
#include "app/ApplianceState.h"
#include "app/Clock.h"
#include "app/JsonFile.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

namespace {
class FakeClock : public Clock
{
public:
    std::chrono::steady_clock::time_point steady{100h};
    QDateTime wall = QDateTime::fromString(QStringLiteral("2026-11-25T10:00:00Z"), Qt::ISODate);
    std::chrono::steady_clock::time_point steadyNow() const override { return steady; }
    QDateTime wallNow() const override { return wall; }
};
} // namespace

class TestApplianceState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void survivesRestart()
    {
        QTemporaryDir dir;
        FakeClock clock;
        AlertsConfig config;
        config.armedAtStart = true;
        {
            StorageWriter writer;
            ApplianceState state(config, dir.path(), writer, clock);
            state.load();
            QVERIFY(state.policy().isArmed());
            auto saved = state.setArmed(false);
            saved.waitForFinished();
            QVERIFY(saved.result());
            saved = state.muteFor(1h);
            saved.waitForFinished();
            QVERIFY(saved.result());
        }
        const auto doc = readJsonFile(dir.filePath(QStringLiteral("state.json")));
        QVERIFY(doc);
        QCOMPARE(doc->object().value(QStringLiteral("muted_until")).toString(), QStringLiteral("2026-11-25T11:00:00Z"));

        StorageWriter writer;
        ApplianceState state(config, dir.path(), writer, clock);
        state.load();
        QVERIFY(!state.policy().isArmed());
        QCOMPARE(state.policy().mutedUntil(state.now()), clock.wall.addSecs(3600)); // restored as a wall end
        QCOMPARE(state.temperatureZone(), QString()); // never told of one
    }

    // After a frost warning the garage is "cold" for the next run too (no second warning after a restart).
    void temperatureZoneSurvivesRestart()
    {
        QTemporaryDir dir;
        FakeClock clock;
        AlertsConfig config;
        {
            StorageWriter writer;
            ApplianceState state(config, dir.path(), writer, clock);
            state.load();
            auto saved = state.setTemperatureZone(QStringLiteral("cold"));
            saved.waitForFinished();
            QVERIFY(saved.result());
        }
        StorageWriter writer;
        ApplianceState state(config, dir.path(), writer, clock);
        state.load();
        QCOMPARE(state.temperatureZone(), QStringLiteral("cold"));
        QVERIFY(state.policy().isArmed()); // the rest keeps its defaults
    }

    void muteForHoldsRealTimeWhenTheWallClockSteps()
    {
        QTemporaryDir dir;
        FakeClock clock;
        StorageWriter writer;
        ApplianceState state(AlertsConfig{}, dir.path(), writer, clock);
        state.muteFor(1h).waitForFinished();
        clock.wall = clock.wall.addSecs(3 * 3600); // NTP steps the clock 3 h forward
        clock.steady += 10min;
        const auto held = state.policy().decide(AlertKind::Motion, state.now());
        QVERIFY(!held.send);
        QVERIFY(held.reason.contains(QLatin1String("muted until")));
        clock.steady += 50min;
        QVERIFY(state.policy().decide(AlertKind::Motion, state.now()).send);
    }

    // A storage directory that cannot be written: the change applies, but the caller learns it was not saved.
    void unsavedChangeSaysWhy()
    {
        QTemporaryDir dir;
        const QString blocked = dir.filePath(QStringLiteral("storage"));
        QVERIFY(test::writeFile(blocked, "not a directory"));
        FakeClock clock;
        StorageWriter writer;
        ApplianceState state(AlertsConfig{}, blocked, writer, clock);
        auto saved = state.setArmed(false);
        saved.waitForFinished();
        QVERIFY(!saved.result());
        QVERIFY2(saved.result().error().contains(QLatin1String("state.json")), qPrintable(saved.result().error()));
        QVERIFY(!state.policy().isArmed()); // in force until a restart
    }
};

QTEST_GUILESS_MAIN(TestApplianceState)
#include "tst_ApplianceState.moc"
