// The chat command parser with the duration and "mute until" parsers behind it: any body from any sender, any
// timing. Nothing crashes; a parsed mute end is always after now and at most 30 days (and a day for "until").
#include "FuzzInput.h"
#include "app/DurationText.h"
#include "xmpp/CommandRouter.h"

#include <QTimeZone>
#include <cstdlib>

using namespace garage;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qputenv("QT_LOGGING_RULES", "*.info=false");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::FuzzInput in(data, size);
    const auto now = std::chrono::steady_clock::time_point(std::chrono::seconds(in.u32()));
    const QString sender = QString::fromUtf8(in.bytes(in.byte() % 64));
    const QString body = QString::fromUtf8(in.rest());

    static const QDateTime wallNow(QDate(2026, 11, 25), QTime(10, 0), QTimeZone::UTC);
    CommandRouter router(1 + int(size % 20));
    router.add(QStringLiteral("mute"), {}, QStringLiteral("mute"), [](const CommandRequest &request, const Replier &) {
        const auto end = parseMuteEnd(request.arguments, wallNow);
        if (end && (*end <= wallNow || *end > wallNow.addDays(30)))
            std::abort();
        if (end)
            (void)formatDuration(std::chrono::seconds(wallNow.secsTo(*end)));
    });
    router.add(QStringLiteral("status"), {QStringLiteral("st")}, QStringLiteral("status"),
               [](const CommandRequest &, const Replier &) {});
    const Replier nobody; // no link: replies go nowhere
    router.dispatch(sender, body, nobody, now);
    router.dispatch(sender, body, nobody, now);
    // the parser on its own, on the raw text too (the router trims and simplifies first)
    (void)parseMuteEnd(body, wallNow);
    return 0;
}
