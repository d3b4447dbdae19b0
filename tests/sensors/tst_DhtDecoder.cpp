// DHT11/DHT22 answers decoded from edge timelines built from the datasheet timing, with jitter, and broken ones:
// a lost edge, a glitch, a bad checksum, all ones, negative DHT22 temperatures.
#include "sensors/DhtDecoder.h"

#include <QRandomGenerator>
#include <QTest>

using namespace garage;

namespace {

// The line as the host sees it after releasing it: sensor pulls low 80 us, high 80 us, then per bit low 50 us and
// high 26 us (0) or 70 us (1), then low 50 us and released (high). jitter: +-us on every phase.
std::vector<GpioEdge> timeline(const std::array<unsigned, 5> &bytes, int jitterUs, quint32 seed)
{
    QRandomGenerator rng(seed);
    auto us = [&](int nominal) { return std::int64_t(nominal + (jitterUs ? rng.bounded(2 * jitterUs + 1) - jitterUs : 0)) * 1000; };
    std::vector<GpioEdge> e;
    std::int64_t t = 1'000'000'000;
    t += us(30);
    e.push_back({t, false}); // response low
    t += us(80);
    e.push_back({t, true});
    t += us(80);
    for (int i = 0; i < 40; ++i) {
        e.push_back({t, false});
        t += us(50);
        e.push_back({t, true});
        t += (bytes[i / 8] >> (7 - i % 8)) & 1 ? us(70) : us(26);
    }
    e.push_back({t, false});
    t += us(50);
    e.push_back({t, true});
    return e;
}

std::array<unsigned, 5> withChecksum(unsigned a, unsigned b, unsigned c, unsigned d)
{
    return {a, b, c, d, (a + b + c + d) & 0xffu};
}

} // namespace

class TestDhtDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dht22WithJitter()
    {
        // 65.2 %RH, 23.5 °C
        for (quint32 seed = 1; seed <= 200; ++seed) {
            const auto data = decodeDht(timeline(withChecksum(0x02, 0x8c, 0x00, 0xeb), 8, seed), DhtModel::Dht22);
            QVERIFY2(data, qPrintable(data ? QString() : data.error()));
            QCOMPARE(data->humidity, 65.2);
            QCOMPARE(data->celsius, 23.5);
        }
    }

    void dht22Negative()
    {
        const auto data = decodeDht(timeline(withChecksum(0x01, 0x90, 0x80, 0x65), 5, 9), DhtModel::Dht22);
        QVERIFY(data);
        QCOMPARE(data->celsius, -10.1);
        QCOMPARE(data->humidity, 40.0);
    }

    void dht11()
    {
        const auto data = decodeDht(timeline(withChecksum(45, 0, 21, 3), 5, 4), DhtModel::Dht11);
        QVERIFY(data);
        QCOMPARE(data->celsius, 21.3);
        QCOMPARE(data->humidity, 45.0);
    }

    void badChecksum()
    {
        auto bytes = withChecksum(0x02, 0x8c, 0x00, 0xeb);
        bytes[4] ^= 0x01;
        const auto data = decodeDht(timeline(bytes, 0, 1), DhtModel::Dht22);
        QVERIFY(!data);
        QVERIFY(data.error().contains(QLatin1String("checksum")));
    }

    void allOnes()
    {
        QVERIFY(!decodeDht(timeline({0xff, 0xff, 0xff, 0xff, 0xff}, 0, 1), DhtModel::Dht22));
    }

    void lostEdge()
    {
        auto edges = timeline(withChecksum(0x02, 0x8c, 0x00, 0xeb), 3, 2);
        edges.erase(edges.begin() + 30); // a falling edge the kernel did not see merges two bits
        const auto data = decodeDht(edges, DhtModel::Dht22);
        QVERIFY(!data);
    }

    void glitchIsIgnored()
    {
        auto edges = timeline(withChecksum(0x02, 0x8c, 0x00, 0xeb), 3, 3);
        // a 2 us spike low in the middle of a long high pulse
        const std::int64_t mid = edges[41].ns + 20'000;
        edges.insert(edges.begin() + 42, {{mid, false}, {mid + 2'000, true}});
        const auto data = decodeDht(edges, DhtModel::Dht22);
        QVERIFY2(data, qPrintable(data ? QString() : data.error()));
        QCOMPARE(data->celsius, 23.5);
    }

    void noAnswer()
    {
        const auto data = decodeDht({}, DhtModel::Dht22);
        QVERIFY(!data);
        QVERIFY(data.error().contains(QLatin1String("no response")));
    }

    void outOfRange()
    {
        QVERIFY(!decodeDht(timeline(withChecksum(0x02, 0x8c, 0x7f, 0xff), 0, 1), DhtModel::Dht22)); // 3276.7 °C
    }
};

QTEST_GUILESS_MAIN(TestDhtDecoder)
#include "tst_DhtDecoder.moc"
