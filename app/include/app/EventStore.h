// The event history on disk: the list of events (events.json) and their snapshots (snapshots/<id>.jpg), written
// atomically on a single worker thread (in order, never on the event loop), pruned by age and total size.
#pragma once

#include "app/AppConfig.h"

#include <QDateTime>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QThreadPool>
#include <optional>

namespace garage {

struct EventRecord {
    int id = 0;                  // 1, 2, 3 ... across restarts
    QString kind;                // "motion", "door", "temperature", "camera"
    QDateTime start;
    QDateTime end;               // null while ongoing
    QString summary;             // "motion, 3.2 % of the view, person"
    double peakPercent = 0;
    std::optional<bool> person;
    QString snapshotFile;        // relative to the storage dir; empty when none (or pruned)
};

class EventStore : public QObject
{
    Q_OBJECT
public:
    explicit EventStore(const StorageConfig &config, QObject *parent = nullptr);
    ~EventStore() override; // waits for pending writes

    // Creates the directories and loads the saved list. A corrupt list is set aside (events.json.bad), not fatal.
    bool open(QString *error);

    int add(EventRecord record);             // assigns the id; persisted
    void update(const EventRecord &record);  // same id; persisted
    void attachSnapshot(int id, const QByteArray &jpeg);
    QList<EventRecord> latest(int count) const; // newest first
    std::optional<EventRecord> find(int id) const;
    QFuture<QByteArray> readSnapshot(int id) const; // empty when the event has no snapshot (any more)
    void waitForWrites();
    QString directory() const { return m_config.dir; }

private:
    void persistList();
    void prune(const QDateTime &now);

    StorageConfig m_config;
    QList<EventRecord> m_events; // oldest first
    int m_nextId = 1;
    mutable QThreadPool m_disk;  // one thread: writes happen in order
};

} // namespace garage
