#include "FakeW1Bus.h"

#include "TestUtils.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace garage::test {

FakeW1Bus::FakeW1Bus(QString dir) : m_dir(std::move(dir))
{
    QDir().mkpath(m_dir + QStringLiteral("/w1_bus_master1"));
}

QString FakeW1Bus::probeDir(const QString &id) const
{
    return m_dir + QLatin1Char('/') + id;
}

QByteArray FakeW1Bus::w1Slave(int milliCelsius, bool crcOk)
{
    return QByteArray("72 01 4b 46 7f ff 0e 10 57 : crc=57 ") + (crcOk ? "YES" : "NO") +
           "\n72 01 4b 46 7f ff 0e 10 57 t=" + QByteArray::number(milliCelsius) + "\n";
}

bool FakeW1Bus::setProbe(const QString &id, int milliCelsius, bool crcOk)
{
    // made aside and renamed into place: a reader never sees a probe without its file or half a file, and a FIFO
    // is replaced (the staging name does not look like a probe)
    const QString slave = probeDir(id) + QStringLiteral("/w1_slave");
    if (!QFileInfo::exists(probeDir(id))) {
        const QString staging = m_dir + QStringLiteral("/.staging-") + id;
        return writeFile(staging + QStringLiteral("/w1_slave"), w1Slave(milliCelsius, crcOk)) &&
               ::rename(QFile::encodeName(staging).constData(), QFile::encodeName(probeDir(id)).constData()) == 0;
    }
    const QString next = slave + QStringLiteral(".new");
    return writeFile(next, w1Slave(milliCelsius, crcOk)) &&
           ::rename(QFile::encodeName(next).constData(), QFile::encodeName(slave).constData()) == 0;
}

bool FakeW1Bus::removeProbe(const QString &id)
{
    return QDir(probeDir(id)).removeRecursively();
}

bool FakeW1Bus::hangProbe(const QString &id)
{
    const bool present = QFileInfo::exists(probeDir(id));
    const QString dir = present ? probeDir(id) : m_dir + QStringLiteral("/.staging-") + id;
    QDir().mkpath(dir);
    const QByteArray slave = QFile::encodeName(dir + QStringLiteral("/w1_slave"));
    ::unlink(slave.constData());
    if (::mkfifo(slave.constData(), 0644) != 0)
        return false;
    return present || ::rename(QFile::encodeName(dir).constData(), QFile::encodeName(probeDir(id)).constData()) == 0;
}

bool FakeW1Bus::releaseHung(const QString &id, int milliCelsius)
{
    const QByteArray slave = QFile::encodeName(probeDir(id) + QStringLiteral("/w1_slave"));
    // a FIFO opens for writing without blocking only while a reader waits on it (else ENXIO)
    const int fd = ::open(slave.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    const bool blocked = fd >= 0;
    if (!setProbe(id, milliCelsius)) { // new readers get the plain file
        if (fd >= 0)
            ::close(fd);
        return false;
    }
    if (fd >= 0) {
        const QByteArray answer = w1Slave(milliCelsius);
        const bool written = ::write(fd, answer.constData(), std::size_t(answer.size())) == answer.size();
        ::close(fd);
        return written;
    }
    return blocked;
}

} // namespace garage::test
