#include "app/MotionEventRecorder.h"

#include "Logging.h"
#include "app/DurationText.h"

#include "camera/SnapshotEncoder.h"
#include "motion/Annotator.h"
#include "motion/PersonDetector.h"
#include "xmpp/XmppLink.h"

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr auto kAlertDelay = 2s; // the alert picture is the best frame of an event's first seconds

QString clock(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

QString personText(std::optional<bool> person)
{
    return !person ? QString() : *person ? QStringLiteral("person") : QStringLiteral("no person seen");
}

} // namespace

MotionEventRecorder::MotionEventRecorder(const AppConfig &config, EventStore &events, AlertPolicy &policy,
                                         const Clock &clock, LatestFrame latestFrame, Send send, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_events(events),
      m_policy(policy),
      m_clock(clock),
      m_latestFrame(std::move(latestFrame)),
      m_send(std::move(send)),
      m_detector(config.motion),
      m_tracker(config.motion)
{
    m_alertDelay.setSingleShot(true);
    connect(&m_alertDelay, &QTimer::timeout, this, &MotionEventRecorder::tick);
}

void MotionEventRecorder::tick()
{
    if (!m_open || m_open->alertDone)
        return;
    if (m_clock.steadyNow() >= m_open->alertDue)
        sendMotionAlert();
    else
        armAlertTimer(); // a coarse timer may fire early: wait for the rest
}

void MotionEventRecorder::armAlertTimer()
{
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(m_open->alertDue - m_clock.steadyNow());
    m_alertDelay.start(std::max(left, std::chrono::milliseconds(1)));
}

void MotionEventRecorder::endOpenEvent(const QString &endedBy, bool shuttingDown)
{
    if (shuttingDown) {
        m_shuttingDown = true; // an event cut short by the shutdown is recorded, not announced as ended
        m_alertDelay.stop();
    }
    if (const auto ended = m_tracker.finish(m_lastFrameTime); ended)
        onEventEnded(*ended, endedBy);
}

void MotionEventRecorder::onFrame(const LumaFrame &frame)
{
    m_lastFrameTime = frame.timestamp;
    FrameAnalysis analysis = m_detector.process(frame.grey, frame.timestamp);
    for (cv::Rect &box : analysis.boxes) // boxes go on the full-size picture
        box = frame.toFrame(box);
    const EventUpdate update = m_tracker.update(frame.timestamp, frame.index, analysis);
    if (update.kind == EventUpdate::Kind::None)
        return;
    if (update.kind == EventUpdate::Kind::Started)
        onEventStarted(update.event);
    if (m_open && update.bestFrameChanged && !m_open->alertDone) {
        m_open->bestFrame = m_latestFrame();
        m_open->bestBoxes = analysis.boxes;
        m_open->bestPercent = analysis.changedPercent;
    }
    m_lastMotion = m_clock.wallNow();
    if (update.kind == EventUpdate::Kind::Ended)
        onEventEnded(update.event);
    else
        tick();
}

void MotionEventRecorder::onEventStarted(const MotionEvent &event)
{
    OpenEvent open;
    const Moment now = m_clock.now();
    open.start = now.wall;
    open.alertDue = now.steady + kAlertDelay;
    open.bestFrame = m_latestFrame();
    open.bestBoxes = {event.box};
    open.bestPercent = event.peakPercent;
    EventRecord record;
    record.kind = QStringLiteral("motion");
    record.start = open.start;
    record.summary = QStringLiteral("motion");
    open.id = m_events.add(record);
    m_open = std::move(open);
    qCInfo(lcApp) << "motion event" << m_open->id << "started, area" << event.peakPercent << "%";
    armAlertTimer();
}

void MotionEventRecorder::onEventEnded(const MotionEvent &event, const QString &endedBy)
{
    if (!m_open)
        return;
    if (!m_open->alertDone) // ended within the first seconds: alert now with what we have
        sendMotionAlert();
    OpenEvent open = *m_open;
    m_open.reset();
    m_alertDelay.stop();
    const auto duration = std::chrono::duration_cast<std::chrono::seconds>(event.end - event.start);
    const QString person = personText(open.person);
    auto record = m_events.find(open.id).value_or(EventRecord{});
    record.end = m_clock.wallNow();
    record.peakPercent = event.peakPercent;
    record.person = open.person;
    record.summary = QStringLiteral("motion %1, peak %2 % of the view%3%4")
                         .arg(formatDuration(duration))
                         .arg(event.peakPercent, 0, 'f', 1)
                         .arg(person.isEmpty() ? QString() : QStringLiteral(", ") + person,
                              endedBy.isEmpty() ? QString() : QStringLiteral(", ended: ") + endedBy);
    m_events.update(record);
    qCInfo(lcApp) << "motion event" << open.id << "ended:" << record.summary;
    if (open.alertSent && m_config.alerts.eventSummary && !m_shuttingDown)
        m_send({QStringLiteral("Motion in the %1 ended: %2").arg(m_config.xmpp.effectiveKeyword(), record.summary), {}, {},
              record.end});
}

void MotionEventRecorder::sendMotionAlert()
{
    if (!m_open || m_open->alertDone)
        return;
    m_open->alertDone = true;
    const int id = m_open->id;
    const QDateTime start = m_open->start;
    const SnapshotFrame frame = m_open->bestFrame;
    const auto boxes = m_open->bestBoxes;
    const double percent = m_open->bestPercent;
    if (frame.isNull()) {
        qCWarning(lcApp) << "motion event" << id << "has no frame for its picture";
        return;
    }
    const bool personCheck = m_config.motion.personCheck;
    const auto masks = m_config.motion.masks;
    const QString caption = QStringLiteral("%1 · %2 · motion %3 %")
                                .arg(m_config.xmpp.effectiveKeyword(), start.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
                                .arg(percent, 0, 'f', 1);
    auto person = std::make_shared<std::optional<bool>>();
    cv::Rect region;
    for (const cv::Rect &box : boxes)
        region |= box;
    // on the worker: the person check first (drawn boxes would confuse it), then the annotation
    auto annotate = [personCheck, person, region, boxes, masks, caption](cv::Mat &bgr) {
        if (personCheck)
            *person = PersonDetector().containsPerson(bgr, region);
        annotateFrame(bgr, boxes, masks, caption.toStdString());
    };
    encodeSnapshot(frame, m_config.camera.jpegQuality, m_config.camera.snapshotWidth, annotate)
        .then(this, [this, id, start, percent, person](std::expected<QByteArray, QString> jpeg) {
            if (m_open && m_open->id == id)
                m_open->person = *person;
            else
                notePerson(id, *person); // the event ended before its check did
            if (!jpeg) {
                qCWarning(lcApp) << "motion event" << id << "picture failed:" << jpeg.error();
                deliverMotionAlert(id, start, percent, *person, {}, {});
                return;
            }
            // the picture is written once; the alert refers to it after the write (or carries it if that failed)
            const QByteArray bytes = *jpeg;
            m_events.attachSnapshot(id, bytes).then(this, [this, id, start, percent, person, bytes](
                                                              const std::expected<QString, QString> &picture) {
                if (!picture)
                    qCWarning(lcApp) << "motion event" << id << "picture not kept:" << picture.error();
                deliverMotionAlert(id, start, percent, *person, picture.value_or(QString()),
                                   picture ? QByteArray() : bytes);
            });
        });
}

void MotionEventRecorder::deliverMotionAlert(int id, const QDateTime &start, double percent, std::optional<bool> person,
                                   const QString &picture, const QByteArray &jpeg)
{
    const Moment now = m_clock.now();
    const AlertDecision decision = m_policy.decide(AlertKind::Motion, now, person);
    if (!decision.send) {
        qCInfo(lcApp) << "motion event" << id << "not alerted:" << decision.reason;
        return;
    }
    const QString who = personText(person);
    m_send({QStringLiteral("Motion in the %1 at %2 (%3)")
              .arg(m_config.xmpp.effectiveKeyword(), clock(start),
                   who.isEmpty() ? QStringLiteral("%1 % of the view").arg(percent, 0, 'f', 1) : who),
          picture, jpeg, start});
    m_policy.motionAlertSent(now);
    if (m_open && m_open->id == id)
        m_open->alertSent = true;
}

void MotionEventRecorder::notePerson(int eventId, std::optional<bool> person)
{
    auto record = m_events.find(eventId);
    if (!person || !record || record->person)
        return;
    record->person = person;
    record->summary += QStringLiteral(", ") + personText(person);
    m_events.update(*record);
}

} // namespace garage
