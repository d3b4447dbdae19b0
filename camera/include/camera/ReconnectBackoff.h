// Delay before the next reconnect attempt: 1 s doubling to 60 s, with +-20 % jitter so cameras do not retry in step.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace garage {

class ReconnectBackoff
{
public:
    static constexpr std::chrono::milliseconds kInitial{1000};
    static constexpr std::chrono::milliseconds kMaximum{60000};
    static constexpr double kJitter = 0.2;

    explicit ReconnectBackoff(std::uint32_t seed = std::random_device{}());

    // The delay for the next attempt (and count it).
    std::chrono::milliseconds next();
    // The stream works again: start from kInitial next time.
    void reset();
    int attempts() const { return m_attempts; }

private:
    std::mt19937 m_random;
    int m_attempts = 0;
};

} // namespace garage
