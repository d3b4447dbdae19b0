#include "sensors/SensorSpec.h"

namespace garage {

std::expected<GpioLineSpec, QString> parseGpioLine(const QString &text)
{
    const auto colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::unexpected(QStringLiteral("'%1' is not <chip>:<line> (e.g. gpiochip0:17)").arg(text));
    bool ok = false;
    const uint line = text.mid(colon + 1).toUInt(&ok);
    if (!ok || line > 1023)
        return std::unexpected(QStringLiteral("line '%1' is not a GPIO line number").arg(text.mid(colon + 1)));
    return GpioLineSpec{text.left(colon), line};
}

QString simulatedLinePath(const QString &text)
{
    return text.startsWith(QLatin1String("sim:")) ? text.mid(4) : QString();
}

QString checkLineText(const QString &text)
{
    if (text.startsWith(QLatin1String("sim:")))
        return text.mid(4).startsWith(QLatin1Char('/')) ? QString()
                                                         : QStringLiteral("a simulated line is sim:<absolute path>");
    const auto spec = parseGpioLine(text);
    return spec ? QString() : spec.error();
}

std::expected<TemperatureSourceSpec, QString> parseTemperatureSource(const QString &text)
{
    const QString s = text.trimmed();
    TemperatureSourceSpec spec;
    if (s.isEmpty() || s == QLatin1String("none"))
        return spec;
    const auto colon = s.indexOf(QLatin1Char(':'));
    const QString kind = (colon < 0 ? s : s.left(colon)).toLower();
    const QString rest = colon < 0 ? QString() : s.mid(colon + 1);
    if (kind == QLatin1String("ds18b20")) {
        spec.kind = TemperatureSourceSpec::Kind::Ds18b20;
        spec.deviceId = rest;
        if (!rest.isEmpty() && !rest.startsWith(QLatin1String("28-")))
            return std::unexpected(QStringLiteral("DS18B20 ids start with 28- (got '%1')").arg(rest));
        return spec;
    }
    if (kind == QLatin1String("dht22") || kind == QLatin1String("dht11")) {
        spec.kind = kind == QLatin1String("dht22") ? TemperatureSourceSpec::Kind::Dht22
                                                   : TemperatureSourceSpec::Kind::Dht11;
        const auto gpio = parseGpioLine(rest);
        if (!gpio)
            return std::unexpected(gpio.error());
        spec.gpio = *gpio;
        return spec;
    }
    if (kind == QLatin1String("iio")) {
        spec.kind = TemperatureSourceSpec::Kind::Iio;
        spec.path = rest;
        if (rest.isEmpty())
            return std::unexpected(QStringLiteral("'iio:' needs the path of an in_temp_input file"));
        return spec;
    }
    return std::unexpected(
        QStringLiteral("unknown sensor '%1' (use ds18b20[:<id>], dht22:<chip>:<line>, dht11:<chip>:<line>, iio:<path>)")
            .arg(kind));
}

} // namespace garage
