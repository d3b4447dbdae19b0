// What `[temperature] source` and `[door] line` strings name, parsed without touching hardware.
#pragma once

#include <QString>
#include <expected>

namespace garage {

struct GpioLineSpec {
    QString chip;   // "gpiochip0", "/dev/gpiochip0" or a chip label
    unsigned line = 0;
};

struct TemperatureSourceSpec {
    enum class Kind { None, Ds18b20, Dht22, Dht11, Iio };
    Kind kind = Kind::None;
    QString deviceId;    // Ds18b20: "28-..." or empty for "the only one"
    GpioLineSpec gpio;   // Dht22 / Dht11
    QString path;        // Iio: path to in_temp_input
};

std::expected<GpioLineSpec, QString> parseGpioLine(const QString &text);
// "sim:<path>": a simulated line over files (tests and demos where no GPIO chip exists); the path, or empty.
QString simulatedLinePath(const QString &text);
// A GPIO line or a simulated one: empty when valid, else what is wrong.
QString checkLineText(const QString &text);
std::expected<TemperatureSourceSpec, QString> parseTemperatureSource(const QString &text);

} // namespace garage
