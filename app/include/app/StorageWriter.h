// The appliance's one disk-writing thread: the event list, event pictures, the state file and the XMPP outbox are
// written on it, in order, never on the event loop. It knows whether writes work: failed() once per failure streak
// (disk full, read-only SD card), recovered() once every write that failed has worked again. A file whose latest
// writeFile() failed is written again every retryInterval() until it works, so that a setting the owner changed on a
// full card is kept once there is room (and the owner hears that storage is back). It also answers the watchdog: a
// no-op posted to it must complete within a bound.
#pragma once

#include <QFuture>
#include <QMap>
#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <atomic>
#include <chrono>
#include <expected>
#include <functional>
#include <memory>

namespace garage {

class StorageWriter : public QObject
{
    Q_OBJECT
public:
    using Result = std::expected<void, QString>;

    explicit StorageWriter(QObject *parent = nullptr);
    ~StorageWriter() override; // waits for pending writes

    // For modules that queue their own jobs (XmppLink's outbox): one thread, jobs in order.
    QThreadPool *pool() { return &m_pool; }

    // Writes data to path atomically on the writer thread. The result counts for failed()/recovered() under `key`
    // (default: the path): storage is back once the latest write of every key that failed has worked.
    QFuture<Result> writeFile(const QString &path, const QByteArray &data, const QString &key = {});
    // Runs a job that writes on the writer thread; its result counts for failed()/recovered() under `key` (a job
    // without a key does not count).
    QFuture<Result> run(std::function<Result()> job, const QString &key = {});
    void waitForDone() { m_pool.waitForDone(); }
    static constexpr std::chrono::seconds retryInterval() { return std::chrono::seconds(15); }
    void setRetryInterval(std::chrono::milliseconds interval) { m_retry.setInterval(interval); } // tests

    bool isFailing() const { return !m_failing.isEmpty(); }
    QString problem() const; // the latest reason of each failing key

    // For the watchdog: empty while the writer completes a no-op within `bound`; otherwise that it is stuck. Posts
    // the no-op when none is outstanding.
    QString supervisionProblem(std::chrono::steady_clock::time_point now,
                               std::chrono::milliseconds bound = std::chrono::seconds(60));

Q_SIGNALS:
    void failed(const QString &reason);
    void recovered();

private:
    void note(const QString &key, const Result &result); // on the event loop
    void retryFailedFiles();

    struct FileWrite {
        QString path;
        QByteArray data;
    };

    QThreadPool m_pool;
    QMap<QString, QString> m_failing; // key -> reason
    QMap<QString, FileWrite> m_latestFile; // key -> the newest writeFile() under it, written again while it fails
    QTimer m_retry;
    std::shared_ptr<std::atomic<bool>> m_ping;
    std::chrono::steady_clock::time_point m_pingPostedAt{};
};

} // namespace garage
