// Whole-file JSON reads and atomic writes (QSaveFile: a crash never leaves a half-written file). The one atomic-write
// helper of the appliance; call it on the storage writer's thread, never on the event loop.
#pragma once

#include <QJsonDocument>
#include <QString>
#include <expected>

namespace garage {

// error (optional) says why it failed: "No space left on device", "Read-only file system" ...
bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error = nullptr);
std::expected<QJsonDocument, QString> readJsonFile(const QString &path);

} // namespace garage
