// The w1_slave parser (the DS18B20's sysfs file): any text is a reading in the sensor's range or an error with a
// reason, never 85 °C (the power-on value) and never an all-zero scratchpad.
#include "FuzzInput.h"
#include "Ds18b20Reader.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto reading = garage::Ds18b20Reader::parseW1Slave(garage::fuzz::FuzzInput::all(data, size));
    if (reading.quality == garage::TemperatureReading::Quality::Ok) {
        if (!(reading.celsius >= -55.0 && reading.celsius <= 125.0) || reading.celsius == 85.0)
            std::abort();
    } else if (reading.reason.isEmpty()) {
        std::abort();
    }
    return 0;
}
