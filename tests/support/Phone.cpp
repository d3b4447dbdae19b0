#include "Phone.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QThread>

namespace garage::test {

Phone::~Phone()
{
    stop();
}

bool Phone::start(const QString &jid, const QString &password, const ProsodyServer &server, QString *error,
                  const QString &recordFrom)
{
    m_dir = server.directory();
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readEvents(); });
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    QStringList arguments{QStringLiteral(GARAGE_SOURCE_DIR "/tests/support/phone.py"), QStringLiteral("--jid"), jid,
                          QStringLiteral("--password"), password, QStringLiteral("--ca"), server.caFile(),
                          QStringLiteral("--port"), QString::number(server.port())};
    if (!recordFrom.isEmpty())
        arguments << QStringLiteral("--record-from") << recordFrom;
    m_process.start(QStringLiteral("python3"), arguments);
    const auto connected = waitEvent(QStringLiteral("connected"), 20000);
    if (!connected) {
        *error = QStringLiteral("the phone did not connect: ") + QString::fromUtf8(m_process.readAllStandardError());
        return false;
    }
    m_jid = connected->value(QStringLiteral("jid")).toString();
    return true;
}

void Phone::readEvents()
{
    m_buffer += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QJsonObject o = QJsonDocument::fromJson(m_buffer.left(newline)).object();
        m_buffer.remove(0, newline + 1);
        if (o.value(QStringLiteral("event")) == QLatin1String("message"))
            m_messages << PhoneMessage{o.value(QStringLiteral("from")).toString(), o.value(QStringLiteral("to")).toString(),
                                       o.value(QStringLiteral("body")).toString(), o.value(QStringLiteral("oob_url")).toString(),
                                       o.value(QStringLiteral("delayed")).toBool(), QDateTime::currentDateTimeUtc()};
        else if (o.value(QStringLiteral("event")) == QLatin1String("presence"))
            m_presences << PhonePresence{o.value(QStringLiteral("from")).toString(), o.value(QStringLiteral("type")).toString(),
                                         o.value(QStringLiteral("status")).toString()};
        else if (o.value(QStringLiteral("event")) == QLatin1String("stanza"))
            m_stanzas << PhoneStanza{o.value(QStringLiteral("from")).toString(), o.value(QStringLiteral("tag")).toString(),
                                     o.value(QStringLiteral("type")).toString(), o.value(QStringLiteral("id")).toString(),
                                     o.value(QStringLiteral("xml")).toString()};
        else
            m_events << o;
    }
}

std::optional<QJsonObject> Phone::waitEvent(const QString &event, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        for (qsizetype i = 0; i < m_events.size(); ++i)
            if (m_events[i].value(QStringLiteral("event")).toString() == event) {
                return m_events.takeAt(i);
            }
        if (m_process.state() == QProcess::NotRunning)
            return std::nullopt;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        m_process.waitForReadyRead(20);
    }
    return std::nullopt;
}

void Phone::send(const QString &to, const QString &body)
{
    const QJsonObject cmd{{QStringLiteral("cmd"), QStringLiteral("send")}, {QStringLiteral("to"), to}, {QStringLiteral("body"), body}};
    m_process.write(QJsonDocument(cmd).toJson(QJsonDocument::Compact) + '\n');
    m_process.waitForBytesWritten(1000);
}

void Phone::sendRaw(const QString &xml)
{
    const QJsonObject cmd{{QStringLiteral("cmd"), QStringLiteral("raw")}, {QStringLiteral("xml"), xml}};
    m_process.write(QJsonDocument(cmd).toJson(QJsonDocument::Compact) + '\n');
    m_process.waitForBytesWritten(1000);
}

void Phone::subscribe(const QString &bareJid)
{
    const QJsonObject cmd{{QStringLiteral("cmd"), QStringLiteral("subscribe")}, {QStringLiteral("to"), bareJid}};
    m_process.write(QJsonDocument(cmd).toJson(QJsonDocument::Compact) + '\n');
    m_process.waitForBytesWritten(1000);
}

std::optional<PhonePresence> Phone::waitForPresence(const std::function<bool(const PhonePresence &)> &match, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    qsizetype seen = 0;
    do {
        for (; seen < m_presences.size(); ++seen)
            if (match(m_presences[seen]))
                return m_presences[seen];
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        m_process.waitForReadyRead(10);
    } while (!deadline.hasExpired());
    return std::nullopt;
}

std::optional<PhoneMessage> Phone::waitFor(const std::function<bool(const PhoneMessage &)> &match, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    qsizetype seen = 0;
    do {
        for (; seen < m_messages.size(); ++seen)
            if (match(m_messages[seen]))
                return m_messages[seen];
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        m_process.waitForReadyRead(10);
    } while (!deadline.hasExpired());
    return std::nullopt;
}

int Phone::countAfter(const std::function<bool(const PhoneMessage &)> &match, int quietMs)
{
    waitFor([](const PhoneMessage &) { return false; }, quietMs);
    int n = 0;
    for (const PhoneMessage &m : std::as_const(m_messages))
        n += match(m);
    return n;
}

std::expected<QByteArray, QString> Phone::download(const QString &url)
{
    static int counter = 0;
    const QString path = m_dir + QStringLiteral("/download-%1").arg(++counter);
    const QJsonObject cmd{{QStringLiteral("cmd"), QStringLiteral("download")}, {QStringLiteral("url"), url}, {QStringLiteral("path"), path}};
    m_process.write(QJsonDocument(cmd).toJson(QJsonDocument::Compact) + '\n');
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        if (auto done = waitEvent(QStringLiteral("downloaded"), 100)) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return std::unexpected(QStringLiteral("downloaded file missing"));
            return f.readAll();
        }
        if (auto failed = waitEvent(QStringLiteral("error"), 10))
            return std::unexpected(failed->value(QStringLiteral("what")).toString());
    }
    return std::unexpected(QStringLiteral("download timed out"));
}

void Phone::command(const QJsonObject &cmd)
{
    m_process.write(QJsonDocument(cmd).toJson(QJsonDocument::Compact) + '\n');
    m_process.waitForBytesWritten(1000);
}

QStringList Phone::probe(const QString &to)
{
    command({{QStringLiteral("cmd"), QStringLiteral("probe")}, {QStringLiteral("to"), to}});
    QStringList ids;
    if (const auto done = waitEvent(QStringLiteral("probed"), 10000))
        for (const QJsonValue &id : done->value(QStringLiteral("ids")).toArray())
            ids << id.toString();
    return ids;
}

qint64 Phone::flood(const QStringList &targets, int count, int seed, int maxBytes, int timeoutMs)
{
    command({{QStringLiteral("cmd"), QStringLiteral("flood")}, {QStringLiteral("to"), QJsonArray::fromStringList(targets)},
             {QStringLiteral("count"), count}, {QStringLiteral("seed"), seed}, {QStringLiteral("max_bytes"), maxBytes}});
    const auto done = waitEvent(QStringLiteral("flooded"), timeoutMs);
    return done ? qint64(done->value(QStringLiteral("bytes")).toDouble()) : -1;
}

bool Phone::sync(int timeoutMs)
{
    command({{QStringLiteral("cmd"), QStringLiteral("sync")}});
    return waitEvent(QStringLiteral("synced"), timeoutMs).has_value();
}

std::optional<PhoneStanza> Phone::waitForStanza(const std::function<bool(const PhoneStanza &)> &match, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    qsizetype seen = 0;
    do {
        for (; seen < m_stanzas.size(); ++seen)
            if (match(m_stanzas[seen]))
                return m_stanzas[seen];
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        m_process.waitForReadyRead(10);
    } while (!deadline.hasExpired());
    return std::nullopt;
}

void Phone::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.write("{\"cmd\": \"quit\"}\n");
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

} // namespace garage::test
