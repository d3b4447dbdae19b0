#include "GpioOutputLine.h"

#include <gpiod.hpp>

namespace garage {
namespace {

QString what(const std::exception &e)
{
    return QString::fromLocal8Bit(e.what());
}

} // namespace

GpioOutputLine::GpioOutputLine(const GpioLineSpec &spec, bool activeLow)
    : m_chipPath(spec.chip.startsWith(QLatin1Char('/')) ? spec.chip : QStringLiteral("/dev/") + spec.chip),
      m_line(spec.line),
      m_activeLow(activeLow)
{
}

GpioOutputLine::~GpioOutputLine()
{
    release();
}

QString GpioOutputLine::name() const
{
    return QStringLiteral("%1 line %2").arg(m_chipPath).arg(m_line);
}

std::expected<void, QString> GpioOutputLine::request()
{
    release();
    try {
        gpiod::chip chip(m_chipPath.toStdString());
        if (m_line >= chip.get_info().num_lines())
            return std::unexpected(QStringLiteral("%1 has lines 0..%2, not %3")
                                       .arg(m_chipPath)
                                       .arg(chip.get_info().num_lines() - 1)
                                       .arg(m_line));
        // the output value is part of the request: the line is never driven active, not even for a moment
        auto settings = gpiod::line_settings()
                            .set_direction(gpiod::line::direction::OUTPUT)
                            .set_active_low(m_activeLow)
                            .set_drive(gpiod::line::drive::PUSH_PULL)
                            .set_output_value(gpiod::line::value::INACTIVE);
        m_request = std::make_unique<gpiod::line_request>(
            chip.prepare_request().set_consumer("garage-guard-door").add_line_settings(m_line, settings).do_request());
        return {};
    } catch (const std::exception &e) {
        m_request.reset();
        return std::unexpected(QStringLiteral("cannot request %1 as an output: %2").arg(name(), what(e)));
    }
}

std::expected<void, QString> GpioOutputLine::setActive(bool active)
{
    if (!m_request)
        return std::unexpected(QStringLiteral("%1 is not requested").arg(name()));
    try {
        m_request->set_value(m_line, active ? gpiod::line::value::ACTIVE : gpiod::line::value::INACTIVE);
        return {};
    } catch (const std::exception &e) {
        return std::unexpected(QStringLiteral("cannot drive %1: %2").arg(name(), what(e)));
    }
}

void GpioOutputLine::release()
{
    if (!m_request)
        return;
    try {
        m_request->set_value(m_line, gpiod::line::value::INACTIVE);
        m_request->release();
    } catch (const std::exception &) {
        // the chip is gone: the kernel has already given the line back
    }
    m_request.reset();
}

} // namespace garage
