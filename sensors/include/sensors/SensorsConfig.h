// Settings of the temperature sensor ([temperature]) and the door contact ([door]).
#pragma once

#include <QString>
#include <chrono>
#include <optional>

namespace garage {

struct TemperatureConfig {
    QString source;                                   // empty: none | ds18b20[:<id>] | dht22:<chip>:<line> | dht11:<chip>:<line> | iio:<path>
    QString w1Dir = QStringLiteral("/sys/bus/w1/devices");
    std::chrono::seconds pollInterval{30};
    std::chrono::milliseconds readTimeout{10000};     // a read still running after this is abandoned (an error)
    std::optional<double> lowCelsius = 2.0;           // frost warning; unset disables
    std::optional<double> highCelsius = 35.0;         // heat warning; unset disables
    double hysteresisCelsius = 1.0;
    std::chrono::minutes staleAfter{10};              // failing this long: one alert
};

struct DoorConfig {
    QString line;                                     // empty: no door contact | <chip>:<line>
    bool activeLow = true;
    std::chrono::milliseconds debounce{50};
    std::chrono::seconds openAlertAfter{15 * 60};     // alert when left open longer; 0 disables
};

} // namespace garage
