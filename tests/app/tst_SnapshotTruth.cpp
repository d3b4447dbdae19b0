// The `snapshot` reply never passes an old picture off as a fresh one: while the camera is offline, stalled, or its
// latest frame is older than the stall timeout, it says so, since when, and when the picture was really taken.
#include "app/SnapshotTruth.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

namespace {
const auto kNow = std::chrono::steady_clock::time_point(1000h);

SnapshotFacts facts()
{
    SnapshotFacts f;
    f.name = QStringLiteral("garage");
    f.streaming = true;
    f.cameraState = QStringLiteral("streaming");
    f.hasFrame = true;
    f.capturedAt = QDateTime::currentDateTimeUtc().addSecs(-1);
    f.capturedSteady = kNow - 1s;
    f.now = kNow;
    f.stallTimeout = 10s;
    return f;
}

QString local(const QDateTime &t, const char *format)
{
    return t.toLocalTime().toString(QLatin1String(format));
}
} // namespace

class TestSnapshotTruth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freshPictureCarriesItsCaptureTime()
    {
        const SnapshotFacts f = facts();
        const SnapshotVerdict v = judgeSnapshot(f);
        QVERIFY(v.sendPicture);
        QVERIFY(v.fresh);
        QCOMPARE(v.caption, QStringLiteral("Snapshot of the garage at %1").arg(local(f.capturedAt, "HH:mm:ss")));
    }

    void offlineSaysSoAndShowsTheLastPicture()
    {
        SnapshotFacts f = facts();
        f.streaming = false;
        f.cameraState = QStringLiteral("offline (connection refused)");
        f.capturedAt = QDateTime::currentDateTimeUtc().addSecs(-300);
        f.capturedSteady = kNow - 300s;
        f.downSince = f.capturedAt.addSecs(5);
        const SnapshotVerdict v = judgeSnapshot(f);
        QVERIFY(v.sendPicture);
        QVERIFY(!v.fresh);
        QCOMPARE(v.caption, QStringLiteral("The camera is offline (connection refused) since %1; here is the last "
                                           "picture, taken at %2")
                                .arg(local(f.downSince, "HH:mm"), local(f.capturedAt, "HH:mm:ss")));
    }

    void offlineWithoutAnyPicture()
    {
        SnapshotFacts f = facts();
        f.streaming = false;
        f.cameraState = QStringLiteral("offline (no camera found, retrying)");
        f.hasFrame = false;
        f.capturedAt = {};
        const SnapshotVerdict v = judgeSnapshot(f);
        QVERIFY(!v.sendPicture);
        QCOMPARE(v.caption, QStringLiteral("The camera is offline (no camera found, retrying); no picture"));
    }

    // Streaming by its state, but the newest frame is older than the stall timeout: not fresh either.
    void staleFrameWhileStreaming()
    {
        SnapshotFacts f = facts();
        f.capturedSteady = kNow - 45s;
        const SnapshotVerdict v = judgeSnapshot(f);
        QVERIFY(v.sendPicture);
        QVERIFY(!v.fresh);
        QVERIFY2(v.caption.startsWith(QStringLiteral("The camera sends no new pictures (the last one came 45 s ago); "
                                                     "here is the last picture, taken at ")),
                 qPrintable(v.caption));
    }
};

QTEST_GUILESS_MAIN(TestSnapshotTruth)
#include "tst_SnapshotTruth.moc"
