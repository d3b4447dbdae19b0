#include "app/EventStore.h"

#include "Logging.h"
#include "app/JsonFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

namespace garage {
namespace {

constexpr int kMaxRecords = 2000;

QJsonObject toJson(const EventRecord &e)
{
    QJsonObject o{{QStringLiteral("id"), e.id},
                  {QStringLiteral("kind"), e.kind},
                  {QStringLiteral("start"), e.start.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("summary"), e.summary},
                  {QStringLiteral("peak_pct"), e.peakPercent},
                  {QStringLiteral("snapshot"), e.snapshotFile}};
    if (e.end.isValid())
        o.insert(QStringLiteral("end"), e.end.toString(Qt::ISODateWithMs));
    if (e.person)
        o.insert(QStringLiteral("person"), *e.person);
    return o;
}

EventRecord fromJson(const QJsonObject &o)
{
    EventRecord e;
    e.id = o.value(QStringLiteral("id")).toInt();
    e.kind = o.value(QStringLiteral("kind")).toString();
    e.start = QDateTime::fromString(o.value(QStringLiteral("start")).toString(), Qt::ISODateWithMs);
    e.end = QDateTime::fromString(o.value(QStringLiteral("end")).toString(), Qt::ISODateWithMs);
    e.summary = o.value(QStringLiteral("summary")).toString();
    e.peakPercent = o.value(QStringLiteral("peak_pct")).toDouble();
    if (o.contains(QStringLiteral("person")))
        e.person = o.value(QStringLiteral("person")).toBool();
    e.snapshotFile = o.value(QStringLiteral("snapshot")).toString();
    return e;
}

} // namespace

EventStore::EventStore(const StorageConfig &config, QObject *parent)
    : QObject(parent), m_config(config)
{
    m_disk.setMaxThreadCount(1);
    m_disk.setExpiryTimeout(-1);
}

EventStore::~EventStore()
{
    waitForWrites();
}

bool EventStore::open(QString *error)
{
    if (!QDir().mkpath(m_config.dir + QStringLiteral("/snapshots"))) {
        *error = QStringLiteral("cannot create the storage directory %1").arg(m_config.dir);
        return false;
    }
    const QString listPath = m_config.dir + QStringLiteral("/events.json");
    if (QFileInfo::exists(listPath)) {
        const auto doc = readJsonFile(listPath);
        if (!doc || !doc->isArray()) {
            qCWarning(lcApp) << "event list" << listPath << "is unreadable (" << (doc ? QString() : doc.error())
                             << "); kept as events.json.bad and starting a new one";
            QFile::remove(listPath + QStringLiteral(".bad"));
            QFile::rename(listPath, listPath + QStringLiteral(".bad"));
        } else {
            for (const QJsonValue &v : doc->array())
                if (const EventRecord e = fromJson(v.toObject()); e.id > 0 && e.start.isValid())
                    m_events << e;
        }
    }
    for (const EventRecord &e : std::as_const(m_events))
        m_nextId = std::max(m_nextId, e.id + 1);
    qCInfo(lcApp) << "event history:" << m_events.size() << "events in" << m_config.dir;
    return true;
}

int EventStore::add(EventRecord record)
{
    record.id = m_nextId++;
    m_events << record;
    prune(QDateTime::currentDateTimeUtc());
    persistList();
    return record.id;
}

void EventStore::update(const EventRecord &record)
{
    for (EventRecord &e : m_events)
        if (e.id == record.id)
            e = record;
    persistList();
}

void EventStore::attachSnapshot(int id, const QByteArray &jpeg)
{
    const QString relative = QStringLiteral("snapshots/%1.jpg").arg(id, 6, 10, QLatin1Char('0'));
    const QString path = m_config.dir + QLatin1Char('/') + relative;
    bool known = false;
    for (EventRecord &e : m_events)
        if (e.id == id) {
            e.snapshotFile = relative;
            known = true;
        }
    if (!known)
        return;
    // the file first, then the list that names it: a crash in between leaves an orphan file, never a dangling name
    m_disk.start([path, jpeg] {
        if (!writeFileAtomically(path, jpeg))
            qCWarning(lcApp) << "cannot write snapshot" << path;
    });
    prune(QDateTime::currentDateTimeUtc());
    persistList();
}

QList<EventRecord> EventStore::latest(int count) const
{
    QList<EventRecord> result;
    for (auto it = m_events.crbegin(); it != m_events.crend() && result.size() < count; ++it)
        result << *it;
    return result;
}

std::optional<EventRecord> EventStore::find(int id) const
{
    for (const EventRecord &e : m_events)
        if (e.id == id)
            return e;
    return std::nullopt;
}

QFuture<QByteArray> EventStore::readSnapshot(int id) const
{
    const auto record = find(id);
    const QString path = record && !record->snapshotFile.isEmpty()
                             ? m_config.dir + QLatin1Char('/') + record->snapshotFile
                             : QString();
    return QtConcurrent::run(&m_disk, [path] {
        QFile file(path);
        return !path.isEmpty() && file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    });
}

void EventStore::waitForWrites()
{
    m_disk.waitForDone();
}

void EventStore::persistList()
{
    QJsonArray array;
    for (const EventRecord &e : std::as_const(m_events))
        array.append(toJson(e));
    const QByteArray data = QJsonDocument(array).toJson(QJsonDocument::Indented);
    const QString path = m_config.dir + QStringLiteral("/events.json");
    m_disk.start([path, data] {
        if (!writeFileAtomically(path, data))
            qCWarning(lcApp) << "cannot write the event list" << path;
    });
}

void EventStore::prune(const QDateTime &now)
{
    const QDateTime oldest = now.addDays(-m_config.retentionDays);
    QStringList doomed;
    while (!m_events.isEmpty() && (m_events.size() > kMaxRecords || m_events.first().start < oldest)) {
        if (!m_events.first().snapshotFile.isEmpty())
            doomed << m_events.first().snapshotFile;
        m_events.removeFirst();
    }
    // over the size budget: remove the oldest snapshots (the records stay, saying the picture is gone)
    const QString dir = m_config.dir;
    const qint64 budget = qint64(m_config.maxMegabytes) * 1024 * 1024;
    QStringList withSnapshots;
    for (const EventRecord &e : std::as_const(m_events))
        if (!e.snapshotFile.isEmpty())
            withSnapshots << e.snapshotFile;
    m_disk.start([dir, doomed, withSnapshots, budget] {
        for (const QString &file : doomed)
            QFile::remove(dir + QLatin1Char('/') + file);
        qint64 total = 0;
        for (const QString &file : withSnapshots)
            total += QFileInfo(dir + QLatin1Char('/') + file).size();
        for (const QString &file : withSnapshots) {
            if (total <= budget)
                break;
            total -= QFileInfo(dir + QLatin1Char('/') + file).size();
            QFile::remove(dir + QLatin1Char('/') + file);
            qCInfo(lcApp) << "storage over" << budget / (1024 * 1024) << "MB: removed old snapshot" << file;
        }
    });
}

} // namespace garage
