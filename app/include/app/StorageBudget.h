// The one storage budget, `[storage] max_mb`, over every picture the appliance keeps: snapshots/, undelivered/ and
// outbox/. Enforced by scanning the directories (so pictures written by any module count), removing the oldest
// pictures first. Runs on the storage writer's thread.
#pragma once

#include <QString>
#include <QStringList>

namespace garage {

struct BudgetResult {
    qint64 bytesBefore = 0;
    qint64 bytesAfter = 0;
    QStringList removed; // relative to the storage dir, oldest first
};

// Pictures (*.jpg) only: an outbox entry's text survives its picture.
BudgetResult enforceStorageBudget(const QString &storageDir, qint64 maxBytes);

} // namespace garage
