// Small helpers shared by the test suites: writing files, running our executables.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace garage::test {

struct ProcessResult {
    int exitCode = -1;
    bool crashed = false;
    QString out;
    QString err;
};

// Writes text to path (creating parent directories); returns false on error.
bool writeFile(const QString &path, const QByteArray &contents);
// Runs one of our built executables (from build/<preset>/bin) and waits for it (timeout in ms).
ProcessResult runTool(const QString &name, const QStringList &arguments, int timeoutMs = 30000);
// What a running process holds, from /proc: VmRSS, threads and open descriptors (-1 when unreadable).
struct ProcessFootprint {
    qint64 rssKiB = -1;
    int threads = -1;
    int descriptors = -1;
};
ProcessFootprint processFootprint(qint64 pid);
// Path of one of our built executables.
QString toolPath(const QString &name);

} // namespace garage::test
