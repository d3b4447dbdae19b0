#include "app/StorageBudget.h"

#include "Logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <algorithm>

namespace garage {

BudgetResult enforceStorageBudget(const QString &storageDir, qint64 maxBytes)
{
    struct Picture {
        QString relative;
        QDateTime modified;
        qint64 size;
    };
    std::vector<Picture> pictures;
    BudgetResult result;
    for (const QString &sub : {QStringLiteral("snapshots"), QStringLiteral("undelivered"), QStringLiteral("outbox")}) {
        const QDir dir(storageDir + QLatin1Char('/') + sub);
        const QFileInfoList files = dir.entryInfoList({QStringLiteral("*.jpg")}, QDir::Files);
        for (const QFileInfo &file : files) {
            pictures.push_back({sub + QLatin1Char('/') + file.fileName(), file.lastModified(), file.size()});
            result.bytesBefore += file.size();
        }
    }
    result.bytesAfter = result.bytesBefore;
    if (result.bytesBefore <= maxBytes)
        return result;
    std::sort(pictures.begin(), pictures.end(), [](const Picture &a, const Picture &b) {
        return a.modified != b.modified ? a.modified < b.modified : a.relative < b.relative;
    });
    for (const Picture &picture : pictures) {
        if (result.bytesAfter <= maxBytes)
            break;
        if (!QFile::remove(storageDir + QLatin1Char('/') + picture.relative))
            continue;
        result.bytesAfter -= picture.size;
        result.removed << picture.relative;
    }
    qCInfo(lcApp) << "storage over" << maxBytes / (1024 * 1024) << "MB (" << result.bytesBefore / 1024 << "KiB): removed"
                  << result.removed.size() << "oldest pictures, first" << result.removed.value(0);
    return result;
}

} // namespace garage
