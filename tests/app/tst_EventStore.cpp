// The event history an owner reads with `events` and `event <n>`: it survives restarts, keeps snapshots, forgets
// old ones by age and by size, and survives a corrupt file.
#include "TestUtils.h"
#include "app/EventStore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace garage;

class TestEventStore : public QObject
{
    Q_OBJECT
private:
    static EventRecord motion(const QDateTime &start)
    {
        EventRecord e;
        e.kind = QStringLiteral("motion");
        e.start = start;
        e.summary = QStringLiteral("motion, 3 % of the view");
        e.peakPercent = 3;
        return e;
    }

private Q_SLOTS:
    void survivesRestart()
    {
        QTemporaryDir dir;
        const StorageConfig config{dir.path(), 30, 500};
        const QDateTime now = QDateTime::currentDateTimeUtc();
        {
            EventStore store(config);
            QString error;
            QVERIFY(store.open(&error));
            QCOMPARE(store.add(motion(now.addSecs(-60))), 1);
            EventRecord second = motion(now);
            second.id = store.add(second);
            QCOMPARE(second.id, 2);
            second.end = now.addSecs(42);
            second.person = true;
            store.update(second);
            store.attachSnapshot(2, QByteArray("\xff\xd8jpeg-bytes", 12));
        }
        EventStore reopened(config);
        QString error;
        QVERIFY(reopened.open(&error));
        const auto latest = reopened.latest(10);
        QCOMPARE(latest.size(), 2);
        QCOMPARE(latest.first().id, 2); // newest first
        QCOMPARE(latest.first().person, std::optional<bool>(true));
        QCOMPARE(latest.first().end.toSecsSinceEpoch(), now.addSecs(42).toSecsSinceEpoch());
        QCOMPARE(reopened.readSnapshot(2).result(), QByteArray("\xff\xd8jpeg-bytes", 12));
        QVERIFY(reopened.readSnapshot(1).result().isEmpty());
        QCOMPARE(reopened.add(motion(now)), 3); // ids continue
        QVERIFY(!QDir(dir.path()).entryList({QStringLiteral("*.tmp"), QStringLiteral("*~")}, QDir::Files).size());
    }

    void oldEventsExpire()
    {
        QTemporaryDir dir;
        EventStore store(StorageConfig{dir.path(), 7, 500});
        QString error;
        QVERIFY(store.open(&error));
        const int old = store.add(motion(QDateTime::currentDateTimeUtc().addDays(-8)));
        store.attachSnapshot(old, QByteArray(100, 'x'));
        store.waitForWrites();
        store.add(motion(QDateTime::currentDateTimeUtc()));
        store.waitForWrites();
        QVERIFY(!store.find(old));
        QCOMPARE(store.latest(10).size(), 1);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("snapshots/000001.jpg"))));
    }

    void sizeBudgetRemovesOldestSnapshots()
    {
        QTemporaryDir dir;
        EventStore store(StorageConfig{dir.path(), 30, 1}); // 1 MB
        QString error;
        QVERIFY(store.open(&error));
        for (int i = 0; i < 3; ++i) {
            const int id = store.add(motion(QDateTime::currentDateTimeUtc()));
            store.attachSnapshot(id, QByteArray(400 * 1024, char('a' + i)));
            store.waitForWrites();
        }
        QVERIFY(store.readSnapshot(1).result().isEmpty());      // oldest went
        QCOMPARE(store.readSnapshot(3).result().size(), 400 * 1024); // newest kept
        QCOMPARE(store.latest(10).size(), 3);                    // the records stay
    }

    void corruptListIsSetAside()
    {
        QTemporaryDir dir;
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("events.json")), "[{\"id\": 1, \"kin"));
        EventStore store(StorageConfig{dir.path(), 30, 500});
        QString error;
        QVERIFY(store.open(&error));
        QCOMPARE(store.latest(10).size(), 0);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("events.json.bad"))));
        QCOMPARE(store.add(motion(QDateTime::currentDateTimeUtc())), 1);
    }

    void unwritableDirectoryIsAnError()
    {
        EventStore store(StorageConfig{QStringLiteral("/proc/garage-guard-test"), 30, 500});
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY(error.contains(QLatin1String("/proc/garage-guard-test")));
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_EventStore.moc"
