// Whole-file JSON reads and atomic writes (QSaveFile: a crash never leaves a half-written file).
#pragma once

#include <QJsonDocument>
#include <QString>
#include <expected>

namespace garage {

bool writeFileAtomically(const QString &path, const QByteArray &data);
std::expected<QJsonDocument, QString> readJsonFile(const QString &path);

} // namespace garage
