// A stand-in for the door contact's GPIO line (sensors/InputLine.h) where no chip exists: an InputLine over a pipe,
// so the real QSocketNotifier path runs; the test moves the level, queues edges and makes requests or reads fail.
#pragma once

#include "sensors/InputLine.h"

#include <QTest>

#include <fcntl.h>
#include <memory>
#include <unistd.h>
#include <utility>

namespace garage::test {

// What the test controls of the stand-in line (it outlives the contact that owns the line).
struct LineState {
    bool high = false;
    QString requestError; // request() fails with this while set
    QString readError;    // readEvents() fails with this while set
    std::vector<GpioEdge> pending;
    int requests = 0;
    int fds[2] = {-1, -1};

    // The line moves to a level: one edge event, the fd becomes readable.
    void edge(bool to)
    {
        high = to;
        pending.push_back({0, to});
        poke();
    }
    void poke() const
    {
        if (fds[1] >= 0)
            QVERIFY(::write(fds[1], "e", 1) == 1);
    }
};

class LineStandIn : public InputLine
{
public:
    explicit LineStandIn(std::shared_ptr<LineState> s) : m_s(std::move(s)) {}
    ~LineStandIn() override { release(); }
    QString name() const override { return QStringLiteral("stand-in line"); }
    std::expected<int, QString> request() override
    {
        ++m_s->requests;
        if (!m_s->requestError.isEmpty())
            return std::unexpected(m_s->requestError);
        if (::pipe2(m_s->fds, O_NONBLOCK | O_CLOEXEC) != 0)
            return std::unexpected(QStringLiteral("pipe failed"));
        return m_s->fds[0];
    }
    std::expected<bool, QString> value() override { return m_s->high; }
    std::expected<std::vector<GpioEdge>, QString> readEvents() override
    {
        char buffer[64];
        while (::read(m_s->fds[0], buffer, sizeof buffer) > 0) {
        }
        if (!m_s->readError.isEmpty())
            return std::unexpected(m_s->readError);
        return std::exchange(m_s->pending, {});
    }
    void release() override
    {
        for (int &fd : m_s->fds) {
            if (fd >= 0)
                ::close(fd);
            fd = -1;
        }
    }

private:
    std::shared_ptr<LineState> m_s;
};

} // namespace garage::test
