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

} // namespace

GpioLine::GpioLine(QString chipPath, unsigned line) : m_chipPath(std::move(chipPath)), m_line(line) {}
GpioLine::~GpioLine() = default;

std::expected<std::unique_ptr<GpioLine>, QString> GpioLine::open(const GpioLineSpec &spec)
{
    const QString path = chipPath(spec.chip);
    try {
        gpiod::chip chip(path.toStdString());
        const auto lines = chip.get_info().num_lines();
        if (spec.line >= lines)
            return std::unexpected(QStringLiteral("%1 has lines 0..%2, not %3").arg(path).arg(lines - 1).arg(spec.line));
    } catch (const std::exception &e) {
        return std::unexpected(QStringLiteral("cannot open %1 (%2); %3").arg(path, QString::fromLocal8Bit(e.what()), availableChips()));
    }
    return std::unique_ptr<GpioLine>(new GpioLine(path, spec.line));
}

std::expected<int, QString> GpioLine::requestInput(std::chrono::microseconds debounce)
{
    try {
        gpiod::chip chip(m_chipPath.toStdString());
        auto settings = gpiod::line_settings()
                            .set_direction(gpiod::line::direction::INPUT)
                            .set_edge_detection(gpiod::line::edge::BOTH)
                            .set_bias(gpiod::line::bias::PULL_UP)
                            .set_debounce_period(debounce);
        m_request = std::make_unique<gpiod::line_request>(
            chip.prepare_request().set_consumer("garage-guard").add_line_settings(m_line, settings).do_request());
        return m_request->fd();
    } catch (const std::exception &e) {
        return std::unexpected(QStringLiteral("cannot request %1 line %2: %3").arg(m_chipPath).arg(m_line).arg(QString::fromLocal8Bit(e.what())));
    }
}

bool GpioLine::value() const
{
    return m_request && m_request->get_value(m_line) == gpiod::line::value::ACTIVE;
}

std::vector<GpioEdge> GpioLine::readEvents()
{
    std::vector<GpioEdge> edges;
    if (!m_request)
        return edges;
    gpiod::edge_event_buffer buffer(64);
    while (m_request->wait_edge_events(std::chrono::nanoseconds(0))) {
        const auto n = m_request->read_edge_events(buffer);
        for (std::size_t i = 0; i < n; ++i)
            edges.push_back({std::int64_t(buffer.get_event(i).timestamp_ns().ns()),
                             buffer.get_event(i).type() == gpiod::edge_event::event_type::RISING_EDGE});
    }
    return edges;
}

std::expected<std::vector<GpioEdge>, QString> GpioLine::dhtTransaction(std::chrono::microseconds startPulse)
{
    try {
        gpiod::chip chip(m_chipPath.toStdString());
        auto request = chip.prepare_request()
                           .set_consumer("garage-guard-dht")
                           .add_line_settings(m_line, gpiod::line_settings()
                                                          .set_direction(gpiod::line::direction::OUTPUT)
                                                          .set_output_value(gpiod::line::value::INACTIVE))
                           .do_request();
        std::this_thread::sleep_for(startPulse); // on the sensor thread, never the event loop
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
            const auto n = request.read_edge_events(buffer);
            for (std::size_t i = 0; i < n; ++i)
                edges.push_back({std::int64_t(buffer.get_event(i).timestamp_ns().ns()),
                                 buffer.get_event(i).type() == gpiod::edge_event::event_type::RISING_EDGE});
        }
        return edges;
    } catch (const std::exception &e) {
        return std::unexpected(QStringLiteral("GPIO error on %1 line %2: %3").arg(m_chipPath).arg(m_line).arg(QString::fromLocal8Bit(e.what())));
    }
}

} // namespace garage
