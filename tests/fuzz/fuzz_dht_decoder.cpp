// The DHT11/DHT22 decoder on any edge timeline (gaps and directions from the input, timestamps increasing or not):
// a reading within the model's range or a reason, never a crash.
#include "FuzzInput.h"
#include "sensors/DhtDecoder.h"

#include <cmath>
#include <cstdlib>

using namespace garage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::FuzzInput in(data, size);
    std::vector<GpioEdge> edges;
    std::int64_t t = std::int64_t(in.u32());
    while (!in.empty() && edges.size() < 400) {
        const std::uint8_t op = in.byte();
        // mostly forward in microseconds as a DHT answers; sometimes a step back or a long gap
        const std::int64_t step = (op & 0x80) ? -std::int64_t(in.byte()) * 1000 : std::int64_t(in.byte()) * 1000 + (op & 0x3f);
        t += step;
        edges.push_back({t, bool(op & 0x40)});
    }
    for (const DhtModel model : {DhtModel::Dht11, DhtModel::Dht22}) {
        const auto reading = decodeDht(edges, model);
        if (reading && (!std::isfinite(reading->celsius) || !std::isfinite(reading->humidity)))
            std::abort();
        if (!reading && reading.error().isEmpty())
            std::abort();
    }
    return 0;
}
