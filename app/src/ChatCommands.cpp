#include "ChatCommands.h"

#include "app/Appliance.h"
#include "app/DurationText.h"

#include "xmpp/CommandRouter.h"

namespace garage {
namespace {

QString eventLine(const EventRecord &e)
{
    return QStringLiteral("#%1 %2 %3: %4%5")
        .arg(e.id)
        .arg(e.start.toLocalTime().toString(QStringLiteral("ddd dd.MM HH:mm")), e.kind, e.summary,
             e.snapshotFile.isEmpty() ? QString() : QStringLiteral(" [picture]"));
}

void sendSnapshot(Appliance &appliance, const Replier &reply)
{
    appliance.snapshot([reply, name = appliance.config().xmpp.effectiveKeyword()](std::expected<QByteArray, QString> jpeg) {
        if (jpeg)
            reply.image(*jpeg, QStringLiteral("Snapshot of the %1 at %2")
                                   .arg(name, QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"))));
        else
            reply.text(QStringLiteral("No snapshot: %1").arg(jpeg.error()));
    });
}

void sendEventPicture(Appliance &appliance, const QString &arguments, const Replier &reply)
{
    bool ok = false;
    const int id = arguments.trimmed().remove(QLatin1Char('#')).toInt(&ok);
    const auto record = ok ? appliance.events().find(id) : std::nullopt;
    if (!record) {
        reply.text(ok ? QStringLiteral("There is no event #%1 (see 'events').").arg(id)
                      : QStringLiteral("Usage: event <number>, e.g. 'event 12' (see 'events')."));
        return;
    }
    const QString caption = eventLine(*record);
    appliance.events().readSnapshot(id).then(&appliance, [reply, caption](const QByteArray &jpeg) {
        if (jpeg.isEmpty())
            reply.text(caption + QStringLiteral("\n(no picture kept for this event)"));
        else
            reply.image(jpeg, caption);
    });
}

} // namespace

void registerChatCommands(CommandRouter &router, Appliance &appliance)
{
    router.add(QStringLiteral("status"), {QStringLiteral("st")}, QStringLiteral("armed/muted, camera, last motion, temperature, door"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   reply.text(formatStatus(appliance.statusInfo(), QDateTime::currentDateTimeUtc()));
               });
    router.add(QStringLiteral("snapshot"), {QStringLiteral("snap"), QStringLiteral("photo")},
               QStringLiteral("a fresh picture from the camera"),
               [&appliance](const CommandRequest &, const Replier &reply) { sendSnapshot(appliance, reply); });
    router.add(QStringLiteral("temp"), {QStringLiteral("temperature")}, QStringLiteral("the temperature"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   reply.text(QStringLiteral("Temperature: %1").arg(formatTemperature(appliance.statusInfo(),
                                                                                      QDateTime::currentDateTimeUtc())));
               });
    router.add(QStringLiteral("arm"), {}, QStringLiteral("motion and door alerts on"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   appliance.setArmed(true);
                   reply.text(QStringLiteral("Armed: motion and door alerts are on."));
               });
    router.add(QStringLiteral("disarm"), {}, QStringLiteral("motion and door alerts off (frost, heat, failures still come)"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   appliance.setArmed(false);
                   reply.text(QStringLiteral("Disarmed: no motion or door alerts. Frost, heat, door left open and "
                                             "failures still come."));
               });
    router.add(QStringLiteral("mute"), {}, QStringLiteral("mute <30m|2h|until 07:00>: hold motion and door alerts"),
               [&appliance](const CommandRequest &request, const Replier &reply) {
                   const auto end = parseMuteEnd(request.arguments, QDateTime::currentDateTime());
                   if (!end) {
                       reply.text(QStringLiteral("Cannot mute: %1.").arg(end.error()));
                       return;
                   }
                   appliance.muteUntil(end->toUTC());
                   reply.text(QStringLiteral("Muted until %1 (motion and door alerts; frost, heat and failures still "
                                             "come). 'unmute' ends it.")
                                  .arg(end->toString(end->date() == QDate::currentDate() ? QStringLiteral("HH:mm")
                                                                                         : QStringLiteral("ddd HH:mm"))));
               });
    router.add(QStringLiteral("unmute"), {}, QStringLiteral("end a mute"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   appliance.unmute();
                   reply.text(QStringLiteral("Unmuted."));
               });
    router.add(QStringLiteral("events"), {QStringLiteral("history")}, QStringLiteral("the last 10 events"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   const auto events = appliance.events().latest(10);
                   QStringList lines;
                   for (const EventRecord &e : events)
                       lines << eventLine(e);
                   reply.text(lines.isEmpty() ? QStringLiteral("No events yet.")
                                              : QStringLiteral("Last events (newest first):\n") + lines.join(QLatin1Char('\n')));
               });
    router.add(QStringLiteral("event"), {}, QStringLiteral("event <n>: that event's picture"),
               [&appliance](const CommandRequest &request, const Replier &reply) {
                   sendEventPicture(appliance, request.arguments, reply);
               });
}

} // namespace garage
