// The door relay: requested inactive at start, held active for press_ms only, never two presses at once, released
// inactive at stop (also in the middle of a press), and a line that fails is given back rather than left pressed.
// The line is a stand-in at the hardware edge (an OutputLine that records what it was told); the simulated lines the
// daemon's end-to-end test uses (sim:<file>) are checked here too, through the public factories.
#include "TestUtils.h"
#include "sensors/DoorContact.h"
#include "sensors/DoorRelay.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace garage;
using namespace std::chrono_literals;

namespace {

struct OutputState {
    QStringList calls; // "request", "active", "inactive", "release"
    QString requestError;
    QString setError;
    bool requested = false;
    bool active = false;
    QElapsedTimer sinceActive;
    qint64 activeMs = -1; // how long the last press held the line active
};

class OutputStandIn : public OutputLine
{
public:
    explicit OutputStandIn(std::shared_ptr<OutputState> s) : m_s(std::move(s)) {}
    QString name() const override { return QStringLiteral("stand-in relay"); }
    std::expected<void, QString> request() override
    {
        m_s->calls << QStringLiteral("request");
        if (!m_s->requestError.isEmpty())
            return std::unexpected(m_s->requestError);
        m_s->requested = true;
        m_s->active = false;
        return {};
    }
    std::expected<void, QString> setActive(bool active) override
    {
        if (!m_s->setError.isEmpty())
            return std::unexpected(m_s->setError);
        m_s->calls << (active ? QStringLiteral("active") : QStringLiteral("inactive"));
        if (active && !m_s->active)
            m_s->sinceActive.start();
        if (!active && m_s->active)
            m_s->activeMs = m_s->sinceActive.elapsed();
        m_s->active = active;
        return {};
    }
    void release() override
    {
        if (!m_s->requested)
            return;
        m_s->calls << QStringLiteral("release");
        m_s->requested = false;
        m_s->active = false;
    }

private:
    std::shared_ptr<OutputState> m_s;
};

struct Relay {
    explicit Relay(std::chrono::milliseconds press = 200ms)
        : line(std::make_shared<OutputState>()), relay(press, std::make_unique<OutputStandIn>(line))
    {
    }
    std::shared_ptr<OutputState> line;
    DoorRelay relay;
};

QStringList lines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestDoorRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pressHoldsForPressMs()
    {
        Relay r(200ms);
        r.relay.start();
        QCOMPARE(r.line->calls, QStringList{QStringLiteral("request")}); // inactive from the request on
        QSignalSpy released(&r.relay, &DoorRelay::released);
        QVERIFY(r.relay.press());
        QVERIFY(r.relay.isPressing());
        QVERIFY(r.line->active);
        QVERIFY(released.wait(2000));
        QVERIFY(!r.line->active);
        QVERIFY2(r.line->activeMs >= 195 && r.line->activeMs < 300, qPrintable(QString::number(r.line->activeMs)));
        r.relay.stop();
        QCOMPARE(r.line->calls, (QStringList{QStringLiteral("request"), QStringLiteral("active"), QStringLiteral("inactive"),
                                             QStringLiteral("release")}));
    }

    void noSecondPressDuringAPress()
    {
        Relay r(300ms);
        r.relay.start();
        QVERIFY(r.relay.press());
        const auto second = r.relay.press();
        QVERIFY(!second);
        QCOMPARE(second.error(), QStringLiteral("the button is being pressed already"));
        QTRY_VERIFY(!r.relay.isPressing());
        QCOMPARE(r.line->calls.count(QStringLiteral("active")), 1);
    }

    void stopEndsAPressInactive()
    {
        Relay r(5000ms);
        r.relay.start();
        QVERIFY(r.relay.press());
        r.relay.stop();
        QVERIFY(!r.line->active);
        QCOMPARE(r.line->calls, (QStringList{QStringLiteral("request"), QStringLiteral("active"), QStringLiteral("inactive"),
                                             QStringLiteral("release")}));
    }

    void destroyedInAPressEndsIt()
    {
        auto state = std::make_shared<OutputState>();
        {
            DoorRelay relay(5000ms, std::make_unique<OutputStandIn>(state));
            relay.start();
            QVERIFY(relay.press());
        }
        QVERIFY(!state->active);
        QCOMPARE(state->calls.last(), QStringLiteral("release"));
    }

    void requestFailsThenWorks()
    {
        Relay r;
        r.line->requestError = QStringLiteral("cannot open /dev/gpiochip0");
        r.relay.start();
        QCOMPARE(r.relay.problem(), QStringLiteral("cannot open /dev/gpiochip0"));
        const auto refused = r.relay.press();
        QVERIFY(!refused);
        QCOMPARE(refused.error(), QStringLiteral("cannot open /dev/gpiochip0"));
        QVERIFY(!r.line->active);
        r.line->requestError.clear();
        QVERIFY(r.relay.press()); // requested again at the press
        QVERIFY(r.relay.problem().isEmpty());
        QTRY_VERIFY(!r.relay.isPressing());
    }

    void aLineThatCannotBeDrivenIsGivenBack()
    {
        Relay r(100ms);
        r.relay.start();
        QVERIFY(r.relay.press());
        r.line->setError = QStringLiteral("chip gone");
        QSignalSpy released(&r.relay, &DoorRelay::released);
        QVERIFY(released.wait(2000));
        QCOMPARE(r.line->calls.last(), QStringLiteral("release")); // inactive or left to its pull resistor
        QCOMPARE(r.relay.problem(), QStringLiteral("chip gone"));
    }

    // The simulated relay line (sim:<file>) logs request, set and release with CLOCK_MONOTONIC ms: what the daemon's
    // end-to-end test reads.
    void simulatedRelayLine()
    {
        QTemporaryDir dir;
        DoorConfig c;
        c.relayLine = QStringLiteral("sim:") + dir.filePath(QStringLiteral("relay"));
        c.press = 150ms;
        auto relay = createDoorRelay(c);
        QVERIFY(relay);
        (*relay)->start();
        QVERIFY((*relay)->press());
        QTRY_VERIFY(!(*relay)->isPressing());
        (*relay)->stop();
        const QStringList log = lines(dir.filePath(QStringLiteral("relay")));
        QCOMPARE(log.size(), 4);
        QVERIFY(log[0].startsWith(QStringLiteral("request 0 ")));
        QVERIFY(log[1].startsWith(QStringLiteral("set 1 ")));
        QVERIFY(log[2].startsWith(QStringLiteral("set 0 ")));
        QVERIFY(log[3].startsWith(QStringLiteral("release 0 ")));
        const qint64 heldMs = log[2].section(QLatin1Char(' '), 2).toLongLong() - log[1].section(QLatin1Char(' '), 2).toLongLong();
        QVERIFY2(heldMs >= 149 && heldMs < 250, qPrintable(QString::number(heldMs)));

        // active low: "pressed" drives the line low
        c.relayActiveLow = true;
        c.relayLine = QStringLiteral("sim:") + dir.filePath(QStringLiteral("relay-low"));
        auto low = createDoorRelay(c);
        QVERIFY(low);
        (*low)->start();
        QVERIFY((*low)->press());
        (*low)->stop();
        const QStringList lowLog = lines(dir.filePath(QStringLiteral("relay-low")));
        QCOMPARE(lowLog.size(), 4);
        QVERIFY(lowLog[0].startsWith(QStringLiteral("request 1 ")));
        QVERIFY(lowLog[1].startsWith(QStringLiteral("set 0 ")));
        QVERIFY(lowLog[2].startsWith(QStringLiteral("set 1 ")));
        QVERIFY(lowLog[3].startsWith(QStringLiteral("release 1 ")));
    }

    // The simulated contact (sim:<file>): the level in the file, a byte in <file>.events when it may have changed.
    void simulatedContactLine()
    {
        QTemporaryDir dir;
        const QString level = dir.filePath(QStringLiteral("contact"));
        test::writeFile(level, "0");
        DoorConfig c;
        c.line = QStringLiteral("sim:") + level;
        c.debounce = 20ms;
        c.openAlertAfter = 0s;
        auto contact = createDoorContact(c);
        QVERIFY(contact);
        QSignalSpy changes(contact->get(), &DoorContact::doorChanged);
        (*contact)->start();
        QVERIFY((*contact)->isKnown());
        QVERIFY(!(*contact)->isOpen()); // active low: low = closed
        test::writeFile(level, "1");
        const int fd = ::open(QFile::encodeName(level + QStringLiteral(".events")).constData(), O_WRONLY | O_NONBLOCK);
        QVERIFY(fd >= 0);
        QCOMPARE(::write(fd, "e", 1), ssize_t(1));
        QTRY_COMPARE(changes.size(), 1);
        QVERIFY((*contact)->isOpen());
        ::close(fd);
        (*contact)->stop();
    }
};

QTEST_GUILESS_MAIN(TestDoorRelay)
#include "tst_DoorRelay.moc"
