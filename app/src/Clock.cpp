#include "app/Clock.h"

namespace garage {

const Clock &Clock::system()
{
    static const Clock clock;
    return clock;
}

} // namespace garage
