// The event history on disk: the list of events (events.json) and their snapshots (snapshots/<id>.jpg), written
// atomically on the storage writer (in order, never on the event loop), pruned by age and by the storage budget.
// The list is written at most once per short interval however many changes an event makes (and on waitForWrites).
// Age pruning never trusts a wall clock that leapt: it uses the wall time at open plus the steady time since.
#pragma once

#include "app/AppConfig.h"
#include "app/StorageWriter.h"

#include <QDateTime>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QTimer>
#include <atomic>
#include <chrono>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>

namespace garage {

class Clock;

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
    // writer: the appliance's storage writer (null: the store makes its own); clock: null for the system clock.
    explicit EventStore(const StorageConfig &config, StorageWriter *writer = nullptr, const Clock *clock = nullptr,
                        QObject *parent = nullptr);
    ~EventStore() override; // writes a pending list and waits for pending writes

    // Creates the directories and loads the saved list. A corrupt list is set aside (events.json.bad), not fatal.
    bool open(QString *error);

    int add(EventRecord record);             // assigns the id; persisted
    void update(const EventRecord &record);  // same id; persisted
    // Writes the picture once; the future (finished on the writer) gives its path relative to the storage dir.
    QFuture<std::expected<QString, QString>> attachSnapshot(int id, const QByteArray &jpeg);
    QList<EventRecord> latest(int count) const; // newest first
    std::optional<EventRecord> find(int id) const;
    QFuture<QByteArray> readSnapshot(int id) const; // empty when the event has no snapshot (any more)
    // Writes the list now if it changed, and waits for every pending write.
    void waitForWrites();
    QString directory() const { return m_config.dir; }
    // Writes this store has queued on the writer and that have not finished. Bounded while the disk hangs: at most
    // kMaxQueuedPictures pictures (later ones are refused), one list write per picture queued plus one (each
    // takes the newest list when it runs), one deletion waiting (it takes every file doomed until it runs).
    int queuedWrites() const { return m_queue->jobs.load(); }
    static constexpr int kMaxQueuedPictures = 8;
    StorageWriter &writer() { return *m_writer; }

private:
    void listChanged();
    void persistList();
    void prune();
    // The latest wall time age pruning may use: the wall clock, but never more than the steady clock has seen pass
    // since open (a forward leap of the wall clock must not prune the history).
    QDateTime pruneNow() const;

    // The queue accounting shared with the jobs on the writer thread (a job may finish after the store is gone).
    struct Queue {
        std::atomic<int> jobs{0};
        std::atomic<int> pictures{0};
    };
    // Counts a job out of the queue when it finishes (and a picture out of the pictures, when one).
    class QueueSlot
    {
    public:
        QueueSlot(std::shared_ptr<Queue> queue, std::atomic<int> Queue::*counter)
            : m_queue(std::move(queue)), m_counter(counter) {}
        ~QueueSlot()
        {
            if (m_counter)
                --((*m_queue).*m_counter);
            --m_queue->jobs;
        }
        QueueSlot(const QueueSlot &) = delete;
        QueueSlot &operator=(const QueueSlot &) = delete;

    private:
        std::shared_ptr<Queue> m_queue;
        std::atomic<int> Queue::*m_counter;
    };
    // A queued list write: until it starts, a newer list replaces its data.
    struct ListWrite {
        std::mutex mutex;
        QByteArray data;
        bool started = false;
    };
    // A queued deletion: until it starts, further doomed files join it.
    struct Deletion {
        std::mutex mutex;
        QStringList files;
        bool started = false;
    };

    StorageConfig m_config;
    std::shared_ptr<Queue> m_queue = std::make_shared<Queue>();
    std::shared_ptr<ListWrite> m_openList;
    std::shared_ptr<Deletion> m_openDeletion;
    std::unique_ptr<StorageWriter> m_ownWriter;
    StorageWriter *m_writer;
    const Clock &m_clock;
    QList<EventRecord> m_events; // oldest first
    int m_nextId = 1;
    bool m_listDirty = false;
    QTimer m_listTimer;
    QDateTime m_openedWall;
    std::chrono::steady_clock::time_point m_openedSteady{};
};

} // namespace garage
