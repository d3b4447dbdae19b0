// The event history an owner reads with `events` and `event <n>`: it survives restarts, keeps snapshots, forgets
// old ones by age and by size (never because the wall clock leapt), writes its list once per burst of changes,
// and survives a corrupt file.
#include "TestUtils.h"
#include "app/Clock.h"
#include "app/EventStore.h"
#include "app/JsonFile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSemaphore>
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
    void advance(std::chrono::seconds by)
    {
        steady += by;
        wall = wall.addSecs(by.count());
    }
};
} // namespace

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

    // A Pi without RTC: NTP (or a bad fake-hwclock) moves the wall clock a year forward. The history must stay; only
    // real time passing expires it.
    void wallClockLeapDoesNotPruneHistory()
    {
        QTemporaryDir dir;
        FakeClock clock;
        EventStore store(StorageConfig{dir.path(), 7, 500}, nullptr, &clock);
        QString error;
        QVERIFY(store.open(&error));
        const int sixDays = store.add(motion(clock.wall.addDays(-6)));
        const int yesterday = store.add(motion(clock.wall.addDays(-1)));
        store.attachSnapshot(yesterday, QByteArray(100, 'y'));
        store.waitForWrites();

        clock.wall = clock.wall.addYears(1); // the leap
        clock.steady += 1min;
        store.add(motion(clock.wall));
        store.waitForWrites();
        QVERIFY(store.find(yesterday));
        QVERIFY(store.find(sixDays));
        QCOMPARE(store.readSnapshot(yesterday).result(), QByteArray(100, 'y'));

        clock.advance(std::chrono::hours(24 + 12)); // real time passes: the six-day-old one is now 7.5 days old
        store.add(motion(clock.wall));
        store.waitForWrites();
        QVERIFY(!store.find(sixDays));
        QVERIFY(store.find(yesterday));
    }

    // An event changes its record several times (start, picture, end, person): the list is written once for them,
    // shortly after, with every change in it.
    void listWrittenOncePerBurst()
    {
        QTemporaryDir dir;
        EventStore store(StorageConfig{dir.path(), 30, 500});
        QString error;
        QVERIFY(store.open(&error));
        const QString list = dir.filePath(QStringLiteral("events.json"));
        EventRecord record = motion(QDateTime::currentDateTimeUtc());
        record.id = store.add(record);
        record.summary = QStringLiteral("motion 4 s, peak 3.0 % of the view");
        record.end = record.start.addSecs(4);
        store.update(record);
        record.person = true;
        store.update(record);
        QVERIFY(!QFile::exists(list)); // nothing written yet: coalesced
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(list), 5000);
        store.writer().waitForDone();
        const auto doc = readJsonFile(list);
        QVERIFY(doc);
        QCOMPARE(doc->array().size(), 1);
        QCOMPARE(doc->array().first().toObject().value(QStringLiteral("person")).toBool(), true);
        QCOMPARE(doc->array().first().toObject().value(QStringLiteral("summary")).toString(), record.summary);
    }

    void pictureIsReferredToOnceWritten()
    {
        QTemporaryDir dir;
        EventStore store(StorageConfig{dir.path(), 30, 500});
        QString error;
        QVERIFY(store.open(&error));
        const int id = store.add(motion(QDateTime::currentDateTimeUtc()));
        auto written = store.attachSnapshot(id, QByteArray("\xff\xd8picture", 9));
        written.waitForFinished();
        QVERIFY(written.result());
        QCOMPARE(*written.result(), QStringLiteral("snapshots/000001.jpg"));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("snapshots/000001.jpg"))));
        QVERIFY(!store.attachSnapshot(99, "x").result()); // no such event
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

    // events.json is data on a disk, not a list of paths to trust: a picture path other than snapshots/NNNNNN.jpg
    // is never read (event <n>) nor deleted (pruning), and the loader says which event had it.
    void storedPicturePathsAreValidated()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(QStringLiteral("state"));
        const QString outside = root.filePath(QStringLiteral("outside.jpg"));
        QVERIFY(test::writeFile(outside, "\xff\xd8not yours"));
        QVERIFY(test::writeFile(dir + QStringLiteral("/snapshots/000001.jpg"), "\xff\xd8mine"));
        const QString old = QDateTime::currentDateTimeUtc().addDays(-60).toString(Qt::ISODateWithMs);
        const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        QJsonArray list;
        const QStringList paths{QStringLiteral("snapshots/000001.jpg"), QStringLiteral("../outside.jpg"), outside,
                                QStringLiteral("snapshots/../../outside.jpg"), QStringLiteral("snapshots/000002.jpg.x")};
        for (int i = 0; i < paths.size(); ++i) // event 1 is today; the forged ones are old enough to be pruned
            list.append(QJsonObject{{QStringLiteral("id"), i + 1}, {QStringLiteral("kind"), QStringLiteral("motion")},
                                    {QStringLiteral("start"), i == 0 ? now : old},
                                    {QStringLiteral("snapshot"), paths[i]}});
        QVERIFY(test::writeFile(dir + QStringLiteral("/events.json"), QJsonDocument(list).toJson()));
        // a forged event kept for reading: the same paths on an event within retention
        list = QJsonArray{QJsonObject{{QStringLiteral("id"), 9}, {QStringLiteral("kind"), QStringLiteral("motion")},
                                      {QStringLiteral("start"), now}, {QStringLiteral("snapshot"), outside}}};

        QStringList warnings;
        static QStringList *sink = nullptr;
        sink = &warnings;
        const auto previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &m) {
            if (type == QtWarningMsg)
                *sink << m;
        });
        {
            EventStore store(StorageConfig{dir, 30, 500});
            QString error;
            QVERIFY(store.open(&error));
            QCOMPARE(store.readSnapshot(1).result(), QByteArray("\xff\xd8mine"));
            store.add(motion(QDateTime::currentDateTimeUtc())); // prunes the old forged events
            store.waitForWrites();
        }
        qInstallMessageHandler(previous);
        QVERIFY2(QFile::exists(outside), "a forged picture path in events.json deleted a file outside snapshots/");
        QCOMPARE(warnings.filter(QLatin1String("is not snapshots/NNNNNN.jpg")).size(), 4);

        QVERIFY(test::writeFile(dir + QStringLiteral("/events.json"), QJsonDocument(list).toJson()));
        EventStore reopened(StorageConfig{dir, 30, 500});
        QString error;
        QVERIFY(reopened.open(&error));
        QVERIFY(reopened.find(9));
        QCOMPARE(reopened.find(9)->snapshotFile, QString());
        QVERIFY2(reopened.readSnapshot(9).result().isEmpty(), "a forged picture path was read and would be sent");
    }

    // A hung disk must not queue the store's writes without end: past kMaxQueuedPictures a picture is refused
    // (and named nowhere), and the list is written once with the newest state however often it changed meanwhile.
    void writeQueueIsBounded()
    {
        QTemporaryDir dir;
        StorageWriter writer;
        EventStore store(StorageConfig{dir.path(), 30, 500}, &writer);
        QString error;
        QVERIFY(store.open(&error));
        QSemaphore disk;
        writer.run([&disk]() -> StorageWriter::Result { // the disk hangs
            disk.acquire();
            return {};
        });
        const int total = EventStore::kMaxQueuedPictures + 4;
        QList<QFuture<std::expected<QString, QString>>> pictures;
        QList<int> ids;
        for (int i = 0; i < total; ++i) {
            ids << store.add(motion(QDateTime::currentDateTimeUtc()));
            pictures << store.attachSnapshot(ids.last(), QByteArray(100 * 1024, 'j'));
        }
        QCOMPARE(store.queuedWrites(), EventStore::kMaxQueuedPictures);
        for (int i = EventStore::kMaxQueuedPictures; i < total; ++i) {
            QVERIFY2(pictures[i].isFinished() && !pictures[i].result(), "a picture beyond the bound was queued");
            QVERIFY2(pictures[i].result().error().contains(QLatin1String("waiting for the disk")),
                     qPrintable(pictures[i].result().error()));
            QCOMPARE(store.find(ids[i])->snapshotFile, QString());
        }
        QTRY_COMPARE(store.queuedWrites(), EventStore::kMaxQueuedPictures + 1); // the list, once coalesced
        for (int round = 0; round < 3; ++round) { // changes while the list write waits: it takes the newest
            EventRecord record = *store.find(ids.first());
            record.summary = QStringLiteral("round %1").arg(round);
            store.update(record);
            QTest::qWait(400); // past the list's coalescing interval
            QCOMPARE(store.queuedWrites(), EventStore::kMaxQueuedPictures + 1);
        }
        disk.release();
        store.waitForWrites();
        QCOMPARE(store.queuedWrites(), 0);
        const auto doc = readJsonFile(dir.filePath(QStringLiteral("events.json")));
        QVERIFY(doc);
        QCOMPARE(doc->array().size(), total);
        QCOMPARE(doc->array().first().toObject().value(QStringLiteral("summary")).toString(), QStringLiteral("round 2"));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("snapshots"))).entryList(QDir::Files).size(),
                 EventStore::kMaxQueuedPictures);
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
