#include "GpioLine.h"

#include <QDir>

#include <gpiod.hpp>

#include <thread>

namespace garage {
namespace {

QString chipPath(const QString &chip)
{
    return chip.startsWith(QLatin1Char('/')) ? chip : QStringLiteral("/dev/") + chip;
}

QString availableChips()
{
    QStringList chips;
    for (const QString &name : QDir(QStringLiteral("/dev")).entryList({QStringLiteral("gpiochip*")}, QDir::System)) {
        try {
            gpiod::chip chip(QString(QStringLiteral("/dev/") + name).toStdString());
            chips << QStringLiteral("%1 (%2, %3 lines)")
                         .arg(name, QString::fromStdString(chip.get_info().label()))
                         .arg(chip.get_info().num_lines());
        } catch (const std::exception &) {
            chips << name;
        }
    }
    return chips.isEmpty() ? QStringLiteral("this machine has no GPIO chip") : QStringLiteral("chips: ") + chips.join(QLatin1String(", "));
}

QString what(const std::exception &e)
{
    return QString::fromLocal8Bit(e.what());
}

std::vector<GpioEdge> drain(const gpiod::edge_event_buffer &buffer, std::size_t n)
{
    std::vector<GpioEdge> edges;
    for (std::size_t i = 0; i < n; ++i)
        edges.push_back({std::int64_t(buffer.get_event(i).timestamp_ns().ns()),
                         buffer.get_event(i).type() == gpiod::edge_event::event_type::RISING_EDGE});
    return edges;
}

} // namespace

GpioLine::GpioLine(const GpioLineSpec &spec) : m_chipPath(chipPath(spec.chip)), m_line(spec.line) {}

GpioLine::~GpioLine()
{
    release();
}

QString GpioLine::name() const
{
    return QStringLiteral("%1 line %2").arg(m_chipPath).arg(m_line);
}

std::expected<void, QString> GpioLine::check() const
{
    try {
        gpiod::chip chip(m_chipPath.toStdString());
        const auto lines = chip.get_info().num_lines();
        if (m_line >= lines)
            return std::unexpected(QStringLiteral("%1 has lines 0..%2, not %3").arg(m_chipPath).arg(lines - 1).arg(m_line));
    } catch (const std::exception &e) {
        return std::unexpected(QStringLiteral("cannot open %1 (%2); %3").arg(m_chipPath, what(e), availableChips()));
    }
    return {};
}

std::expected<int, QString> GpioLine::request()
{
    release();
    if (const auto ok = check(); !ok)
        return std::unexpected(ok.error());
    try {
        gpiod::chip chip(m_chipPath.toStdString());
        auto settings = gpiod::line_settings()
                            .set_direction(gpiod::line::direction::INPUT)
                            .set_edge_detection(gpiod::line::edge::BOTH)
                            .set_bias(gpiod::line::bias::PULL_UP);
        m_request = std::make_unique<gpiod::line_request>(
            chip.prepare_request().set_consumer("garage-guard").add_line_settings(m_line, settings).do_request());
        return m_request->fd();
    } catch (const std::exception &e) {
        m_request.reset();
        return std::unexpected(QStringLiteral("cannot request %1: %2").arg(name(), what(e)));
    }
}

std::expected<bool, QString> GpioLine::value()
{
    if (!m_request)
        return std::unexpected(QStringLiteral("%1 is not requested").arg(name()));
    try {
        return m_request->get_value(m_line) == gpiod::line::value::ACTIVE;
    } catch (const std::exception &e) {
        return std::unexpected(QStringLiteral("cannot read %1: %2").arg(name(), what(e)));
    }
}

std::expected<std::vector<GpioEdge>, QString> GpioLine::readEvents()
{
    if (!m_request)
        return std::unexpected(QStringLiteral("%1 is not requested").arg(name()));
    try {
        std::vector<GpioEdge> edges;
        gpiod::edge_event_buffer buffer(64);
        while (m_request->wait_edge_events(std::chrono::nanoseconds(0))) {
            const auto more = drain(buffer, m_request->read_edge_events(buffer));
            edges.insert(edges.end(), more.begin(), more.end());
        }
        return edges;
    } catch (const std::exception &e) {
        return std::unexpected(QStringLiteral("cannot read edge events of %1: %2").arg(name(), what(e)));
    }
}

void GpioLine::release()
{
    if (!m_request)
        return;
    try {
        m_request->release();
    } catch (const std::exception &) {
        // already released by the kernel side (chip gone): nothing left to give back
    }
    m_request.reset();
}

std::expected<std::vector<GpioEdge>, QString> GpioLine::dhtTransaction(std::chrono::microseconds startPulse) const
{
    if (const auto ok = check(); !ok)
        return std::unexpected(ok.error());
    try {
        gpiod::chip chip(m_chipPath.toStdString());
        auto request = chip.prepare_request()
                           .set_consumer("garage-guard-dht")
                           .add_line_settings(m_line, gpiod::line_settings()
                                                          .set_direction(gpiod::line::direction::OUTPUT)
                                                          .set_output_value(gpiod::line::value::INACTIVE))
                           .do_request();
        std::this_thread::sleep_for(startPulse); // on the sensor's read thread, never the event loop
        request.reconfigure_lines(gpiod::line_config().add_line_settings(
            m_line, gpiod::line_settings()
                        .set_direction(gpiod::line::direction::INPUT)
                        .set_edge_detection(gpiod::line::edge::BOTH)
                        .set_bias(gpiod::line::bias::PULL_UP)
                        .set_event_clock(gpiod::line::clock::MONOTONIC)));
        std::vector<GpioEdge> edges;
        gpiod::edge_event_buffer buffer(128);
        // the answer takes ~5 ms; stop when the line stays quiet for 2 ms
        while (edges.size() < 100 && request.wait_edge_events(std::chrono::milliseconds(edges.empty() ? 10 : 2))) {
            const auto more = drain(buffer, request.read_edge_events(buffer));
            edges.insert(edges.end(), more.begin(), more.end());
        }
        return edges;
    } catch (const std::exception &e) {
        return std::unexpected(QStringLiteral("GPIO error on %1: %2").arg(name(), what(e)));
    }
}

} // namespace garage
