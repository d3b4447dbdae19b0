#include "sensors/DhtDecoder.h"

#include <array>

namespace garage {
namespace {

constexpr std::int64_t kGlitchNs = 10'000;      // shorter pulses are line noise
constexpr std::int64_t kOneThresholdNs = 48'000; // a '0' is high for 26-28 us, a '1' for 70 us
constexpr std::int64_t kResponseMinNs = 60'000;  // the sensor's 80 us response pulse
constexpr std::int64_t kResponseMaxNs = 110'000;

// Widths of the high pulses, with glitches (very short pulses of either level) removed.
std::vector<std::int64_t> highPulses(std::vector<GpioEdge> edges)
{
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
            if (edges[i + 1].ns - edges[i].ns < kGlitchNs && edges[i].rising != edges[i + 1].rising) {
                edges.erase(edges.begin() + std::ptrdiff_t(i), edges.begin() + std::ptrdiff_t(i) + 2);
                changed = true;
                break;
            }
        }
    }
    std::vector<std::int64_t> widths;
    for (std::size_t i = 0; i + 1 < edges.size(); ++i)
        if (edges[i].rising && !edges[i + 1].rising)
            widths.push_back(edges[i + 1].ns - edges[i].ns);
    return widths;
}

} // namespace

std::expected<DhtData, QString> decodeDht(const std::vector<GpioEdge> &edges, DhtModel model)
{
    const std::vector<std::int64_t> pulses = highPulses(edges);
    std::size_t first = 0;
    while (first < pulses.size() && !(pulses[first] >= kResponseMinNs && pulses[first] <= kResponseMaxNs))
        ++first;
    if (first == pulses.size())
        return std::unexpected(QStringLiteral("no response from the sensor"));
    const std::size_t bits = pulses.size() - first - 1;
    if (bits != 40)
        return std::unexpected(QStringLiteral("got %1 of 40 bits (lost edges)").arg(bits));
    std::array<unsigned, 5> bytes{};
    for (std::size_t i = 0; i < 40; ++i)
        bytes[i / 8] = (bytes[i / 8] << 1) | (pulses[first + 1 + i] > kOneThresholdNs ? 1u : 0u);
    if (((bytes[0] + bytes[1] + bytes[2] + bytes[3]) & 0xffu) != bytes[4])
        return std::unexpected(QStringLiteral("checksum mismatch"));
    DhtData data;
    if (model == DhtModel::Dht22) {
        data.humidity = ((bytes[0] << 8) | bytes[1]) / 10.0;
        const double magnitude = (((bytes[2] & 0x7fu) << 8) | bytes[3]) / 10.0;
        data.celsius = (bytes[2] & 0x80u) ? -magnitude : magnitude;
        if (data.celsius < -40.0 || data.celsius > 80.0 || data.humidity > 100.0)
            return std::unexpected(QStringLiteral("%1 °C / %2 % is outside the DHT22's range").arg(data.celsius).arg(data.humidity));
    } else {
        data.humidity = bytes[0] + bytes[1] / 10.0;
        data.celsius = (bytes[2] + (bytes[3] & 0x7fu) / 10.0) * ((bytes[3] & 0x80u) ? -1 : 1);
        if (data.celsius < -20.0 || data.celsius > 60.0 || data.humidity > 100.0)
            return std::unexpected(QStringLiteral("%1 °C / %2 % is outside the DHT11's range").arg(data.celsius).arg(data.humidity));
    }
    return data;
}

} // namespace garage
