#include "IniSection.h"

#include "camera/UrlCredentials.h"

#include <cmath>

namespace garage {

IniSection::IniSection(const QSettings &settings, const QString &name, ConfigRecord &record)
    : m_settings(settings), m_name(name), m_record(record)
{
}

bool IniSection::has(const QString &key) const
{
    return m_settings.contains(path(key));
}

QString IniSection::raw(const QString &key)
{
    m_record.knownKeys.insert(path(key));
    const QVariant value = m_settings.value(path(key));
    // QSettings splits unquoted values at commas; the original text is the parts joined again
    if (value.typeId() == QMetaType::QStringList)
        return value.toStringList().join(QLatin1Char(','));
    return value.toString().trimmed();
}

// Whatever is shown or reported goes through the credential mask: any key may hold a URL with a password in it.
void IniSection::show(const QString &key, const QString &shown)
{
    const QString prefix = path(key) + QLatin1String(" = ");
    const QString value = maskUrlCredentials(shown);
    for (QString &line : m_record.effective) {
        if (line.startsWith(prefix)) {
            line = prefix + value;
            return;
        }
    }
    m_record.effective << prefix + value;
}

void IniSection::fail(const QString &key, const QString &value, const QString &message)
{
    m_record.errors << ConfigIssue{path(key), maskUrlCredentials(value), maskUrlCredentials(message)};
}

void IniSection::warn(const QString &key, const QString &value, const QString &message)
{
    m_record.warnings << ConfigIssue{path(key), maskUrlCredentials(value), maskUrlCredentials(message)};
}

QString IniSection::text(const QString &key, const QString &fallback)
{
    const bool given = has(key);
    const QString value = raw(key);
    show(key, given ? value : fallback);
    return given ? value : fallback;
}

QString IniSection::secret(const QString &key)
{
    const QString value = raw(key);
    show(key, value.isEmpty() ? QString() : QStringLiteral("********"));
    return value;
}

QStringList IniSection::list(const QString &key, const QStringList &fallback)
{
    QStringList items;
    if (!has(key)) {
        raw(key);
        items = fallback;
    } else {
        for (const QString &item : raw(key).split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!item.trimmed().isEmpty())
                items << item.trimmed();
    }
    show(key, items.join(QLatin1String(", ")));
    return items;
}

bool IniSection::boolean(const QString &key, bool fallback)
{
    bool result = fallback;
    if (has(key)) {
        const QString value = raw(key).toLower();
        if (value == QLatin1String("true") || value == QLatin1String("yes") || value == QLatin1String("on")
            || value == QLatin1String("1"))
            result = true;
        else if (value == QLatin1String("false") || value == QLatin1String("no") || value == QLatin1String("off")
                 || value == QLatin1String("0"))
            result = false;
        else
            fail(key, value, QStringLiteral("expected true or false"));
    } else {
        raw(key);
    }
    show(key, result ? QStringLiteral("true") : QStringLiteral("false"));
    return result;
}

int IniSection::integer(const QString &key, int fallback, int min, int max)
{
    int result = fallback;
    if (has(key)) {
        const QString value = raw(key);
        bool ok = false;
        const int parsed = value.toInt(&ok);
        if (!ok || parsed < min || parsed > max)
            fail(key, value, QStringLiteral("expected a whole number from %1 to %2").arg(min).arg(max));
        else
            result = parsed;
    } else {
        raw(key);
    }
    show(key, QString::number(result));
    return result;
}

double IniSection::number(const QString &key, double fallback, double min, double max)
{
    double result = fallback;
    if (has(key)) {
        const QString value = raw(key);
        bool ok = false;
        const double parsed = value.toDouble(&ok);
        if (!ok || !(parsed >= min && parsed <= max))
            fail(key, value, QStringLiteral("expected a number from %1 to %2").arg(min).arg(max));
        else
            result = parsed;
    } else {
        raw(key);
    }
    show(key, QString::number(result));
    return result;
}

std::optional<double> IniSection::optionalNumber(const QString &key, std::optional<double> fallback, double min,
                                                 double max)
{
    std::optional<double> result = fallback;
    if (has(key)) {
        const QString value = raw(key);
        const QString lower = value.toLower();
        bool ok = false;
        const double parsed = value.toDouble(&ok);
        if (lower.isEmpty() || lower == QLatin1String("off") || lower == QLatin1String("none"))
            result.reset();
        else if (!ok || !(parsed >= min && parsed <= max))
            fail(key, value, QStringLiteral("expected a number from %1 to %2, or off").arg(min).arg(max));
        else
            result = parsed;
    } else {
        raw(key);
    }
    show(key, result ? QString::number(*result) : QStringLiteral("off"));
    return result;
}

std::chrono::milliseconds IniSection::seconds(const QString &key, std::chrono::milliseconds fallback,
                                              std::chrono::milliseconds min, std::chrono::milliseconds max)
{
    std::chrono::milliseconds result = fallback;
    if (has(key)) {
        const QString value = raw(key);
        bool ok = false;
        const double parsed = value.toDouble(&ok);
        const QString expected =
            QStringLiteral("expected seconds from %1 to %2").arg(min.count() / 1000.0).arg(max.count() / 1000.0);
        // checked before rounding: qRound64 of nan, inf or anything beyond 64 bits is undefined behaviour
        if (ok && !std::isfinite(parsed))
            fail(key, value, expected + QStringLiteral(" (not a finite number)"));
        else if (!ok || !(parsed * 1000.0 >= double(min.count()) - 0.5 && parsed * 1000.0 <= double(max.count()) + 0.5))
            fail(key, value, expected);
        else if (const auto ms = std::chrono::milliseconds(qRound64(parsed * 1000.0)); ms < min || ms > max)
            fail(key, value, expected);
        else
            result = ms;
    } else {
        raw(key);
    }
    show(key, QString::number(result.count() / 1000.0));
    return result;
}

QString IniSection::choice(const QString &key, const QString &fallback, const QStringList &allowed)
{
    QString result = fallback;
    if (has(key)) {
        const QString value = raw(key).toLower();
        if (allowed.contains(value))
            result = value;
        else
            fail(key, value, QStringLiteral("expected one of: %1").arg(allowed.join(QLatin1String(", "))));
    } else {
        raw(key);
    }
    show(key, result);
    return result;
}

} // namespace garage
