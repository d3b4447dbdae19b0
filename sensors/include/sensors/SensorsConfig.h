// Settings of the temperature sensor ([temperature]) and the door contact and relay ([door]).
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
    // door control: a relay across the opener's button (needs the contact above to know the state)
    QString relayLine;                                // empty: no door control | <chip>:<line> | sim:<file>
    bool relayActiveLow = false;
    std::chrono::milliseconds press{500};             // how long the button is held
    std::chrono::seconds travel{20};                  // how long the door takes to move
};

} // namespace garage
