#include "IniRawValues.h"

namespace garage {

QStringList rawIniValues(const QByteArray &fileText, const QString &section, const QString &key)
{
    QStringList values;
    QString current;
    for (const QByteArray &rawLine : fileText.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char(';')))
            continue;
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            current = line.mid(1, line.size() - 2).trimmed();
            continue;
        }
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        if (equals > 0 && current == section && line.first(equals).trimmed() == key)
            values << line.sliced(equals + 1).trimmed();
    }
    return values;
}

} // namespace garage
