// The appliance's own rules through its real parts (a real video file as the camera, real files on disk), with the
// alerts caught at the sink instead of the XMPP link: the motion alert refers to its picture written once on disk; an
// event open when the camera goes offline ends, saying so; a camera missing at start does not stop the appliance and is
// reported once; arm says when its setting could not be saved, and the owner hears about the storage once each way.
#include "ClipWriter.h"
#include "app/Appliance.h"

#include "xmpp/XmppLink.h"

#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgproc.hpp>

using namespace garage;
using namespace std::chrono_literals;

class TestAppliance : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_clip;
    QList<OutgoingAlert> m_alerts;

    AppConfig config(const QString &storage)
    {
        AppConfig c;
        c.xmpp.jid = QStringLiteral("home@localhost");
        c.xmpp.password = QStringLiteral("unused");
        c.xmpp.host = QStringLiteral("127.0.0.1");
        c.xmpp.port = 9; // discard: nothing listens; the link keeps retrying, alerts wait in the outbox
        c.xmpp.owners = {QStringLiteral("me@localhost")};
        c.camera.source = m_clip;
        c.camera.loop = false;
        c.storage.dir = m_dir.filePath(storage);
        c.alerts.cameraLostAfter = 1s;
        c.alerts.cooldown = 0s;
        return c;
    }

    void catchAlerts(Appliance &appliance)
    {
        appliance.setAlertSink([this](const OutgoingAlert &alert) { m_alerts << alert; });
    }

    std::optional<OutgoingAlert> alertStartingWith(const QString &start) const
    {
        for (const OutgoingAlert &a : m_alerts)
            if (a.text.startsWith(start))
                return a;
        return std::nullopt;
    }

    int countStartingWith(const QString &start) const
    {
        int n = 0;
        for (const OutgoingAlert &a : m_alerts)
            n += a.text.startsWith(start) ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // 5 s: a box comes in at 1 s and is still moving when the file (the camera) ends
        m_clip = m_dir.filePath(QStringLiteral("moving-till-the-end.avi"));
        QVERIFY(test::writeClip(m_clip.toStdString(), {{640, 480}, 10, 5, [](cv::Mat &f, int, double t) {
                                    if (t >= 1.0)
                                        cv::rectangle(f, cv::Rect(int(20 + 100 * (t - 1.0)), 250, 160, 120),
                                                      cv::Scalar(235, 235, 235), cv::FILLED);
                                }}));
    }

    void init()
    {
        m_alerts.clear();
    }

    void motionAlertRefersToItsPictureAndEndsWithTheCamera()
    {
        Appliance appliance(config(QStringLiteral("motion")));
        catchAlerts(appliance);
        QVERIFY(appliance.start());
        QTRY_VERIFY_WITH_TIMEOUT(alertStartingWith(QStringLiteral("Motion in the garage at")), 20000);
        const OutgoingAlert alert = *alertStartingWith(QStringLiteral("Motion in the garage at"));
        QCOMPARE(alert.picture, QStringLiteral("snapshots/000001.jpg"));
        QVERIFY(alert.jpeg.isEmpty()); // written once, referred to
        QFile picture(appliance.events().directory() + QStringLiteral("/snapshots/000001.jpg"));
        QVERIFY(picture.open(QIODevice::ReadOnly));
        QVERIFY(picture.readAll().startsWith("\xff\xd8"));

        // the file ends with the box still moving: the camera goes offline and the open event ends, saying why
        QTRY_VERIFY_WITH_TIMEOUT(appliance.events().find(1) && appliance.events().find(1)->end.isValid(), 20000);
        const EventRecord record = *appliance.events().find(1);
        QVERIFY2(record.summary.contains(QLatin1String("ended: camera offline")), qPrintable(record.summary));
        QCOMPARE(record.snapshotFile, QStringLiteral("snapshots/000001.jpg"));
        appliance.stop();
    }

    void missingCameraDoesNotStopTheAppliance()
    {
        AppConfig c = config(QStringLiteral("nocamera"));
        Appliance appliance(c);
        appliance.setFrameSourceFactory([](const CameraConfig &) -> std::expected<std::unique_ptr<FrameSource>, QString> {
            return std::unexpected(QStringLiteral("no camera found (devices: none)"));
        });
        catchAlerts(appliance);
        QVERIFY(appliance.start()); // runs without it
        QVERIFY2(appliance.statusInfo().cameraState.contains(QLatin1String("no camera found")),
                 qPrintable(appliance.statusInfo().cameraState));
        QTRY_COMPARE_WITH_TIMEOUT(countStartingWith(QStringLiteral("Camera lost in the garage: no camera found")), 1, 10000);
        bool noPicture = false;
        appliance.snapshot([&](std::expected<SnapshotReply, QString> reply) {
            noPicture = !reply && reply.error().contains(QLatin1String("no picture"));
        });
        QTRY_VERIFY(noPicture);
        QCOMPARE(countStartingWith(QStringLiteral("Camera lost")), 1); // once
        appliance.stop();
    }

    // state.json replaced by a directory: its atomic write cannot commit (as on a full or read-only disk, also for root).
    void armSaysWhenItCannotBeSaved()
    {
        AppConfig c = config(QStringLiteral("full"));
        c.camera.source = m_dir.filePath(QStringLiteral("no-such-clip.avi"));
        Appliance appliance(c);
        catchAlerts(appliance);
        QVERIFY(appliance.start());
        const QString state = c.storage.dir + QStringLiteral("/state.json");
        QFile::remove(state);
        QVERIFY(QDir().mkpath(state + QStringLiteral("/blocker")));

        auto saved = appliance.setArmed(false);
        QTRY_VERIFY(saved.isFinished());
        QVERIFY(!saved.result());
        QVERIFY2(saved.result().error().contains(QLatin1String("state.json")), qPrintable(saved.result().error()));
        QVERIFY(!appliance.policy().isArmed()); // in force until a restart
        QTRY_COMPARE(countStartingWith(QStringLiteral("Storage problem in the garage: ")), 1);
        QVERIFY(alertStartingWith(QStringLiteral("Storage problem"))->text.endsWith(
            QLatin1String("alerts still go out, pictures may not be kept")));
        QVERIFY(appliance.statusInfo().storageProblem.contains(QLatin1String("state.json")));
        saved = appliance.setArmed(false);
        QTRY_VERIFY(saved.isFinished());
        QCoreApplication::processEvents();
        QCOMPARE(countStartingWith(QStringLiteral("Storage problem")), 1); // told once

        QVERIFY(QDir(state).removeRecursively());
        saved = appliance.setArmed(true);
        QTRY_VERIFY(saved.isFinished());
        QVERIFY(saved.result());
        QTRY_COMPARE(countStartingWith(QStringLiteral("Storage is back in the garage")), 1);
        QVERIFY(appliance.statusInfo().storageProblem.isEmpty());
        appliance.stop();
    }
};

QTEST_MAIN(TestAppliance)
#include "tst_Appliance.moc"
