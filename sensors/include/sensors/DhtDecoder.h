// Decodes a DHT11/DHT22 answer from the edge timeline the GPIO line saw (kernel timestamps), so decoding does not
// depend on how fast this process ran. Pure: timeline in, reading or reason out.
#pragma once

#include <QString>

#include <cstdint>
#include <expected>
#include <vector>

namespace garage {

struct GpioEdge {
    std::int64_t ns = 0; // kernel timestamp
    bool rising = false;
};

struct DhtData {
    double celsius = 0;
    double humidity = 0; // % RH
};

enum class DhtModel { Dht11, Dht22 };

std::expected<DhtData, QString> decodeDht(const std::vector<GpioEdge> &edges, DhtModel model);

} // namespace garage
