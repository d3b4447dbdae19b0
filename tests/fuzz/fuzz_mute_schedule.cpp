// The mute schedule: any text parses or is refused with a reason; what parses prints back (toString) as text that
// parses to the same verdict at every probed time.
#include "FuzzInput.h"
#include "app/MuteSchedule.h"

#include <QTimeZone>
#include <cstdlib>

using namespace garage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::FuzzInput in(data, size);
    const std::uint32_t probe = in.u32();
    const auto schedule = MuteSchedule::parse(QString::fromUtf8(in.rest()));
    if (!schedule) {
        if (schedule.error().isEmpty())
            std::abort();
        return 0;
    }
    const auto again = MuteSchedule::parse(schedule->toString());
    if (!again)
        std::abort();
    const QDateTime base(QDate(2026, 11, 23), QTime(0, 0), QTimeZone::UTC); // a Monday
    for (int i = 0; i < 8; ++i) {
        const QDateTime at = base.addSecs(qint64((probe + std::uint32_t(i) * 7919u) % (7u * 86400u)));
        if (schedule->isMuted(at) != again->isMuted(at))
            std::abort();
    }
    return 0;
}
