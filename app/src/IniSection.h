// Typed reads of one INI section that record every error (with its key, value and expectation), every key read
// (to spot unknown ones) and the effective value of each key (for --check-config).
#pragma once

#include "app/ConfigLoader.h"

#include <QSet>
#include <QSettings>
#include <chrono>
#include <optional>

namespace garage {

struct ConfigRecord {
    QList<ConfigIssue> errors;
    QList<ConfigIssue> warnings;
    QStringList effective;
    QSet<QString> knownKeys;
};

class IniSection
{
public:
    IniSection(const QSettings &settings, const QString &name, ConfigRecord &record);

    bool has(const QString &key) const;
    QString text(const QString &key, const QString &fallback);
    QString secret(const QString &key);
    QStringList list(const QString &key, const QStringList &fallback = {});
    bool boolean(const QString &key, bool fallback);
    int integer(const QString &key, int fallback, int min, int max);
    double number(const QString &key, double fallback, double min, double max);
    // A number, or "off"/"none"/empty for none.
    std::optional<double> optionalNumber(const QString &key, std::optional<double> fallback, double min, double max);
    // Seconds (fractions allowed) as milliseconds.
    std::chrono::milliseconds seconds(const QString &key, std::chrono::milliseconds fallback,
                                      std::chrono::milliseconds min, std::chrono::milliseconds max);
    QString choice(const QString &key, const QString &fallback, const QStringList &allowed);

    void fail(const QString &key, const QString &value, const QString &message);
    void warn(const QString &key, const QString &value, const QString &message);
    // Replace the recorded effective value of a key (e.g. after normalising it).
    void show(const QString &key, const QString &value);

private:
    QString path(const QString &key) const { return m_name + QLatin1Char('/') + key; }
    QString raw(const QString &key);

    const QSettings &m_settings;
    QString m_name;
    ConfigRecord &m_record;
};

} // namespace garage
