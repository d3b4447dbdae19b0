#include "TestUtils.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

namespace garage::test {

bool writeFile(const QString &path, const QByteArray &contents)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(contents) == contents.size();
}

ProcessFootprint processFootprint(qint64 pid)
{
    ProcessFootprint f;
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                f.rssKiB = line.mid(6).trimmed().split(' ').value(0).toLongLong();
            else if (line.startsWith("Threads:"))
                f.threads = line.mid(8).trimmed().toInt();
        }
    f.descriptors = int(QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                            .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)
                            .size());
    return f;
}

QString toolPath(const QString &name)
{
    // tests and tools share the runtime output directory (build/<preset>/bin)
    return QCoreApplication::applicationDirPath() + QLatin1Char('/') + name;
}

ProcessResult runTool(const QString &name, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.start(toolPath(name), arguments);
    ProcessResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.crashed = true;
    }
    result.crashed = result.crashed || process.exitStatus() != QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

} // namespace garage::test
