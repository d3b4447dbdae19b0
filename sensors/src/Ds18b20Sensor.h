// A DS18B20 on the 1-Wire bus, read from the kernel's w1 sysfs files (w1_slave with its CRC line, or temperature).
#pragma once

#include "sensors/TemperatureSensor.h"

namespace garage {

class Ds18b20Sensor : public TemperatureSensor
{
    Q_OBJECT
public:
    Ds18b20Sensor(const QString &deviceDir, std::chrono::milliseconds pollInterval, QObject *parent = nullptr);
    QString description() const override;
    TemperatureReading readOnce() const override;

    // Parses the contents of w1_slave ("... crc=xx YES\n... t=21437\n").
    static TemperatureReading parseW1Slave(const QByteArray &text);
    // The ids of the DS18B20 probes (family 28) under a w1 devices directory.
    static QStringList probes(const QString &w1Dir);

private:
    QString m_dir;
};

} // namespace garage
