// Loads garage-guard.conf (INI) into an AppConfig, collecting every error with its section/key, the bad value and
// what is expected; unknown keys are warnings. It also records the effective configuration with secrets masked.
#pragma once

#include "app/AppConfig.h"

#include <QString>
#include <QStringList>

namespace garage {

struct ConfigIssue {
    QString key;      // "section/key"
    QString value;    // the value as written (secrets and URL credentials masked)
    QString message;  // what is expected
    bool valueShown = true; // false: the value is withheld (an unknown key's value may be a secret)
    QString toString() const;
};

struct ConfigLoadResult {
    AppConfig config;
    QList<ConfigIssue> errors;    // any error: the configuration must not be used
    QList<ConfigIssue> warnings;  // unknown keys and sections, insecure choices
    QStringList effective;        // "section/key = value" for every key, secrets masked (for --check-config)
    bool ok() const { return errors.isEmpty(); }
};

class ConfigLoader
{
public:
    static ConfigLoadResult load(const QString &path);
};

} // namespace garage
