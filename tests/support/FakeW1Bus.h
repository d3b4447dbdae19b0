// The kernel's 1-Wire sysfs tree (/sys/bus/w1/devices) as a directory of real files, for sensor and daemon tests:
// DS18B20 probes that come and go, good and bad answers, and probes whose w1_slave hangs (a FIFO nobody writes:
// opening it blocks, as a read on a stuck bus does).
#pragma once

#include <QByteArray>
#include <QString>

namespace garage::test {

class FakeW1Bus
{
public:
    // Makes dir (the w1 devices directory) with its bus master entry and no probe.
    explicit FakeW1Bus(QString dir);

    QString dir() const { return m_dir; }
    QString probeDir(const QString &id) const;
    // What the w1 driver writes to w1_slave for a reading.
    static QByteArray w1Slave(int milliCelsius, bool crcOk = true);

    // The probe is there (again) and answers this value; a hung w1_slave is replaced.
    bool setProbe(const QString &id, int milliCelsius, bool crcOk = true);
    bool removeProbe(const QString &id);
    // From now on, reading the probe blocks until releaseHung().
    bool hangProbe(const QString &id);
    // Every read blocked on the probe gets an answer of milliCelsius, and the probe answers that from then on.
    // False if no read was blocked.
    bool releaseHung(const QString &id, int milliCelsius);

private:
    QString m_dir;
};

} // namespace garage::test
