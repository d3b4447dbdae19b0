// The values of one key exactly as written in an INI file, before QSettings reads them. QSettings ends an unquoted
// value at ';', splits it at ',' and reads '\' and '"' as escapes: only the text as written tells whether a secret
// was changed on the way in.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace garage {

// Every value (the text after '=', trimmed) given to `key` in `[section]`, in file order; comment lines skipped.
QStringList rawIniValues(const QByteArray &fileText, const QString &section, const QString &key);

} // namespace garage
