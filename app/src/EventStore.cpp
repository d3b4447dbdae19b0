#include "app/EventStore.h"

#include "Logging.h"
#include "app/Clock.h"
#include "app/JsonFile.h"
#include "app/StorageBudget.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentRun>

namespace garage {
namespace {

constexpr int kMaxRecords = 2000;
constexpr auto kListCoalesce = std::chrono::milliseconds(300); // the list of an event is written once, not per change

// The only picture paths the store reads or deletes: events.json is data on a disk, not a list of paths to trust.
bool isPicturePath(const QString &relative)
{
    static const QRegularExpression pattern(QStringLiteral("^snapshots/[0-9]{6,9}\\.jpg$"));
    return pattern.match(relative).hasMatch();
}

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

EventStore::EventStore(const StorageConfig &config, StorageWriter *writer, const Clock *clock, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_ownWriter(writer ? std::unique_ptr<StorageWriter>() : std::make_unique<StorageWriter>()),
      m_writer(writer ? writer : m_ownWriter.get()),
      m_clock(clock ? *clock : Clock::system())
{
    m_listTimer.setSingleShot(true);
    m_listTimer.setInterval(kListCoalesce);
    connect(&m_listTimer, &QTimer::timeout, this, &EventStore::persistList);
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
            for (const QJsonValue &v : doc->array()) {
                EventRecord e = fromJson(v.toObject());
                if (e.id <= 0 || !e.start.isValid())
                    continue;
                if (!e.snapshotFile.isEmpty() && !isPicturePath(e.snapshotFile)) {
                    qCWarning(lcApp).nospace() << "event #" << e.id << " in " << listPath << ": picture path "
                                               << e.snapshotFile << " is not snapshots/NNNNNN.jpg; it is never read "
                                                                    "or deleted";
                    e.snapshotFile.clear();
                }
                m_events << e;
            }
        }
    }
    for (const EventRecord &e : std::as_const(m_events))
        m_nextId = std::max(m_nextId, e.id + 1);
    m_openedWall = m_clock.wallNow();
    m_openedSteady = m_clock.steadyNow();
    qCInfo(lcApp) << "event history:" << m_events.size() << "events in" << m_config.dir;
    return true;
}

int EventStore::add(EventRecord record)
{
    record.id = m_nextId++;
    m_events << record;
    prune();
    listChanged();
    return record.id;
}

void EventStore::update(const EventRecord &record)
{
    for (EventRecord &e : m_events)
        if (e.id == record.id)
            e = record;
    listChanged();
}

QFuture<std::expected<QString, QString>> EventStore::attachSnapshot(int id, const QByteArray &jpeg)
{
    using Attached = std::expected<QString, QString>;
    const QString relative = QStringLiteral("snapshots/%1.jpg").arg(id, 6, 10, QLatin1Char('0'));
    const QString path = m_config.dir + QLatin1Char('/') + relative;
    if (!find(id))
        return QtFuture::makeReadyValueFuture(Attached(std::unexpected(QStringLiteral("no event #%1").arg(id))));
    // a hung disk must not pile pictures up in memory: past the bound the picture is not kept (the alert still
    // carries it), and the record names no file
    if (m_queue->pictures.load() >= kMaxQueuedPictures)
        return QtFuture::makeReadyValueFuture(Attached(std::unexpected(
            QStringLiteral("%1 pictures are already waiting for the disk (is it hung?): this one is not kept")
                .arg(kMaxQueuedPictures))));
    for (EventRecord &e : m_events)
        if (e.id == id)
            e.snapshotFile = relative;
    // the file first, then the list that names it: a crash in between leaves an orphan file, never a dangling name
    const QString dir = m_config.dir;
    const qint64 budget = qint64(m_config.maxMegabytes) * 1024 * 1024;
    ++m_queue->pictures;
    ++m_queue->jobs;
    auto written = m_writer->run([path, jpeg, dir, budget, queue = m_queue]() -> StorageWriter::Result {
        const QueueSlot done(queue, &Queue::pictures);
        QString error;
        if (!writeFileAtomically(path, jpeg, &error))
            return std::unexpected(error);
        enforceStorageBudget(dir, budget);
        return {};
    }, QStringLiteral("snapshots")); // any later picture written means pictures are kept again
    m_openList.reset(); // a list naming this picture is written after it, never by a job queued before it
    listChanged();
    return written.then([relative](const StorageWriter::Result &result) -> std::expected<QString, QString> {
        if (!result)
            return std::unexpected(result.error());
        return relative;
    });
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
    const QString path = record && isPicturePath(record->snapshotFile)
                             ? m_config.dir + QLatin1Char('/') + record->snapshotFile
                             : QString();
    return QtConcurrent::run(m_writer->pool(), [path] {
        QFile file(path);
        return !path.isEmpty() && file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    });
}

void EventStore::waitForWrites()
{
    if (m_listDirty)
        persistList();
    m_writer->waitForDone();
}

void EventStore::listChanged()
{
    m_listDirty = true;
    if (!m_listTimer.isActive())
        m_listTimer.start();
}

void EventStore::persistList()
{
    m_listTimer.stop();
    m_listDirty = false;
    QJsonArray array;
    for (const EventRecord &e : std::as_const(m_events))
        array.append(toJson(e));
    QByteArray data = QJsonDocument(array).toJson(QJsonDocument::Indented);
    if (m_openList) {
        const std::lock_guard lock(m_openList->mutex);
        if (!m_openList->started) { // still queued: it writes this newer list instead of the one it had
            m_openList->data = std::move(data);
            return;
        }
    }
    m_openList = std::make_shared<ListWrite>();
    m_openList->data = std::move(data);
    ++m_queue->jobs;
    const QString path = m_config.dir + QStringLiteral("/events.json");
    m_writer->run([path, write = m_openList, queue = m_queue]() -> StorageWriter::Result {
        const QueueSlot done(queue, nullptr);
        QByteArray data;
        {
            const std::lock_guard lock(write->mutex);
            write->started = true;
            data = std::move(write->data);
        }
        QString error;
        if (!writeFileAtomically(path, data, &error))
            return std::unexpected(error);
        return {};
    }, path);
}

QDateTime EventStore::pruneNow() const
{
    const QDateTime wall = m_clock.wallNow();
    if (!m_openedWall.isValid())
        return wall;
    const auto seen = std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.steadyNow() - m_openedSteady);
    const QDateTime bound = m_openedWall.addMSecs(seen.count());
    return std::min(wall, bound);
}

void EventStore::prune()
{
    const QDateTime oldest = pruneNow().addDays(-m_config.retentionDays);
    QStringList doomed;
    while (!m_events.isEmpty() && (m_events.size() > kMaxRecords || m_events.first().start < oldest)) {
        if (isPicturePath(m_events.first().snapshotFile))
            doomed << m_events.first().snapshotFile;
        m_events.removeFirst();
    }
    if (doomed.isEmpty())
        return;
    if (m_openDeletion) {
        const std::lock_guard lock(m_openDeletion->mutex);
        if (!m_openDeletion->started) { // one queued deletion takes every file doomed until it runs
            m_openDeletion->files << doomed;
            return;
        }
    }
    m_openDeletion = std::make_shared<Deletion>();
    m_openDeletion->files = doomed;
    ++m_queue->jobs;
    const QString dir = m_config.dir;
    m_writer->run([dir, deletion = m_openDeletion, queue = m_queue]() -> StorageWriter::Result {
        const QueueSlot done(queue, nullptr);
        QStringList files;
        {
            const std::lock_guard lock(deletion->mutex);
            deletion->started = true;
            files = std::move(deletion->files);
        }
        for (const QString &file : std::as_const(files))
            QFile::remove(dir + QLatin1Char('/') + file);
        return {};
    });
}

} // namespace garage
