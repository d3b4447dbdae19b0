// The one disk-writing thread: writes happen in order off the event loop, a failing disk is reported once per streak
// and its recovery once (combined over every writer by StorageHealth), one budget covers every kept picture, and a
// hung disk shows up for the watchdog.
#include "TestUtils.h"
#include "app/StorageBudget.h"
#include "app/StorageHealth.h"
#include "app/StorageWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace garage;
using namespace std::chrono_literals;

class TestStorageWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesOffTheEventLoopInOrder()
    {
        QTemporaryDir dir;
        StorageWriter writer;
        QThread *const loop = QThread::currentThread();
        QThread *ranOn = nullptr;
        writer.run([&]() -> StorageWriter::Result {
            ranOn = QThread::currentThread();
            return {};
        });
        const QString path = dir.filePath(QStringLiteral("list.json"));
        for (int i = 0; i < 20; ++i)
            writer.writeFile(path, QByteArray::number(i));
        writer.waitForDone();
        QVERIFY(ranOn && ranOn != loop);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("19")); // the last write wins: in order
    }

    // A directory that cannot be written (here: a file where the directory should be, which fails for root too).
    void failureToldOnceRecoveryOnce()
    {
        QTemporaryDir dir;
        const QString blocked = dir.filePath(QStringLiteral("storage"));
        QVERIFY(test::writeFile(blocked, "not a directory"));
        StorageWriter writer;
        QSignalSpy failed(&writer, &StorageWriter::failed);
        QSignalSpy recovered(&writer, &StorageWriter::recovered);
        const QString path = blocked + QStringLiteral("/state.json");

        auto first = writer.writeFile(path, "{}");
        first.waitForFinished();
        QVERIFY(!first.result());
        QVERIFY2(first.result().error().contains(path), qPrintable(first.result().error()));
        writer.writeFile(path, "{}");
        writer.writeFile(path, "{}");
        writer.waitForDone();
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(path));
        QVERIFY(writer.isFailing());
        QCoreApplication::processEvents();
        QCOMPARE(failed.size(), 1); // once per streak
        QCOMPARE(recovered.size(), 0);

        QVERIFY(QFile::remove(blocked));
        QVERIFY(QDir().mkpath(blocked));
        auto works = writer.writeFile(path, "{}");
        works.waitForFinished();
        QVERIFY(works.result());
        QTRY_COMPARE(recovered.size(), 1);
        QVERIFY(!writer.isFailing());
        writer.writeFile(path, "{}");
        writer.waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(recovered.size(), 1);
        QCOMPARE(failed.size(), 1);
    }

    // The owner armed on a full card: nobody writes state.json again, yet once there is room it is written (the
    // newest content), and storage is back, without any new write.
    void failedFileIsWrittenOnceThereIsRoom()
    {
        QTemporaryDir dir;
        const QString blocked = dir.filePath(QStringLiteral("storage"));
        QVERIFY(test::writeFile(blocked, "not a directory"));
        StorageWriter writer;
        writer.setRetryInterval(std::chrono::milliseconds(200));
        QSignalSpy recovered(&writer, &StorageWriter::recovered);
        const QString path = blocked + QStringLiteral("/state.json");
        writer.writeFile(path, R"({"armed":false})");
        writer.writeFile(path, R"({"armed":true})");
        QTRY_VERIFY(writer.isFailing());
        QTest::qWait(500); // retries meanwhile keep failing, without a second "failed"
        QVERIFY(writer.isFailing());

        QVERIFY(QFile::remove(blocked));
        QVERIFY(QDir().mkpath(blocked));
        QTRY_COMPARE(recovered.size(), 1);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray(R"({"armed":true})"));
    }

    void storageHealthCombinesWriters()
    {
        StorageHealth health;
        QVERIFY(health.failed(QStringLiteral("disk"), QStringLiteral("No space left on device")));  // tell
        QVERIFY(!health.failed(QStringLiteral("outbox"), QStringLiteral("No space left on device"))); // already told
        QVERIFY(health.problem().contains(QLatin1String("No space left")));
        QVERIFY(!health.recovered(QStringLiteral("disk"))); // the outbox still fails
        QVERIFY(health.isFailing());
        QVERIFY(health.recovered(QStringLiteral("outbox"))); // now it is back: tell
        QVERIFY(!health.isFailing());
        QVERIFY(!health.recovered(QStringLiteral("outbox")));
    }

    // snapshots/, undelivered/ and outbox/ share max_mb; the oldest pictures go first, whoever wrote them; texts stay.
    void oneBudgetOverEveryPicture()
    {
        QTemporaryDir dir;
        const QDateTime base = QDateTime::currentDateTimeUtc().addSecs(-3600);
        struct File {
            const char *path;
            int ageOrder; // 0 oldest
        };
        const File files[] = {{"undelivered/a.jpg", 0}, {"snapshots/000001.jpg", 1}, {"outbox/000000000001.jpg", 2},
                              {"snapshots/000002.jpg", 3}};
        for (const File &f : files) {
            const QString path = dir.filePath(QString::fromLatin1(f.path));
            QVERIFY(QDir().mkpath(QFileInfo(path).path()));
            QVERIFY(test::writeFile(path, QByteArray(300 * 1024, 'x')));
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(base.addSecs(f.ageOrder * 60), QFileDevice::FileModificationTime));
        }
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("outbox/000000000001.json")), QByteArray(500 * 1024, 'j')));

        const BudgetResult result = enforceStorageBudget(dir.path(), 700 * 1024);
        QCOMPARE(result.bytesBefore, qint64(4 * 300 * 1024));
        QCOMPARE(result.removed, (QStringList{QStringLiteral("undelivered/a.jpg"), QStringLiteral("snapshots/000001.jpg")}));
        QCOMPARE(result.bytesAfter, qint64(2 * 300 * 1024));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("outbox/000000000001.jpg"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("snapshots/000002.jpg"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("outbox/000000000001.json")))); // an alert's text is kept

        QVERIFY(enforceStorageBudget(dir.path(), 700 * 1024).removed.isEmpty()); // under budget: nothing
    }

    // A write that never finishes (a hung SD card) makes the writer's no-op late: the watchdog hears about it.
    void hungWriteIsASupervisionProblem()
    {
        StorageWriter writer;
        const auto t0 = std::chrono::steady_clock::time_point(10h);
        QVERIFY(writer.supervisionProblem(t0, 60s).isEmpty()); // posts a no-op
        writer.waitForDone();
        QVERIFY(writer.supervisionProblem(t0 + 120s, 60s).isEmpty()); // it finished: fine (posts the next)
        writer.waitForDone();

        QSemaphore release;
        writer.run([&]() -> StorageWriter::Result {
            release.acquire(); // the disk hangs
            return {};
        });
        const auto t1 = t0 + 200s;
        QVERIFY(writer.supervisionProblem(t1, 60s).isEmpty());        // the last no-op was done: a new one, queued
        QVERIFY(writer.supervisionProblem(t1 + 59s, 60s).isEmpty());  // within the bound
        const QString late = writer.supervisionProblem(t1 + 61s, 60s);
        QVERIFY2(late.contains(QLatin1String("storage writer")) && late.contains(QLatin1String("61 s")),
                 qPrintable(late));
        release.release();
        writer.waitForDone();
        QVERIFY(writer.supervisionProblem(t1 + 62s, 60s).isEmpty()); // done again
    }
};

QTEST_GUILESS_MAIN(TestStorageWriter)
#include "tst_StorageWriter.moc"
