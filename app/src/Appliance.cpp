#include "app/Appliance.h"

#include "ChatCommands.h"
#include "Logging.h"
#include "app/DurationText.h"
#include "app/JsonFile.h"

#include "camera/SnapshotEncoder.h"
#include "motion/Annotator.h"
#include "motion/PersonDetector.h"
#include "sensors/DoorContact.h"
#include "sensors/TemperatureSensor.h"
#include "sensors/ThresholdMonitor.h"
#include "xmpp/XmppLink.h"

#include <QCoreApplication>
#include <QJsonObject>

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr auto kAlertDelay = 2s;     // the alert picture is the best frame of an event's first seconds

QString clock(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

QString personText(std::optional<bool> person)
{
    return !person ? QString() : *person ? QStringLiteral("person") : QStringLiteral("no person seen");
}

} // namespace

Appliance::Appliance(const AppConfig &config, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_policy(config.alerts.armedAtStart, config.alerts.cooldown, config.alerts.personsOnly,
               MuteSchedule::parse(config.alerts.muteSchedule).value_or(MuteSchedule())),
      m_events(config.storage),
      m_detector(config.motion),
      m_tracker(config.motion)
{
    m_alertDelay.setSingleShot(true);
    m_alertDelay.setInterval(kAlertDelay);
    connect(&m_alertDelay, &QTimer::timeout, this, &Appliance::sendMotionAlert);
    m_cameraGrace.setSingleShot(true);
    m_cameraGrace.setInterval(config.alerts.cameraLostAfter); // a shorter outage is not worth a message
    connect(&m_cameraGrace, &QTimer::timeout, this, [this] {
        if (m_cameraDownSince.isValid() && !m_cameraLostAlerted) {
            m_cameraLostAlerted = true;
            raise(AlertKind::Safety, QStringLiteral("Camera lost in the %1: %2").arg(m_config.xmpp.effectiveKeyword(),
                                                                                     m_cameraDownReason));
            recordEvent(QStringLiteral("camera"), QStringLiteral("camera lost: %1").arg(m_cameraDownReason));
        }
    });
}

Appliance::~Appliance() = default;

std::expected<void, QString> Appliance::start()
{
    m_startedAt = QDateTime::currentDateTimeUtc();
    QString error;
    if (!m_events.open(&error))
        return std::unexpected(QStringLiteral("storage/dir: %1").arg(error));
    loadState();

    CameraConfig cameraConfig = m_config.camera;
    cameraConfig.lumaWidth = m_config.motion.analysisWidth; // no wider luma than the analysis takes
    auto camera = createFrameSource(cameraConfig);
    if (!camera)
        return std::unexpected(QStringLiteral("camera/source: %1").arg(camera.error()));
    m_camera = std::move(*camera);
    connect(m_camera.get(), &FrameSource::frameReady, this, &Appliance::onFrame);
    connect(m_camera.get(), &FrameSource::stateChanged, this, &Appliance::onCameraState);

    if (!m_config.temperature.source.isEmpty() && m_config.temperature.source != QLatin1String("none")) {
        auto sensor = createTemperatureSensor(m_config.temperature);
        if (!sensor)
            return std::unexpected(QStringLiteral("temperature/source: %1").arg(sensor.error()));
        m_sensor = std::move(*sensor);
        m_thresholds = std::make_unique<ThresholdMonitor>(m_config.temperature);
        connect(m_sensor.get(), &TemperatureSensor::readingReady, this, &Appliance::onReading);
    }
    if (!m_config.door.line.isEmpty()) {
        auto door = createDoorContact(m_config.door);
        if (!door)
            return std::unexpected(QStringLiteral("door/line: %1").arg(door.error()));
        m_door = std::move(*door);
        connect(m_door.get(), &DoorContact::doorChanged, this, &Appliance::onDoorChanged);
        connect(m_door.get(), &DoorContact::leftOpen, this, [this](std::chrono::seconds openFor) {
            raise(AlertKind::Safety, QStringLiteral("The %1 door has been open for %2")
                                         .arg(m_config.xmpp.effectiveKeyword(), formatDuration(openFor)));
            recordEvent(QStringLiteral("door"), QStringLiteral("left open %1").arg(formatDuration(openFor)));
        });
    }

    m_link = std::make_unique<XmppLink>(m_config.xmpp, m_config.storage.dir);
    registerChatCommands(m_link->commands(), *this);
    connect(m_link.get(), &XmppLink::connectedChanged, this, [this](bool connected) {
        if (connected)
            refreshPresence();
    });
    connect(m_link.get(), &XmppLink::fatalError, this,
            [](const QString &reason) { qCCritical(lcApp) << "XMPP link stopped:" << reason; });

    m_camera->start();
    if (m_sensor)
        m_sensor->start();
    if (m_door)
        m_door->start();
    m_link->start();
    refreshPresence();
    qCInfo(lcApp) << "appliance started:" << (m_policy.isArmed() ? "armed" : "disarmed") << "camera"
                  << m_config.camera.source << "sensor" << (m_sensor ? m_sensor->description() : QStringLiteral("none"));
    return {};
}

void Appliance::stop()
{
    m_alertDelay.stop();
    m_cameraGrace.stop();
    m_stopping = true; // an event cut short by the shutdown is recorded, not announced as ended
    if (const auto ended = m_tracker.finish(m_lastFrameTime); ended)
        onEventEnded(*ended);
    if (m_camera)
        m_camera->stop();
    if (m_sensor)
        m_sensor->stop();
    if (m_door)
        m_door->stop();
    if (m_link)
        m_link->stop();
    m_events.waitForWrites();
}

void Appliance::onFrame(const LumaFrame &frame)
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
        m_open->bestFrame = m_camera->latestFrame();
        m_open->bestBoxes = analysis.boxes;
        m_open->bestPercent = analysis.changedPercent;
    }
    m_lastMotion = QDateTime::currentDateTimeUtc();
    if (update.kind == EventUpdate::Kind::Ended)
        onEventEnded(update.event);
}

void Appliance::onEventStarted(const MotionEvent &event)
{
    OpenEvent open;
    open.start = QDateTime::currentDateTimeUtc();
    open.bestFrame = m_camera->latestFrame();
    open.bestBoxes = {event.box};
    open.bestPercent = event.peakPercent;
    EventRecord record;
    record.kind = QStringLiteral("motion");
    record.start = open.start;
    record.summary = QStringLiteral("motion");
    open.id = m_events.add(record);
    m_open = std::move(open);
    qCInfo(lcApp) << "motion event" << m_open->id << "started, area" << event.peakPercent << "%";
    m_alertDelay.start();
}

void Appliance::onEventEnded(const MotionEvent &event)
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
    record.end = QDateTime::currentDateTimeUtc();
    record.peakPercent = event.peakPercent;
    record.person = open.person;
    record.summary = QStringLiteral("motion %1, peak %2 % of the view%3")
                         .arg(formatDuration(duration))
                         .arg(event.peakPercent, 0, 'f', 1)
                         .arg(person.isEmpty() ? QString() : QStringLiteral(", ") + person);
    m_events.update(record);
    qCInfo(lcApp) << "motion event" << open.id << "ended:" << record.summary;
    if (open.alertSent && m_config.alerts.eventSummary && !m_stopping)
        m_link->alert(QStringLiteral("Motion in the %1 ended: %2").arg(m_config.xmpp.effectiveKeyword(), record.summary));
}

void Appliance::sendMotionAlert()
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
            if (jpeg)
                m_events.attachSnapshot(id, *jpeg);
            else
                qCWarning(lcApp) << "motion event" << id << "picture failed:" << jpeg.error();
            const QDateTime now = QDateTime::currentDateTimeUtc();
            const AlertDecision decision = m_policy.decide(AlertKind::Motion, now, *person);
            if (!decision.send) {
                qCInfo(lcApp) << "motion event" << id << "not alerted:" << decision.reason;
                return;
            }
            const QString who = personText(*person);
            m_link->alert(QStringLiteral("Motion in the %1 at %2 (%3)")
                              .arg(m_config.xmpp.effectiveKeyword(), clock(start),
                                   who.isEmpty() ? QStringLiteral("%1 % of the view").arg(percent, 0, 'f', 1) : who),
                          jpeg.value_or(QByteArray()));
            m_policy.motionAlertSent(now);
            if (m_open && m_open->id == id)
                m_open->alertSent = true;
        });
}

void Appliance::notePerson(int eventId, std::optional<bool> person)
{
    auto record = m_events.find(eventId);
    if (!person || !record || record->person)
        return;
    record->person = person;
    record->summary += QStringLiteral(", ") + personText(person);
    m_events.update(*record);
}

void Appliance::onCameraState(FrameSource::State state, const QString &reason)
{
    qCInfo(lcApp) << "camera" << state << reason;
    if (state == FrameSource::State::Streaming) {
        m_cameraGrace.stop();
        if (m_cameraLostAlerted) {
            const auto down = std::chrono::seconds(m_cameraDownSince.secsTo(QDateTime::currentDateTimeUtc()));
            raise(AlertKind::Safety, QStringLiteral("Camera back in the %1 after %2")
                                         .arg(m_config.xmpp.effectiveKeyword(), formatDuration(down)));
            recordEvent(QStringLiteral("camera"), QStringLiteral("camera back after %1").arg(formatDuration(down)));
        }
        m_cameraLostAlerted = false;
        m_cameraDownSince = {};
        return;
    }
    if (state == FrameSource::State::Stalled || state == FrameSource::State::Offline) {
        m_cameraDownReason = reason;
        if (!m_cameraDownSince.isValid()) {
            m_cameraDownSince = QDateTime::currentDateTimeUtc();
            m_cameraGrace.start();
        }
    }
}

void Appliance::onReading(const TemperatureReading &reading)
{
    m_lastReading = reading;
    if (reading.quality == TemperatureReading::Quality::Ok) {
        m_lastGoodCelsius = reading.celsius;
        m_lastGoodTime = reading.time;
    } else {
        qCWarning(lcApp) << "temperature reading failed:" << reading.reason;
    }
    for (const ThresholdEvent &event : m_thresholds->feed(reading, std::chrono::steady_clock::now())) {
        raise(AlertKind::Safety, QStringLiteral("%1: %2").arg(m_config.xmpp.effectiveKeyword(), event.text));
        recordEvent(QStringLiteral("temperature"), event.text);
    }
    refreshPresence();
}

void Appliance::onDoorChanged(bool open, const QDateTime &at)
{
    const QString text = QStringLiteral("The %1 door %2 at %3")
                             .arg(m_config.xmpp.effectiveKeyword(), open ? QStringLiteral("opened") : QStringLiteral("closed"), clock(at));
    raise(AlertKind::DoorActivity, text);
    recordEvent(QStringLiteral("door"), open ? QStringLiteral("opened") : QStringLiteral("closed"));
    refreshPresence();
}

void Appliance::raise(AlertKind kind, const QString &text, const QByteArray &jpeg)
{
    const AlertDecision decision = m_policy.decide(kind, QDateTime::currentDateTimeUtc());
    if (!decision.send) {
        qCInfo(lcApp) << "not alerted (" << decision.reason << "):" << text;
        return;
    }
    qCInfo(lcApp) << "alert:" << text;
    m_link->alert(text, jpeg);
}

void Appliance::recordEvent(const QString &kind, const QString &summary)
{
    EventRecord record;
    record.kind = kind;
    record.start = QDateTime::currentDateTimeUtc();
    record.end = record.start;
    record.summary = summary;
    m_events.add(record);
}

void Appliance::snapshot(std::function<void(std::expected<QByteArray, QString>)> done)
{
    const SnapshotFrame frame = m_camera ? m_camera->latestFrame() : SnapshotFrame();
    if (frame.isNull()) {
        done(std::unexpected(QStringLiteral("no picture from the camera yet (camera %1)")
                                 .arg(statusInfo().cameraState)));
        return;
    }
    const QString caption = QStringLiteral("%1 · %2").arg(m_config.xmpp.effectiveKeyword(),
                                                          QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    const auto masks = m_config.motion.masks;
    encodeSnapshot(frame, m_config.camera.jpegQuality, m_config.camera.snapshotWidth,
                   [masks, caption](cv::Mat &bgr) { annotateFrame(bgr, {}, masks, caption.toStdString()); })
        .then(this, [done](std::expected<QByteArray, QString> jpeg) { done(jpeg); });
}

StatusInfo Appliance::statusInfo() const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    StatusInfo info;
    info.name = m_config.xmpp.effectiveKeyword();
    info.armed = m_policy.isArmed();
    info.mutedUntil = m_policy.mutedUntil(now);
    if (m_policy.scheduleMutes(now))
        info.scheduleMute = m_policy.schedule().toString();
    if (m_camera) {
        static const char *const names[] = {"starting", "streaming", "stalled", "offline"};
        info.cameraState = QString::fromLatin1(names[int(m_camera->state())]);
        if (m_camera->state() != FrameSource::State::Streaming && !m_camera->stateReason().isEmpty())
            info.cameraState += QStringLiteral(" (%1)").arg(m_camera->stateReason());
        info.cameraFps = m_camera->measuredFps();
    }
    info.lastMotion = m_lastMotion;
    info.hasTemperatureSensor = m_sensor != nullptr;
    info.celsius = m_lastGoodCelsius;
    info.temperatureTime = m_lastGoodTime;
    if (m_sensor && m_lastReading.time.isValid() && m_lastReading.quality != TemperatureReading::Quality::Ok)
        info.temperatureProblem = m_lastReading.reason;
    if (m_door) {
        info.doorOpen = m_door->isOpen();
        info.doorSince = m_door->since();
    }
    info.startedAt = m_startedAt;
    info.version = QCoreApplication::applicationVersion();
    info.server = m_link ? QStringLiteral("%1 (%2)").arg(m_link->serverName(),
                                                          m_link->isConnected() ? QStringLiteral("connected")
                                                                                : QStringLiteral("reconnecting"))
                         : QString();
    return info;
}

void Appliance::setArmed(bool armed)
{
    m_policy.setArmed(armed);
    saveState();
    refreshPresence();
}

void Appliance::muteUntil(const QDateTime &end)
{
    m_policy.muteUntil(end);
    saveState();
}

void Appliance::unmute()
{
    m_policy.unmute();
    saveState();
}

void Appliance::refreshPresence()
{
    if (m_link)
        m_link->setStatusText(formatPresence(statusInfo()));
}

void Appliance::loadState()
{
    const auto doc = readJsonFile(m_config.storage.dir + QStringLiteral("/state.json"));
    if (!doc)
        return;
    const QJsonObject o = doc->object();
    if (o.contains(QStringLiteral("armed")))
        m_policy.setArmed(o.value(QStringLiteral("armed")).toBool());
    const QDateTime muted = QDateTime::fromString(o.value(QStringLiteral("muted_until")).toString(), Qt::ISODate);
    if (muted.isValid())
        m_policy.muteUntil(muted);
}

void Appliance::saveState()
{
    const QJsonObject o{{QStringLiteral("armed"), m_policy.isArmed()},
                        {QStringLiteral("muted_until"),
                         m_policy.mutedUntil(QDateTime::currentDateTimeUtc()).toString(Qt::ISODate)}};
    if (!writeFileAtomically(m_config.storage.dir + QStringLiteral("/state.json"), QJsonDocument(o).toJson()))
        qCWarning(lcApp) << "cannot save the armed/muted state in" << m_config.storage.dir;
}

} // namespace garage
