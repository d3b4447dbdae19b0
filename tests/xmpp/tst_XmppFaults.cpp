// The XMPP link under real faults, with a real Prosody on loopback and the slixmpp phone: the server SIGKILLed in the
// middle of a burst of alerts (with and without XEP-0198), an upload host that accepts and never answers, a server
// that accepts TCP and says nothing, and another client taking the appliance's resource.
#include "Phone.h"
#include "ProsodyServer.h"
#include "SilentServer.h"
#include "xmpp/Outbox.h"
#include "xmpp/XmppLink.h"

#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QXmppClient.h>
#include <QXmppConfiguration.h>

#include <opencv2/imgcodecs.hpp>

using namespace garage;
using namespace garage::test;
using namespace std::chrono_literals;

namespace {

// this test's own ports (1622x / 1628x): no lock shared with the other Prosody tests
constexpr quint16 kPort = 16222;
constexpr quint16 kSilentPort = 16223;
constexpr quint16 kHttps = 16281;
constexpr quint16 kBlackHole = 16282;

ProsodyServer::Options serverOptions(quint16 c2sPort = kPort)
{
    ProsodyServer::Options o;
    o.c2sPort = c2sPort;
    o.httpsPort = kHttps;
    o.accounts = {{QStringLiteral("home"), QStringLiteral("appliance-pw")}, {QStringLiteral("me"), QStringLiteral("phone-pw")}};
    return o;
}

XmppConfig linkConfig(const ProsodyServer &server)
{
    XmppConfig c;
    c.jid = server.jid(QStringLiteral("home"));
    c.password = QStringLiteral("appliance-pw");
    c.resource = QStringLiteral("garage");
    c.host = QStringLiteral("127.0.0.1");
    c.port = server.port();
    c.caFile = server.caFile();
    c.owners = {server.jid(QStringLiteral("me"))};
    c.commandsPerMinute = 1000;
    return c;
}

QByteArray pictureJpeg()
{
    cv::Mat image(240, 320, CV_8UC3, cv::Scalar(30, 140, 200));
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", image, jpeg);
    return QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
}

// The numbers of the "alert N" messages, in the order they arrived.
QList<int> alertNumbers(const QList<PhoneMessage> &messages)
{
    static const QRegularExpression number(QStringLiteral("^(?:\\(resent, may be a repeat\\) )?alert (\\d+)\\b"));
    QList<int> got;
    for (const PhoneMessage &m : messages)
        if (const auto match = number.match(m.body); match.hasMatch())
            got << match.captured(1).toInt();
    return got;
}

} // namespace

class TestXmppFaults : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_storage;
    QString storage(const QString &name) { return m_storage.filePath(name); }

private Q_SLOTS:
    void serverKilledDuringABurst_data()
    {
        QTest::addColumn<bool>("streamManagement");
        QTest::newRow("XEP-0198") << true;
        QTest::newRow("no XEP-0198 (ping confirms)") << false;
    }

    // Prosody is SIGKILLed while a burst of 20 alerts is on its way and comes back: every alert reaches the phone
    // exactly once, in order, and the link is back within 5 s of the server.
    void serverKilledDuringABurst()
    {
        QFETCH(bool, streamManagement);
        ProsodyServer::Options options = serverOptions();
        options.streamManagement = streamManagement;
        ProsodyServer server(options);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        auto link = std::make_unique<XmppLink>(linkConfig(server), storage(QStringLiteral("burst-%1").arg(streamManagement)));
        link->start();
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 15000);
        Phone before;
        QVERIFY2(before.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        for (int i = 1; i <= 10; ++i)
            link->alert(QStringLiteral("alert %1").arg(i));
        QVERIFY(before.waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("alert 3"); }, 10000));
        QVERIFY(server.kill()); // in the middle of the burst
        for (int i = 11; i <= 20; ++i)
            link->alert(QStringLiteral("alert %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(!link->isConnected(), 10000);
        QVERIFY2(server.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 5000); // back within 5 s of the server
        Phone after; // the first phone lost its connection with the server; what it did not get waits offline
        QVERIFY2(after.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        QVERIFY(after.waitFor([](const PhoneMessage &m) { return m.body.endsWith(QLatin1String("alert 20")); }, 60000));
        QTRY_COMPARE_WITH_TIMEOUT(link->pendingAlerts(), 0, 10000);
        const QList<int> got = alertNumbers(before.messages() + after.messages());
        QList<int> expected;
        for (int i = 1; i <= 20; ++i)
            expected << i;
        QCOMPARE(got, expected); // each exactly once, in order
    }

    void uploadBlackHoled_data()
    {
        QTest::addColumn<bool>("slotRequestHangs");
        QTest::addColumn<QString>("reason");
        QTest::newRow("slot request unanswered") << true
                                                 << QStringLiteral("the upload service did not answer the slot request within 3 s");
        QTest::newRow("transfer into a black hole") << false << QStringLiteral("the upload did not finish within 3 s");
    }

    // The upload hangs at one of its two stages: the upload service reads the slot request and never answers, or the
    // upload host accepts the connection and never answers. Each stage has its own deadline: the alert's text
    // arrives at once, the picture is kept on the appliance and the owner told where and which stage hung, and the
    // next alert does not wait for the upload's deadline.
    void uploadBlackHoled()
    {
        QFETCH(bool, slotRequestHangs);
        QFETCH(QString, reason);
        SilentServer blackHole;
        QString error;
        QVERIFY2(blackHole.listen(kBlackHole, &error), qPrintable(error));
        ProsodyServer::Options options = serverOptions();
        if (slotRequestHangs)
            options.uploadSlotsUnanswered = true; // the upload URL would be the real one
        else
            options.uploadUrlPort = kBlackHole;
        ProsodyServer server(options);
        QVERIFY2(server.start(&error), qPrintable(error));
        XmppConfig config = linkConfig(server);
        config.uploadTimeout = 3s;
        const QString dir = storage(QStringLiteral("black-hole-%1").arg(slotRequestHangs));
        XmppLink link(config, dir);
        link.start();
        QTRY_VERIFY_WITH_TIMEOUT(link.isConnected(), 15000);
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        link.alert(QStringLiteral("motion with a picture"), pictureJpeg());
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("motion with a picture"); }, 10000));
        // the upload is stuck at its stage
        if (slotRequestHangs)
            QTRY_VERIFY_WITH_TIMEOUT(server.log().contains(QLatin1String("left unanswered")), 15000);
        else
            QTRY_VERIFY_WITH_TIMEOUT(blackHole.accepted() >= 1, 15000);
        link.alert(QStringLiteral("door opened"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("door opened"); }, 10000));
        // ...before the picture's fate was known: nothing about it has arrived yet
        QCOMPARE(phone.countAfter([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("(no picture")); }, 0), 0);
        const auto note = phone.waitFor([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("(no picture")); }, 20000);
        QVERIFY(note);
        QVERIFY2(note->body.contains(reason), qPrintable(note->body));
        if (slotRequestHangs)
            QCOMPARE(blackHole.accepted(), 0); // it never got as far as a transfer
        const QFileInfoList kept = QDir(dir + QStringLiteral("/undelivered")).entryInfoList({QStringLiteral("*.jpg")}, QDir::Files);
        QCOMPARE(kept.size(), 1);
        QVERIFY2(note->body.contains(kept.first().fileName()), qPrintable(note->body));
        QCOMPARE(kept.first().size(), pictureJpeg().size());
        QTRY_COMPARE_WITH_TIMEOUT(link.pendingAlerts(), 0, 10000);
    }

    // A server that accepts TCP and says nothing: each attempt is aborted at its deadline and retried with backoff;
    // the link connects once a real server is there.
    void silentServerIsRetried()
    {
        SilentServer silent;
        QString error;
        QVERIFY2(silent.listen(kSilentPort, &error), qPrintable(error));
        ProsodyServer server(serverOptions(kSilentPort));
        XmppConfig config = linkConfig(server);
        config.connectTimeout = 2s;
        XmppLink link(config, storage(QStringLiteral("silent")));
        link.start();
        QTRY_VERIFY_WITH_TIMEOUT(silent.accepted() >= 3, 30000);
        QVERIFY(!link.isConnected());
        QVERIFY2(link.connectionProblem().contains(QLatin1String("did not complete TCP, TLS and login within 2 s")),
                 qPrintable(link.connectionProblem()));
        QCOMPARE(link.supervisionProblem(std::chrono::steady_clock::now()), QString()); // retrying: not stuck
        QCOMPARE(link.connectAttempts(), silent.accepted());
        silent.close();
        QVERIFY2(server.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(link.isConnected(), 40000);
        QCOMPARE(link.connectionProblem(), QString());
    }

    // For the watchdog: a link that is not started or stopped is stuck, and so is an attempt past its deadline that
    // was never aborted; an attempt within its deadline and a scheduled retry are not.
    void supervisionSaysWhenTheLinkIsStuck()
    {
        SilentServer silent;
        QString error;
        QVERIFY2(silent.listen(kSilentPort, &error), qPrintable(error));
        ProsodyServer server(serverOptions(kSilentPort)); // not started: the silent server holds its port
        XmppConfig config = linkConfig(server);
        config.connectTimeout = 2s;
        XmppLink link(config, storage(QStringLiteral("supervision")));
        const auto now = [] { return std::chrono::steady_clock::now(); };
        QVERIFY2(link.supervisionProblem(now()).contains(QLatin1String("the link is stopped")),
                 qPrintable(link.supervisionProblem(now()))); // not started: nothing would ever connect it
        link.start();
        QTRY_COMPARE_WITH_TIMEOUT(silent.accepted(), 1, 10000); // the first attempt runs, within its deadline
        QCOMPARE(link.connectAttempts(), 1);
        QCOMPARE(link.supervisionProblem(now()), QString());
        const QString overdue = link.supervisionProblem(now() + 20s); // as if its deadline had never fired
        QVERIFY2(overdue.contains(QLatin1String("past its 2 s deadline, and was not aborted")), qPrintable(overdue));
        // the attempt is aborted at its deadline and a retry scheduled: not stuck, however long the retry waits
        QTRY_VERIFY_WITH_TIMEOUT(link.connectionProblem().contains(QLatin1String("within 2 s")), 10000);
        QCOMPARE(link.connectAttempts(), 1); // no second attempt yet: the retry is pending
        QCOMPARE(link.supervisionProblem(now()), QString());
        QCOMPARE(link.supervisionProblem(now() + 1h), QString());
        link.stop();
        const QString stopped = link.supervisionProblem(now());
        QVERIFY2(stopped.contains(QLatin1String("the link is stopped")), qPrintable(stopped));
        QVERIFY2(stopped.contains(QLatin1String("no connect attempt or retry pending")), qPrintable(stopped));
        QVERIFY(!link.isConnected());
    }

    // The outbox an earlier run left is read on the disk writer at start(), not in the constructor; the link
    // connects once it is in place, and alerts raised meanwhile (before and after start()) follow the loaded ones.
    void outboxIsLoadedBeforeConnecting()
    {
        ProsodyServer server(serverOptions());
        const XmppConfig config = linkConfig(server);
        const QString dir = storage(QStringLiteral("loading"));
        {
            XmppLink earlier(config, dir); // never connected: its alerts are written when it goes
            earlier.alert(QStringLiteral("alert 1"));
            earlier.alert(QStringLiteral("alert 2"), pictureJpeg());
        }
        QCOMPARE(QDir(dir + QStringLiteral("/outbox")).entryList({QStringLiteral("*.json")}, QDir::Files).size(), 2);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        XmppLink link(config, dir);
        QCOMPARE(link.pendingAlerts(), 0); // the constructor read nothing
        QSignalSpy connected(&link, &XmppLink::connectedChanged);
        link.alert(QStringLiteral("alert 3"));
        link.start();
        link.alert(QStringLiteral("alert 4"));
        QCOMPARE(link.pendingAlerts(), 2); // the earlier run's are still being read
        QCOMPARE(connected.size(), 0);
        QCOMPARE(link.supervisionProblem(std::chrono::steady_clock::now()), QString()); // loading is not stuck
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("alert 4"); }, 20000));
        QCOMPARE(alertNumbers(phone.messages()), (QList<int>{1, 2, 3, 4})); // the loaded ones first, in order
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return !m.oobUrl.isEmpty(); }, 20000)); // alert 2's picture
        QTRY_COMPARE_WITH_TIMEOUT(link.pendingAlerts(), 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(QDir(dir + QStringLiteral("/outbox")).entryList(QDir::Files), QStringList(), 5000);
    }

    // Another client logs in with the appliance's resource: the link says what to fix, does not fight, and retries
    // after the (configured) conflict interval.
    void resourceConflictIsRetriedSlowly()
    {
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        XmppConfig config = linkConfig(server);
        config.conflictRetry = 6s;
        XmppLink link(config, storage(QStringLiteral("conflict")));
        link.start();
        QTRY_VERIFY_WITH_TIMEOUT(link.isConnected(), 15000);

        QXmppClient other;
        QXmppConfiguration c;
        c.setJid(config.jid);
        c.setResource(config.resource);
        c.setPassword(config.password);
        c.setHost(config.host);
        c.setPort(config.port);
        c.setUseSasl2Authentication(false);
        c.setCaCertificates(QSslCertificate::fromPath(config.caFile));
        c.setAutoReconnectionEnabled(false);
        QSignalSpy otherDisconnected(&other, &QXmppClient::disconnected);
        QElapsedTimer sinceConflict;
        other.connectToServer(c);
        QTRY_VERIFY_WITH_TIMEOUT(other.isConnected(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!link.isConnected(), 10000);
        sinceConflict.start();
        QVERIFY2(link.connectionProblem().contains(QLatin1String("same resource 'garage'")), qPrintable(link.connectionProblem()));
        QVERIFY2(link.connectionProblem().contains(QLatin1String("give each appliance its own [xmpp] resource")),
                 qPrintable(link.connectionProblem()));
        QVERIFY2(link.connectionProblem().contains(QLatin1String("retrying every 6 s")), qPrintable(link.connectionProblem()));
        QCOMPARE(link.supervisionProblem(std::chrono::steady_clock::now()), QString()); // a retry is scheduled
        // it comes back after the conflict interval (taking the resource back from the other client, once)
        QTRY_VERIFY_WITH_TIMEOUT(link.isConnected(), 20000);
        QVERIFY2(sinceConflict.elapsed() >= 5000, qPrintable(QString::number(sinceConflict.elapsed()))); // not fighting
        QVERIFY(otherDisconnected.size() >= 1);
        QCOMPARE(link.connectionProblem(), QString());
    }

    // A long outage: the outbox keeps the newest alerts, the older ones become one line, and alerts that arrive late
    // say when they happened (with a XEP-0203 delay stamp).
    void longOutageIsSummarised()
    {
        ProsodyServer server(serverOptions());
        XmppConfig config = linkConfig(server);
        config.outboxMaxAlerts = 5;
        XmppLink link(config, storage(QStringLiteral("long-outage"))); // not connected: the server is unreachable
        const QDateTime longAgo = QDateTime::currentDateTimeUtc().addSecs(-3 * 3600);
        for (int i = 1; i <= 12; ++i)
            link.alert(OutgoingAlert{QStringLiteral("alert %1").arg(i), {}, {}, longAgo.addSecs(60 * i)});
        QCOMPARE(link.pendingAlerts(), 6); // five alerts and the line about the seven before them
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        link.start(); // the server is back; the phone is online (no offline storage to add delay stamps)
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("alert 12")); }, 60000));
        QTRY_COMPARE_WITH_TIMEOUT(link.pendingAlerts(), 0, 10000);
        const QList<PhoneMessage> got = phone.messages();
        QCOMPARE(got.size(), 6);
        const QString from = longAgo.addSecs(60).toLocalTime().toString(QStringLiteral("HH:mm"));
        const QString to = longAgo.addSecs(7 * 60).toLocalTime().toString(QStringLiteral("HH:mm"));
        QCOMPARE(got[0].body, QStringLiteral("7 older alerts from %1–%2 were dropped while the server was unreachable").arg(from, to));
        QCOMPARE(alertNumbers(got), (QList<int>{8, 9, 10, 11, 12}));
        QVERIFY2(got[1].body.endsWith(QStringLiteral(" — sent 2 h 52 min late, the server was unreachable")), qPrintable(got[1].body));
        QVERIFY(got[1].delayed); // XEP-0203: when it happened
        QVERIFY(!got[0].delayed); // the summary is news
    }

    // The appliance stopped (crash, power) after an alert's picture had reached one of two owners: after the restart
    // the picture goes to the other owner only, never again to the one who has it.
    void pictureResentOnlyToTheOwnerWhoLacksIt()
    {
        ProsodyServer::Options options = serverOptions();
        options.accounts << QPair{QStringLiteral("wife"), QStringLiteral("wife-pw")};
        ProsodyServer server(options);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        XmppConfig config = linkConfig(server);
        const QString me = server.jid(QStringLiteral("me"));
        const QString wife = server.jid(QStringLiteral("wife"));
        config.owners = {me, wife};
        const QString dir = storage(QStringLiteral("picture-per-owner"));
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/snapshots")));
        QFile file(dir + QStringLiteral("/snapshots/000007.jpg"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(pictureJpeg());
        file.close();
        { // what the earlier run left: the text reached both owners, the picture only me
            QThreadPool writer;
            writer.setMaxThreadCount(1);
            Outbox earlier(dir, &writer);
            QVERIFY(earlier.open(config.owners, &error));
            OutboxEntry e;
            e.text = QStringLiteral("motion in the garage");
            e.owners = config.owners;
            e.picture = QStringLiteral("snapshots/000007.jpg");
            e = earlier.add(e, {});
            QCOMPARE(e.pictureOwners, config.owners);
            e.owners.clear();
            e.pictureOwners = {wife};
            e.attempts = 1;
            earlier.save(e);
        }
        Phone mine, hers;
        QVERIFY2(mine.start(me, QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        QVERIFY2(hers.start(wife, QStringLiteral("wife-pw"), server, &error), qPrintable(error));
        XmppLink link(config, dir);
        link.start();
        const auto picture = hers.waitFor([](const PhoneMessage &m) { return !m.oobUrl.isEmpty(); }, 20000);
        QVERIFY(picture);
        const auto jpeg = hers.download(picture->oobUrl);
        QVERIFY2(jpeg, qPrintable(jpeg ? QString() : jpeg.error()));
        QCOMPARE(*jpeg, pictureJpeg());
        QTRY_COMPARE_WITH_TIMEOUT(link.pendingAlerts(), 0, 10000);
        // the next alert reaches both owners: whatever was sent to me before it has arrived by then
        link.alert(QStringLiteral("door opened"));
        QVERIFY(mine.waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("door opened"); }, 10000));
        QVERIFY(hers.waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("door opened"); }, 10000));
        QCOMPARE(mine.messages().size(), 1); // only the door: no second copy of the picture, no resent text
        QCOMPARE(mine.messages().first().body, QStringLiteral("door opened"));
        QCOMPARE(hers.messages().size(), 2); // the picture once, then the door
        QVERIFY(QFile::exists(dir + QStringLiteral("/snapshots/000007.jpg")));
    }

    // An alert's picture already on disk is referred to, read when it is sent, never copied; one that is gone by then
    // is reported as text.
    void pictureOnDiskIsReferredTo()
    {
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString dir = storage(QStringLiteral("referred"));
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/snapshots")));
        QFile file(dir + QStringLiteral("/snapshots/000012.jpg"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(pictureJpeg());
        file.close();
        XmppLink link(linkConfig(server), dir);
        link.start();
        QTRY_VERIFY_WITH_TIMEOUT(link.isConnected(), 15000);
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        link.alert(OutgoingAlert{QStringLiteral("motion"), QStringLiteral("snapshots/000012.jpg"), {}, {}});
        link.alert(OutgoingAlert{QStringLiteral("motion again"), QStringLiteral("snapshots/gone.jpg"), {}, {}});
        const auto picture = phone.waitFor([](const PhoneMessage &m) { return !m.oobUrl.isEmpty(); }, 20000);
        QVERIFY(picture);
        const auto jpeg = phone.download(picture->oobUrl);
        QVERIFY2(jpeg, qPrintable(jpeg ? QString() : jpeg.error()));
        QCOMPARE(*jpeg, pictureJpeg());
        const auto gone = phone.waitFor([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("(no picture")); }, 20000);
        QVERIFY(gone);
        QVERIFY2(gone->body.contains(QLatin1String("snapshots/gone.jpg is gone from the appliance")), qPrintable(gone->body));
        QTRY_COMPARE_WITH_TIMEOUT(link.pendingAlerts(), 0, 10000);
        QVERIFY(QFile::exists(dir + QStringLiteral("/snapshots/000012.jpg"))); // referred to: not the outbox's to remove
        QTRY_COMPARE_WITH_TIMEOUT(QDir(dir + QStringLiteral("/outbox")).entryList(QDir::Files), QStringList(), 5000); // removed on the disk writer
    }
};

QTEST_GUILESS_MAIN(TestXmppFaults)
#include "tst_XmppFaults.moc"
