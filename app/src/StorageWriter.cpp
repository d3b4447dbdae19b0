#include "app/StorageWriter.h"

#include "Logging.h"
#include "app/JsonFile.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace garage {

StorageWriter::StorageWriter(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

StorageWriter::~StorageWriter()
{
    m_pool.waitForDone();
}

QFuture<StorageWriter::Result> StorageWriter::writeFile(const QString &path, const QByteArray &data)
{
    return run([path, data]() -> Result {
        QString error;
        if (!writeFileAtomically(path, data, &error))
            return std::unexpected(error);
        return {};
    });
}

QFuture<StorageWriter::Result> StorageWriter::run(std::function<Result()> job)
{
    QPointer<StorageWriter> self(this);
    return QtConcurrent::run(&m_pool, [self, job = std::move(job)] {
        const Result result = job();
        // the health is the event loop's: hand the result over (dropped if the writer is gone)
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, result] {
                if (self)
                    self->note(result);
            }, Qt::QueuedConnection);
        return result;
    });
}

void StorageWriter::note(const Result &result)
{
    if (!result) {
        qCWarning(lcApp) << "storage write failed:" << result.error();
        if (m_problem.isEmpty()) {
            m_problem = result.error();
            Q_EMIT failed(m_problem);
        } else {
            m_problem = result.error();
        }
        return;
    }
    if (!m_problem.isEmpty()) {
        qCInfo(lcApp) << "storage writes work again";
        m_problem.clear();
        Q_EMIT recovered();
    }
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
