// Reads a DS18B20 on the 1-Wire bus from the kernel's w1 sysfs files (w1_slave with its CRC line, or temperature).
// A copyable read function with shared state only, so a read can outlive the sensor that started it. The probe is
// looked up on every read: one that is missing is an error reading that names what the bus has, until it appears.
#pragma once

#include "sensors/TemperatureReading.h"

#include <QStringList>
#include <memory>

namespace garage {

class Ds18b20Reader
{
public:
    // deviceId empty: the only probe on the bus (chosen on the first read that finds exactly one).
    Ds18b20Reader(QString w1Dir, QString deviceId);
    TemperatureReading operator()() const;
    QString description() const;

    // Parses the contents of w1_slave ("... crc=xx YES\n... t=21437\n").
    static TemperatureReading parseW1Slave(const QByteArray &text);
    // The ids of the DS18B20 probes (family 28) under a w1 devices directory.
    static QStringList probes(const QString &w1Dir);

private:
    struct Choice;
    QString probeDir(const QString &id) const;
    TemperatureReading readProbe(const QString &dir) const;

    QString m_w1Dir;
    QString m_id;
    std::shared_ptr<Choice> m_choice; // the probe chosen when none is named, shared by every copy
};

} // namespace garage
