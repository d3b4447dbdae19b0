#include "app/StorageWriter.h"

#include "Logging.h"
#include "app/JsonFile.h"

#include <QPointer>
#include <QStringList>
#include <QtConcurrent/QtConcurrentRun>

namespace garage {

StorageWriter::StorageWriter(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    m_retry.setInterval(retryInterval());
    connect(&m_retry, &QTimer::timeout, this, &StorageWriter::retryFailedFiles);
}

StorageWriter::~StorageWriter()
{
    m_pool.waitForDone();
}

QFuture<StorageWriter::Result> StorageWriter::writeFile(const QString &path, const QByteArray &data, const QString &key)
{
    m_latestFile.insert(key.isEmpty() ? path : key, {path, data});
    return run(
        [path, data]() -> Result {
            QString error;
            if (!writeFileAtomically(path, data, &error))
                return std::unexpected(error);
            return {};
        },
        key.isEmpty() ? path : key);
}

QFuture<StorageWriter::Result> StorageWriter::run(std::function<Result()> job, const QString &key)
{
    QPointer<StorageWriter> self(this);
    return QtConcurrent::run(&m_pool, [self, key, job = std::move(job)] {
        const Result result = job();
        // the health is the event loop's: hand the result over (dropped if the writer is gone)
        if (self && !key.isEmpty())
            QMetaObject::invokeMethod(self.data(), [self, key, result] {
                if (self)
                    self->note(key, result);
            }, Qt::QueuedConnection);
        return result;
    });
}

QString StorageWriter::problem() const
{
    return QStringList(m_failing.values()).join(QStringLiteral("; "));
}

void StorageWriter::note(const QString &key, const Result &result)
{
    if (!result) {
        if (m_failing.value(key) != result.error()) // a retry that fails the same way is not news
            qCWarning(lcApp) << "storage write failed:" << result.error();
        const bool first = m_failing.isEmpty();
        m_failing.insert(key, result.error());
        if (first)
            Q_EMIT failed(result.error());
        if (m_latestFile.contains(key) && !m_retry.isActive())
            m_retry.start();
        return;
    }
    if (m_failing.remove(key) > 0 && m_failing.isEmpty()) {
        m_retry.stop();
        qCInfo(lcApp) << "storage writes work again";
        Q_EMIT recovered();
    }
}

void StorageWriter::retryFailedFiles()
{
    bool any = false;
    for (auto it = m_failing.cbegin(); it != m_failing.cend(); ++it)
        if (const auto file = m_latestFile.constFind(it.key()); file != m_latestFile.cend()) {
            const FileWrite again = *file;
            writeFile(again.path, again.data, it.key());
            any = true;
        }
    if (!any)
        m_retry.stop(); // what still fails are jobs with nothing to repeat: their next write tells
}

QString StorageWriter::supervisionProblem(std::chrono::steady_clock::time_point now, std::chrono::milliseconds bound)
{
    if (m_ping && m_ping->load())
        m_ping.reset();
    if (!m_ping) {
        m_ping = std::make_shared<std::atomic<bool>>(false);
        m_pingPostedAt = now;
        m_pool.start([ping = m_ping] { ping->store(true); });
        return {};
    }
    if (now - m_pingPostedAt > bound)
        return QStringLiteral("storage writer: a disk write has not finished for %1 s (disk hung?)")
            .arg(std::chrono::duration_cast<std::chrono::seconds>(now - m_pingPostedAt).count());
    return {};
}

} // namespace garage
