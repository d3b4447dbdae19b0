// Who answers what on a shared account: every addressing rule, the command router's filters and rate limit, and the
// durable outbox's order and survival across restarts.
#include "xmpp/Addressing.h"
#include "xmpp/CommandRouter.h"
#include "xmpp/Outbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTest>

#include <optional>

using namespace garage;
using Action = AddressingDecision::Action;

Q_DECLARE_METATYPE(garage::AddressingDecision::Action)

class TestAddressing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("delayed");
        QTest::addColumn<QStringList>("others");
        QTest::addColumn<int>("policy");
        QTest::addColumn<Action>("action");
        QTest::addColumn<QString>("command");
        const QString me = QStringLiteral("me@example.org/phone");
        const QString bare = QStringLiteral("home@example.org");
        const QString full = QStringLiteral("home@example.org/garage");
        const QStringList none;
        const QStringList shed{QStringLiteral("shed")};
        const int autoP = int(KeywordPolicy::Auto), always = int(KeywordPolicy::Always), never = int(KeywordPolicy::Never);
        QTest::newRow("own account") << "home@example.org/shed" << bare << "garage status" << "chat" << false << shed << autoP << Action::Ignore << "";
        QTest::newRow("own account full") << "HOME@example.org/shed" << full << "status" << "chat" << false << shed << autoP << Action::Ignore << "";
        QTest::newRow("stranger") << "eve@evil.org/x" << full << "status" << "chat" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("error type") << me << full << "status" << "error" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("headline") << me << full << "status" << "headline" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("groupchat") << me << full << "status" << "groupchat" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("no body") << me << full << "  " << "chat" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("delayed disarm") << me << full << "disarm" << "chat" << true << none << autoP << Action::Ignore << "";
        QTest::newRow("full jid") << me << full << "status" << "chat" << false << shed << autoP << Action::Execute << "status";
        QTest::newRow("full jid keyword stripped") << me << full << "Garage status" << "chat" << false << shed << autoP << Action::Execute << "status";
        QTest::newRow("full jid other resource") << me << "home@example.org/shed" << "status" << "chat" << false << shed << autoP << Action::Ignore << "";
        QTest::newRow("bare keyword") << me << bare << "garage status" << "chat" << false << shed << autoP << Action::Execute << "status";
        QTest::newRow("bare keyword case colon") << me << bare << "GARAGE: mute 1h" << "chat" << false << shed << autoP << Action::Execute << "mute 1h";
        QTest::newRow("keyword needs boundary") << me << bare << "garages status" << "chat" << false << none << autoP << Action::Execute << "garages status";
        QTest::newRow("keyword alone") << me << bare << "garage" << "chat" << false << shed << autoP << Action::Execute << "";
        QTest::newRow("other keyword") << me << bare << "shed status" << "chat" << false << shed << autoP << Action::Ignore << "";
        QTest::newRow("auto alone") << me << bare << "status" << "chat" << false << none << autoP << Action::Execute << "status";
        QTest::newRow("auto shared, lowest hints") << me << bare << "status" << "chat" << false << shed << autoP << Action::Hint << "";
        QTest::newRow("auto shared, not lowest") << me << bare << "status" << "chat" << false << QStringList{QStringLiteral("alarm")} << autoP << Action::Ignore << "";
        QTest::newRow("always alone hints") << me << bare << "status" << "chat" << false << none << always << Action::Hint << "";
        QTest::newRow("never shared") << me << bare << "status" << "chat" << false << shed << never << Action::Execute << "status";
        QTest::newRow("normal type") << me << bare << "status" << "normal" << false << none << autoP << Action::Execute << "status";
    }
    void rules()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, body);
        QFETCH(QString, type);
        QFETCH(bool, delayed);
        QFETCH(QStringList, others);
        QFETCH(int, policy);
        QFETCH(Action, action);
        QFETCH(QString, command);
        const AddressingContext context{QStringLiteral("home@example.org"), QStringLiteral("garage"), QStringLiteral("garage"),
                                        {QStringLiteral("me@example.org")}, others, KeywordPolicy(policy)};
        const auto d = decideAddressing({from, to, body, type, delayed}, context);
        QCOMPARE(d.action, action);
        if (action == Action::Execute)
            QCOMPARE(d.command, command);
        if (action == Action::Ignore)
            QVERIFY(!d.reason.isEmpty());
        QCOMPARE(d.prefixReplies, !others.isEmpty());
    }

    void hintText()
    {
        const AddressingContext c{QStringLiteral("home@example.org"), QStringLiteral("garage"), QStringLiteral("garage"), {},
                                  {QStringLiteral("shed")}, KeywordPolicy::Auto};
        QCOMPARE(sharedAccountHint(c),
                 QStringLiteral("Several systems share this account: garage, shed — start with a name, e.g. 'garage status'"));
    }

    void router()
    {
        CommandRouter router(3);
        QStringList calls;
        router.add(QStringLiteral("status"), {QStringLiteral("st")}, QStringLiteral("state"),
                   [&calls](const CommandRequest &r, const Replier &) { calls << r.name + QLatin1Char('|') + r.arguments; });
        router.add(QStringLiteral("mute"), {}, QStringLiteral("mute"),
                   [&calls](const CommandRequest &r, const Replier &) { calls << r.name + QLatin1Char('|') + r.arguments; });
        const auto t0 = std::chrono::steady_clock::now();
        const Replier nobody; // replies go nowhere in this unit test
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("  STATUS "), nobody, t0));
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("mute   2h"), nobody, t0));
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("st"), nobody, t0));
        QCOMPARE(calls, (QStringList{QStringLiteral("status|"), QStringLiteral("mute|2h"), QStringLiteral("status|")}));
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("status"), nobody, t0)); // "slow down" once
        QVERIFY(!router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("status"), nobody, t0)); // then silence
        QCOMPARE(calls.size(), 3);
        QVERIFY(router.dispatch(QStringLiteral("me@x/other"), QStringLiteral("status"), nobody, t0 + std::chrono::seconds(61)));
        QCOMPARE(calls.size(), 4);
        QVERIFY(!router.dispatch(QStringLiteral("wife@x/p"), QString(2000, QLatin1Char('a')), nobody, t0));
        QVERIFY(!router.dispatch(QStringLiteral("wife@x/p"), QStringLiteral("status\x07"), nobody, t0));
        QCOMPARE(calls.size(), 4);
        QVERIFY(router.helpText().contains(QStringLiteral("status (st) — state")));
    }

    void outboxKeepsOrderAcrossRestarts()
    {
        QTemporaryDir dir;
        QThreadPool writer;
        writer.setMaxThreadCount(1);
        const QStringList owners{QStringLiteral("me@x"), QStringLiteral("wife@x")};
        const auto entry = [&](const QString &text) {
            OutboxEntry e;
            e.text = text;
            e.owners = owners;
            return e;
        };
        {
            Outbox box(dir.path(), &writer);
            QString error;
            QVERIFY(box.open(owners, &error));
            box.add(entry(QStringLiteral("one")), {});
            const OutboxEntry two = box.add(entry(QStringLiteral("two")), QByteArray("\xff\xd8picture", 9));
            box.add(entry(QStringLiteral("three")), {});
            OutboxEntry first = *box.find(1);
            first.owners.removeAll(QStringLiteral("me@x")); // delivered to one owner only
            first.attempts = 1;
            *box.find(1) = first;
            box.save(first);
            box.remove(3);
            QVERIFY(two.picturePending());
            QCOMPARE(box.entries().size(), 2); // the list in memory is the truth at once
        } // the outbox waits for its writes
        Outbox reopened(dir.path(), &writer);
        QString error;
        QVERIFY(reopened.open(owners, &error));
        const auto pending = reopened.entries();
        QCOMPARE(pending.size(), 2);
        QCOMPARE(pending[0].text, QStringLiteral("one"));
        QCOMPARE(pending[0].owners, QStringList{QStringLiteral("wife@x")}); // not resent to the owner who has it
        QVERIFY(pending[0].mayRepeat);
        QCOMPARE(pending[1].text, QStringLiteral("two"));
        QVERIFY(pending[1].picturePending());
        QVERIFY(!pending[0].id.isEmpty());
        QVERIFY(pending[0].id != pending[1].id);
        std::optional<std::expected<QByteArray, QString>> picture;
        reopened.readPicture(pending[1], [&](std::expected<QByteArray, QString> bytes) { picture = bytes; });
        QTRY_VERIFY(picture.has_value());
        QCOMPARE(picture->value(), QByteArray("\xff\xd8picture", 9));
        QCOMPARE(reopened.add(entry(QStringLiteral("four")), {}).seq, 3); // after the last one left
        OutboxEntry gone = pending[0];
        gone.picture = QStringLiteral("snapshots/none.jpg");
        picture.reset();
        reopened.readPicture(gone, [&](std::expected<QByteArray, QString> bytes) { picture = bytes; });
        QTRY_VERIFY(picture.has_value());
        QVERIFY(!picture->has_value());
        QVERIFY2(picture->error().contains(QLatin1String("snapshots/none.jpg is gone")), qPrintable(picture->error()));
    }

    // A write that fails (the outbox directory replaced by a file, as a read-only or broken card would) is reported
    // once per failure streak, the alert stays in memory, and a write that works again is reported too.
    void outboxWriteFailuresAreReported()
    {
        QTemporaryDir dir;
        QThreadPool writer;
        writer.setMaxThreadCount(1);
        Outbox box(dir.path(), &writer);
        QString error;
        QVERIFY(box.open({QStringLiteral("me@x")}, &error));
        QSignalSpy failed(&box, &Outbox::storageFailed);
        QSignalSpy recovered(&box, &Outbox::storageRecovered);
        QVERIFY(QDir(dir.path()).rmdir(QStringLiteral("outbox")));
        QFile blocker(dir.filePath(QStringLiteral("outbox")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        OutboxEntry e;
        e.text = QStringLiteral("door open");
        e.owners = {QStringLiteral("me@x")};
        box.add(e, {});
        box.add(e, {});
        QTRY_COMPARE(failed.size(), 1);
        writer.waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(failed.size(), 1); // once per streak
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("cannot write")), qPrintable(failed.first().first().toString()));
        QCOMPARE(box.entries().size(), 2);
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("outbox"))));
        box.add(e, {});
        QTRY_COMPARE(recovered.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAddressing)
#include "tst_Addressing.moc"
