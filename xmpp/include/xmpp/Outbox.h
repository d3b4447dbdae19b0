// Alerts not yet delivered to every owner. The list in memory is the truth on the event loop; each change is written
// (one JSON file per alert, atomically) on the appliance's disk-writing thread, so that nothing accepted is lost to
// an outage, a crash or a restart, and a slow or full SD card never stalls the event loop. What an earlier run left
// is read on that thread too (load()); alerts added before it is loaded wait in memory and come after the loaded
// ones, in order. Delivered in order.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <expected>
#include <functional>
#include <memory>

class QThreadPool;

namespace garage {

struct OutboxEntry {
    qint64 seq = 0;        // order (file name)
    QString id;            // stable across resends and restarts: the stanzas' ids and XEP-0359 origin-ids derive from it
    QString text;
    QStringList owners;    // owners the text has not been delivered to yet
    QString picture;       // relative to the storage dir; empty: none
    bool ownPicture = false;     // the outbox wrote the picture (outbox/<seq>.jpg) and removes it with the entry
    QStringList pictureOwners;   // owners the picture (or the note why there is none) still has to go to
    int attempts = 0;      // sends started, counted on disk
    bool mayRepeat = false;   // a send was started in an earlier run: the resend says it may be a repeat (not stored)
    QDateTime created;
    QDateTime happenedAt;
    int droppedCount = 0;  // > 0: this entry is the summary of that many dropped alerts
    QDateTime droppedFirst, droppedLast;

    bool picturePending() const { return !pictureOwners.isEmpty(); }
    bool isDone() const { return owners.isEmpty() && pictureOwners.isEmpty(); }
};

class Outbox : public QObject
{
    Q_OBJECT
public:
    // pool: the one disk-writing thread; it must outlive the outbox.
    Outbox(const QString &storageDir, QThreadPool *pool, QObject *parent = nullptr);
    ~Outbox() override;

    // Loads what an earlier run left (before anything is sent) on the disk thread; done runs on the event loop once
    // the loaded entries are in place, before what was added meanwhile. Entries that name no owners get these.
    void load(const QStringList &owners, std::function<void(QString error)> done);
    // A load whose reading is over but whose result has not reached the event loop yet is put in place now (and what
    // was added meanwhile written); for shutting down after waiting for the disk thread. done is not called.
    void finishLoading();
    bool isLoaded() const { return m_loaded; }
    // The same, at once on this thread (tools and tests).
    bool open(const QStringList &owners, QString *error);
    // The picture bytes (if any) are written first, then the entry; the entry is in memory (and sent) either way.
    OutboxEntry add(OutboxEntry entry, const QByteArray &jpeg);
    const QList<OutboxEntry> &entries() const { return m_entries; }
    OutboxEntry *find(qint64 seq);
    bool isEmpty() const { return m_entries.isEmpty(); }
    qint64 takeSeq() { return m_nextSeq++; }
    void insertSorted(const OutboxEntry &entry); // a summary taking the place of what it replaces
    void save(const OutboxEntry &entry);
    void remove(qint64 seq);
    // Reads the entry's picture on the disk thread; done runs on the event loop.
    void readPicture(const OutboxEntry &entry, std::function<void(std::expected<QByteArray, QString>)> done);
    // Runs job on the disk thread, then done with its result on the event loop (for files beside the outbox; a
    // failure counts as a storage failure).
    void onDiskThread(std::function<QString()> job, std::function<void(QString error)> done);

Q_SIGNALS:
    // Writing failed (disk full, read-only SD card ...): once per failure streak.
    void storageFailed(const QString &reason);
    void storageRecovered();

private:
    struct Loaded;
    QString path(qint64 seq, const char *suffix) const;
    void adopt(const QList<OutboxEntry> &loaded);
    void writeEntry(const OutboxEntry &entry, const QByteArray &jpeg);
    void write(std::function<QString()> job);
    void onWritten(const QString &error);

    QString m_storageDir;
    QString m_dir;
    QThreadPool *m_pool;
    QList<OutboxEntry> m_entries; // oldest first
    qint64 m_nextSeq = 1;
    bool m_failing = false;
    bool m_loaded = false;                      // until then nothing is written: the entries wait in memory
    // pictures not (yet) safely on disk: added before the outbox was loaded, on their way to the disk, or whose write
    // failed (a full card): sent from here, so that an alert accepted keeps its picture
    QHash<qint64, QByteArray> m_memoryPictures;
    std::shared_ptr<Loaded> m_load;             // a load on its way
    std::function<void(QString)> m_loadDone;
};

// Writes data to path atomically (a temporary file, fsync, rename); the error, or empty.
QString saveAtomically(const QString &path, const QByteArray &data);

} // namespace garage
