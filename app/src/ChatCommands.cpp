#include "ChatCommands.h"

#include "app/Appliance.h"
#include "app/DoorController.h"
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
    appliance.snapshot([reply](std::expected<SnapshotReply, QString> snapshot) {
        if (snapshot)
            reply.image(snapshot->jpeg, snapshot->caption);
        else
            reply.text(QStringLiteral("No snapshot: %1").arg(snapshot.error()));
    });
}

// The reply waits for the state to be saved (on the storage writer, never blocking the event loop) and says so when
// the setting will not survive a restart.
// head "Armed", tail "motion and door alerts are on." -> "Armed: motion and door alerts are on.", or when the save
// failed "Armed — but the setting could not be saved (disk full?): it will not survive a restart (why). motion ..."
void replyWhenSaved(Appliance &appliance, QFuture<ApplianceState::Saved> saved, const Replier &reply,
                    const QString &head, const QString &tail)
{
    saved.then(&appliance, [reply, head, tail](const ApplianceState::Saved &result) {
        if (result)
            reply.text(tail.isEmpty() ? QString(head + QLatin1Char('.')) : QString(head + QStringLiteral(": ") + tail));
        else
            reply.text(QStringLiteral("%1 — but the setting could not be saved (disk full?): it will not survive a "
                                      "restart (%2).%3")
                           .arg(head, result.error(), tail.isEmpty() ? QString() : QString(QLatin1Char(' ') + tail)));
    });
}

bool isWallTimeMute(const QString &arguments)
{
    return arguments.trimmed().startsWith(QLatin1String("until"), Qt::CaseInsensitive);
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

void registerDoorCommands(CommandRouter &router, Appliance &appliance)
{
    // a question waiting for 'yes' is cancelled by the owner's next message, whatever it is
    router.setObserver([&appliance](const CommandRequest &request) {
        if (DoorController *door = appliance.doorControl())
            door->commandSeen(request);
    });
    router.add(QStringLiteral("door"), {}, QStringLiteral("the door's state and since when"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   if (DoorController *door = appliance.doorControl())
                       door->door(reply);
               });
    router.add(QStringLiteral("open"), {}, QStringLiteral("open the garage door (asks for 'yes')"),
               [&appliance](const CommandRequest &request, const Replier &reply) {
                   if (DoorController *door = appliance.doorControl())
                       door->ask(request, DoorAction::Open, reply);
               });
    router.add(QStringLiteral("close"), {}, QStringLiteral("close the garage door (asks for 'yes')"),
               [&appliance](const CommandRequest &request, const Replier &reply) {
                   if (DoorController *door = appliance.doorControl())
                       door->ask(request, DoorAction::Close, reply);
               });
    router.add(QStringLiteral("yes"), {}, QStringLiteral("confirm 'open' or 'close' (within 30 s)"),
               [&appliance](const CommandRequest &request, const Replier &reply) {
                   if (DoorController *door = appliance.doorControl())
                       door->confirm(request, reply);
               });
}

} // namespace

void registerChatCommands(CommandRouter &router, Appliance &appliance)
{
    router.add(QStringLiteral("status"), {QStringLiteral("st")}, QStringLiteral("armed/muted, camera, last motion, temperature, door"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   reply.text(formatStatus(appliance.statusInfo(), appliance.clock().wallNow()));
               });
    router.add(QStringLiteral("snapshot"), {QStringLiteral("snap"), QStringLiteral("photo")},
               QStringLiteral("a fresh picture from the camera"),
               [&appliance](const CommandRequest &, const Replier &reply) { sendSnapshot(appliance, reply); });
    router.add(QStringLiteral("temp"), {QStringLiteral("temperature")}, QStringLiteral("the temperature"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   reply.text(QStringLiteral("Temperature: %1").arg(formatTemperature(appliance.statusInfo(),
                                                                                      appliance.clock().wallNow())));
               });
    router.add(QStringLiteral("arm"), {}, QStringLiteral("motion and door alerts on"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   replyWhenSaved(appliance, appliance.setArmed(true), reply, QStringLiteral("Armed"),
                                  QStringLiteral("motion and door alerts are on."));
               });
    router.add(QStringLiteral("disarm"), {}, QStringLiteral("motion and door alerts off (frost, heat, failures still come)"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   replyWhenSaved(appliance, appliance.setArmed(false), reply, QStringLiteral("Disarmed"),
                                  QStringLiteral("no motion or door alerts. Frost, heat, door left open and failures "
                                                 "still come."));
               });
    router.add(QStringLiteral("mute"), {}, QStringLiteral("mute <30m|2h|until 07:00>: hold motion and door alerts"),
               [&appliance](const CommandRequest &request, const Replier &reply) {
                   const QDateTime now = appliance.clock().wallNow().toLocalTime();
                   const auto end = parseMuteEnd(request.arguments, now);
                   if (!end) {
                       reply.text(QStringLiteral("Cannot mute: %1.").arg(end.error()));
                       return;
                   }
                   // "until 07:00" is a wall time; "1h" is real time, held on the steady clock
                   auto saved = isWallTimeMute(request.arguments)
                                    ? appliance.muteUntil(end->toUTC())
                                    : appliance.muteFor(std::chrono::seconds(now.secsTo(*end)));
                   replyWhenSaved(appliance, saved, reply,
                                  QStringLiteral("Muted until %1")
                                      .arg(end->toString(end->date() == QDate::currentDate() ? QStringLiteral("HH:mm")
                                                                                             : QStringLiteral("ddd HH:mm"))),
                                  QStringLiteral("motion and door alerts are held; frost, heat and failures still "
                                                 "come. 'unmute' ends it."));
               });
    router.add(QStringLiteral("unmute"), {}, QStringLiteral("end a mute"),
               [&appliance](const CommandRequest &, const Replier &reply) {
                   replyWhenSaved(appliance, appliance.unmute(), reply, QStringLiteral("Unmuted"), {});
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
    registerDoorCommands(router, appliance);
}

} // namespace garage
