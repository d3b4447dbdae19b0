#include "SimulatedLines.h"

#include <QFile>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace garage {
namespace {

std::int64_t monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

SimulatedInputLine::~SimulatedInputLine()
{
    release();
}

std::expected<int, QString> SimulatedInputLine::request()
{
    release();
    const QByteArray fifo = QFile::encodeName(m_path + QStringLiteral(".events"));
    if (::mkfifo(fifo.constData(), 0600) != 0 && errno != EEXIST)
        return std::unexpected(QStringLiteral("cannot make %1: %2").arg(QString::fromLocal8Bit(fifo), QString::fromLocal8Bit(std::strerror(errno))));
    // read-write: a FIFO without a writer would read as end-of-file (always readable) between the test's writes
    m_fd = ::open(fifo.constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0)
        return std::unexpected(QStringLiteral("cannot open %1: %2").arg(QString::fromLocal8Bit(fifo), QString::fromLocal8Bit(std::strerror(errno))));
    m_last.reset();
    return m_fd;
}

std::expected<bool, QString> SimulatedInputLine::value()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString()));
    const QByteArray level = file.read(8).trimmed();
    if (level != "0" && level != "1")
        return std::unexpected(QStringLiteral("%1 holds no level (0 or 1)").arg(m_path));
    m_last = level == "1";
    return *m_last;
}

std::expected<std::vector<GpioEdge>, QString> SimulatedInputLine::readEvents()
{
    if (m_fd < 0)
        return std::unexpected(QStringLiteral("%1 is not requested").arg(name()));
    char buffer[64];
    while (::read(m_fd, buffer, sizeof buffer) > 0) {
    }
    const std::optional<bool> before = m_last;
    const auto level = value();
    if (!level)
        return std::unexpected(level.error());
    if (before == *level)
        return std::vector<GpioEdge>{};
    return std::vector<GpioEdge>{{monotonicNs(), *level}};
}

void SimulatedInputLine::release()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

SimulatedOutputLine::~SimulatedOutputLine()
{
    release();
}

std::expected<void, QString> SimulatedOutputLine::append(const char *what, bool active)
{
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return std::unexpected(QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString()));
    const bool high = active != m_activeLow;
    const QByteArray line = QByteArray(what) + ' ' + (high ? '1' : '0') + ' '
                            + QByteArray::number(monotonicNs() / 1000000) + '\n';
    if (file.write(line) != line.size())
        return std::unexpected(QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString()));
    return {};
}

std::expected<void, QString> SimulatedOutputLine::request()
{
    release();
    if (auto ok = append("request", false); !ok)
        return ok;
    m_requested = true;
    return {};
}

std::expected<void, QString> SimulatedOutputLine::setActive(bool active)
{
    if (!m_requested)
        return std::unexpected(QStringLiteral("%1 is not requested").arg(name()));
    return append("set", active);
}

void SimulatedOutputLine::release()
{
    if (!m_requested)
        return;
    m_requested = false;
    (void)append("release", false);
}

} // namespace garage
