// The pure rules of alert delivery, table by table: what confirms a send, the late note, what a full or stale outbox
// drops and the line that says so.
#include "xmpp/DeliveryRules.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(garage::SendOutcome)

class TestDeliveryRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outcome_data()
    {
        QTest::addColumn<bool>("failed");
        QTest::addColumn<bool>("acknowledged");
        QTest::addColumn<SendOutcome>("expected");
        QTest::newRow("XEP-0198 acknowledgement") << false << true << SendOutcome::Delivered;
        QTest::newRow("written, no XEP-0198: ping first") << false << false << SendOutcome::NeedsPing;
        QTest::newRow("socket write failed") << true << false << SendOutcome::Failed;
    }
    void outcome()
    {
        QFETCH(bool, failed);
        QFETCH(bool, acknowledged);
        QFETCH(SendOutcome, expected);
        QCOMPARE(sendOutcome(failed, acknowledged), expected);
    }

    void duration_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << qint64(45) << QStringLiteral("45 s");
        QTest::newRow("minutes") << qint64(12 * 60 + 5) << QStringLiteral("12 min");
        QTest::newRow("hours") << qint64(2 * 3600) << QStringLiteral("2 h");
        QTest::newRow("hours and minutes") << qint64(2 * 3600 + 5 * 60) << QStringLiteral("2 h 5 min");
        QTest::newRow("many hours") << qint64(13 * 3600 + 5 * 60) << QStringLiteral("13 h");
        QTest::newRow("days") << qint64(3 * 86400 + 600) << QStringLiteral("3 days");
        QTest::newRow("negative (clock stepped)") << qint64(-30) << QStringLiteral("0 s");
    }
    void duration()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(describeDuration(std::chrono::seconds(seconds)), text);
    }

    void late_data()
    {
        QTest::addColumn<qint64>("secondsLater");
        QTest::addColumn<QString>("note");
        QTest::newRow("at once") << qint64(1) << QString();
        QTest::newRow("just under 2 min") << qint64(119) << QString();
        QTest::newRow("after an outage") << qint64(2 * 3600) << QStringLiteral(" — sent 2 h late, the server was unreachable");
        QTest::newRow("3 min") << qint64(180) << QStringLiteral(" — sent 3 min late, the server was unreachable");
    }
    void late()
    {
        QFETCH(qint64, secondsLater);
        QFETCH(QString, note);
        const QDateTime happened(QDate(2026, 12, 2), QTime(14, 3), QTimeZone::UTC);
        QCOMPARE(lateNote(happened, happened.addSecs(secondsLater)), note);
        QCOMPARE(lateNote(QDateTime(), happened), QString()); // unknown: no claim
    }

    void drop_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("maxAlerts");
        QTest::addColumn<int>("busy");        // index of the alert on its way, -1: none
        QTest::addColumn<int>("oldHours");    // the first alerts are this old (the rest are 1 min apart, recent)
        QTest::addColumn<int>("oldCount");
        QTest::addColumn<QList<qint64>>("dropped");
        QTest::newRow("within the cap") << 5 << 5 << -1 << 0 << 0 << QList<qint64>{};
        QTest::newRow("one over: the oldest") << 6 << 5 << -1 << 0 << 0 << QList<qint64>{1};
        QTest::newRow("over, the oldest on its way") << 7 << 5 << 0 << 0 << 0 << QList<qint64>{2, 3};
        QTest::newRow("stale ones, within the cap") << 4 << 50 << -1 << 30 << 2 << QList<qint64>{1, 2};
        QTest::newRow("stale and on its way: kept") << 4 << 50 << 0 << 30 << 2 << QList<qint64>{2};
        QTest::newRow("no cap") << 80 << 0 << -1 << 0 << 0 << QList<qint64>{};
    }
    void drop()
    {
        QFETCH(int, count);
        QFETCH(int, maxAlerts);
        QFETCH(int, busy);
        QFETCH(int, oldHours);
        QFETCH(int, oldCount);
        QFETCH(QList<qint64>, dropped);
        const QDateTime now(QDate(2026, 12, 2), QTime(12, 0), QTimeZone::UTC);
        QList<OutboxItem> items;
        for (int i = 0; i < count; ++i)
            items << OutboxItem{i + 1, i < oldCount ? now.addSecs(-oldHours * 3600) : now.addSecs(-60 * (count - i)), i == busy};
        QCOMPARE(alertsToDrop(items, maxAlerts, 24h, now), dropped);
    }

    void summary()
    {
        const QDateTime first = QDateTime(QDate(2026, 12, 2), QTime(3, 10)).toUTC(); // local times in, local out
        const QDateTime last = QDateTime(QDate(2026, 12, 2), QTime(5, 40)).toUTC();
        QCOMPARE(droppedSummary(12, first, last),
                 QStringLiteral("12 older alerts from 03:10–05:40 were dropped while the server was unreachable"));
        QCOMPARE(droppedSummary(1, first, first),
                 QStringLiteral("1 older alert at 03:10 was dropped while the server was unreachable"));
    }
};

QTEST_GUILESS_MAIN(TestDeliveryRules)
#include "tst_DeliveryRules.moc"
