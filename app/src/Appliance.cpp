#include "app/Appliance.h"

#include "ChatCommands.h"
#include "Logging.h"
#include "app/DoorController.h"
#include "app/DurationText.h"
#include "app/SnapshotTruth.h"
#include "app/StorageBudget.h"

#include "camera/SnapshotEncoder.h"
#include "camera/UrlCredentials.h"
#include "motion/Annotator.h"
#include "sensors/DoorContact.h"
#include "sensors/DoorRelay.h"
#include "sensors/TemperatureSensor.h"
#include "sensors/ThresholdMonitor.h"
#include "xmpp/XmppLink.h"

#include <QCoreApplication>

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr auto kWriterBound = 60s;   // a no-op on the storage writer must finish within this (watchdog)
constexpr auto kBudgetEvery = 10min; // the outbox and undelivered/ grow without an event picture: scan them too

QString clockText(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

QString cameraStateName(FrameSource::State state)
{
    static const char *const names[] = {"starting", "streaming", "stalled", "offline"};
    return QString::fromLatin1(names[int(state)]);
}

} // namespace

Appliance::Appliance(const AppConfig &config, QObject *parent, const Clock *clock)
    : QObject(parent),
      m_config(config),
      m_clock(clock ? *clock : Clock::system()),
      m_state(config.alerts, config.storage.dir, m_writer, m_clock),
      m_events(config.storage, &m_writer, &m_clock),
      m_motion(m_config, m_events, m_state.policy(), m_clock,
               [this] { return m_camera ? m_camera->latestFrame() : SnapshotFrame(); },
               [this](const OutgoingAlert &alert) { send(alert); }),
      m_cameraHealth(config.alerts.cameraLostAfter),
      m_doorHealth(config.alerts.cameraLostAfter),
      m_sensorHealth(config.alerts.cameraLostAfter)
{
    m_healthTimer.setSingleShot(true);
    connect(&m_healthTimer, &QTimer::timeout, this, &Appliance::pollHealth);
    connect(&m_writer, &StorageWriter::failed, this,
            [this](const QString &reason) { onStorageFailed(QStringLiteral("disk"), reason); });
    connect(&m_writer, &StorageWriter::recovered, this, [this] { onStorageRecovered(QStringLiteral("disk")); });
}

Appliance::~Appliance() = default;

std::expected<void, QString> Appliance::start()
{
    m_status.started(m_clock.wallNow());
    QString error;
    if (!m_events.open(&error))
        return std::unexpected(QStringLiteral("storage/dir: %1").arg(error));
    m_state.load();

    m_link = std::make_unique<XmppLink>(m_config.xmpp, m_config.storage.dir, m_writer.pool());
    registerChatCommands(m_link->commands(), *this);
    connect(m_link.get(), &XmppLink::connectedChanged, this, [this](bool connected) {
        if (connected)
            refreshPresence();
    });
    connect(m_link.get(), &XmppLink::storageFailed, this,
            [this](const QString &reason) { onStorageFailed(QStringLiteral("outbox"), reason); });
    connect(m_link.get(), &XmppLink::storageRecovered, this, [this] { onStorageRecovered(QStringLiteral("outbox")); });

    createDevices();
    setUpWatchdog();
    m_budgetTimer.setInterval(kBudgetEvery);
    connect(&m_budgetTimer, &QTimer::timeout, this, &Appliance::enforceBudget);
    m_budgetTimer.start();
    enforceBudget();

    if (m_camera)
        m_camera->start();
    if (m_sensor)
        m_sensor->start();
    if (m_door)
        m_door->start();
    m_doorControl->start();
    m_link->start();
    pollHealth();
    refreshPresence();
    qCInfo(lcApp) << "appliance started:" << (m_state.policy().isArmed() ? "armed" : "disarmed") << "camera"
                  << maskUrlCredentials(m_config.camera.source) << "sensor" << (m_sensor ? m_sensor->description() : QStringLiteral("none"));
    return {};
}

// A device that cannot be created runs as "lost" from the start: logged now, told after the grace, in status.
void Appliance::createDevices()
{
    const Moment now = m_clock.now();
    CameraConfig cameraConfig = m_config.camera;
    cameraConfig.lumaWidth = m_config.motion.analysisWidth; // no wider luma than the analysis takes
    if (auto camera = m_cameraFactory ? m_cameraFactory(cameraConfig) : createFrameSource(cameraConfig)) {
        m_camera = std::move(*camera);
        connect(m_camera.get(), &FrameSource::frameReady, &m_motion, &MotionEventRecorder::onFrame);
        connect(m_camera.get(), &FrameSource::stateChanged, this, &Appliance::onCameraState);
    } else {
        qCCritical(lcApp) << "camera unavailable, running without it:" << camera.error();
        m_status.cameraUnavailable(camera.error());
        m_cameraHealth.down(camera.error(), now);
    }

    if (!m_config.temperature.source.isEmpty() && m_config.temperature.source != QLatin1String("none")) {
        m_thresholds = std::make_unique<ThresholdMonitor>(m_config.temperature);
        if (const auto zone = ThresholdMonitor::zoneFromName(m_state.temperatureZone()))
            m_thresholds->restoreZone(*zone); // a restart while it is still cold warns no second time
        if (auto sensor = createTemperatureSensor(m_config.temperature)) {
            m_sensor = std::move(*sensor);
            connect(m_sensor.get(), &TemperatureSensor::readingReady, this, &Appliance::onReading);
        } else {
            qCCritical(lcApp) << "temperature sensor unavailable, running without it:" << sensor.error();
            m_status.sensorUnavailable(sensor.error());
            m_sensorHealth.down(sensor.error(), now);
        }
    }
    if (!m_config.door.line.isEmpty()) {
        if (auto door = m_doorFactory ? m_doorFactory(m_config.door) : createDoorContact(m_config.door)) {
            m_door = std::move(*door);
            connect(m_door.get(), &DoorContact::doorChanged, this, &Appliance::onDoorChanged);
            connect(m_door.get(), &DoorContact::leftOpen, this, [this](std::chrono::seconds openFor) {
                raise(AlertKind::Safety,
                      QStringLiteral("The %1 door has been open for %2%3")
                          .arg(m_config.xmpp.effectiveKeyword(), formatDuration(openFor),
                               m_doorControl && m_doorControl->isSetUp() ? QStringLiteral(", reply 'close' to close it")
                                                                         : QString()));
                recordEvent(QStringLiteral("door"), QStringLiteral("left open %1").arg(formatDuration(openFor)));
            });
            connect(m_door.get(), &DoorContact::availabilityChanged, this, [this](bool available, const QString &reason) {
                qCInfo(lcApp) << "door contact" << (available ? "available" : "unavailable:") << reason;
                if (m_stopping)
                    return;
                if (available) {
                    tellHealth(QStringLiteral("Door contact"), m_doorHealth.up(m_clock.now()));
                } else {
                    m_status.doorLost();
                    m_doorHealth.down(reason, m_clock.now());
                }
                pollHealth();
                refreshPresence();
            });
        } else {
            qCCritical(lcApp) << "door contact unavailable, running without it:" << door.error();
            m_status.doorUnavailable(door.error());
            m_doorHealth.down(door.error(), now);
        }
    }
    createDoorControl();
}

void Appliance::createDoorControl()
{
    std::unique_ptr<DoorRelay> relay;
    if (!m_config.door.relayLine.isEmpty()) {
        if (auto made = createDoorRelay(m_config.door))
            relay = std::move(*made);
        else
            qCCritical(lcApp) << "door relay unusable, door control is off:" << made.error();
    }
    DoorController::Hooks hooks;
    hooks.record = [this](const QString &summary) { recordEvent(QStringLiteral("door"), summary); };
    hooks.safetyAlert = [this](const QString &text) { raise(AlertKind::Safety, text); };
    hooks.replyWithPicture = [this](const Replier &reply, const QString &caption) {
        snapshot([reply, caption](std::expected<SnapshotReply, QString> picture) {
            if (picture)
                reply.image(picture->jpeg, caption);
            else
                reply.text(QStringLiteral("%1 (no picture: %2)").arg(caption, picture.error()));
        });
    };
    m_doorControl = std::make_unique<DoorController>(m_config.door, m_config.xmpp.effectiveKeyword(), m_clock,
                                                     m_state.policy(), std::move(hooks), std::move(relay));
    m_doorControl->setContact(m_door.get());
    if (m_door)
        connect(m_door.get(), &DoorContact::doorChanged, m_doorControl.get(), &DoorController::contactChanged);
}

void Appliance::enforceBudget()
{
    const QString dir = m_config.storage.dir;
    const qint64 budget = qint64(m_config.storage.maxMegabytes) * 1024 * 1024;
    m_writer.run([dir, budget]() -> StorageWriter::Result {
        enforceStorageBudget(dir, budget);
        return {};
    });
}

void Appliance::setUpWatchdog()
{
    if (m_camera)
        m_watchdog.add(QStringLiteral("camera"), [this](auto now) { return m_camera->supervisionProblem(now); });
    m_watchdog.add(QStringLiteral("xmpp"), [this](auto now) { return m_link->supervisionProblem(now); });
    if (m_sensor)
        m_watchdog.add(QStringLiteral("temperature"), [this](auto now) { return m_sensor->supervisionProblem(now); });
    if (m_door)
        m_watchdog.add(QStringLiteral("door"), [this](auto now) { return m_door->supervisionProblem(now); });
    m_watchdog.add(QStringLiteral("storage"), [this](auto now) { return m_writer.supervisionProblem(now, kWriterBound); });
}

bool Appliance::supervisorsAlive()
{
    const Watchdog::Verdict verdict = m_watchdog.evaluate(m_clock.steadyNow());
    if (verdict.changed) {
        if (verdict.ping)
            qCInfo(lcApp) << "watchdog: every supervisor is alive again, pinging systemd";
        else
            qCCritical(lcApp).noquote() << "watchdog: not pinging systemd (it will restart the daemon):"
                                        << verdict.problems.join(QStringLiteral("; "));
    }
    return verdict.ping;
}

void Appliance::stop()
{
    m_healthTimer.stop();
    m_budgetTimer.stop();
    m_stopping = true;
    m_motion.endOpenEvent({}, true);
    if (m_camera)
        m_camera->stop();
    if (m_sensor)
        m_sensor->stop();
    if (m_doorControl)
        m_doorControl->stop(); // the relay released inactive
    if (m_door)
        m_door->stop();
    if (m_link)
        m_link->stop();
    m_events.waitForWrites();
}

void Appliance::onCameraState(FrameSource::State state, const QString &reason)
{
    qCInfo(lcApp) << "camera" << state << reason;
    if (m_stopping)
        return; // our own stop(), not an outage
    const Moment now = m_clock.now();
    if (state == FrameSource::State::Streaming) {
        tellHealth(QStringLiteral("Camera"), m_cameraHealth.up(now));
        pollHealth();
        return;
    }
    if (state == FrameSource::State::Stalled || state == FrameSource::State::Offline) {
        // an event in progress cannot see its end any more: it ends here, saying why
        m_motion.endOpenEvent(QStringLiteral("camera %1").arg(cameraStateName(state)));
        m_cameraHealth.down(reason, now);
        pollHealth();
    }
}

void Appliance::tick()
{
    m_motion.tick();
    pollHealth();
}

void Appliance::pollHealth()
{
    const Moment now = m_clock.now();
    tellHealth(QStringLiteral("Camera"), m_cameraHealth.poll(now));
    tellHealth(QStringLiteral("Door contact"), m_doorHealth.poll(now));
    tellHealth(QStringLiteral("Temperature sensor"), m_sensorHealth.poll(now));
    std::optional<std::chrono::steady_clock::time_point> next;
    for (const DeviceHealth *health : {&m_cameraHealth, &m_doorHealth, &m_sensorHealth})
        if (const auto deadline = health->deadline(); deadline && (!next || *deadline < *next))
            next = deadline;
    if (next)
        m_healthTimer.start(std::max(std::chrono::milliseconds(0),
                                     std::chrono::duration_cast<std::chrono::milliseconds>(*next - now.steady)));
    else
        m_healthTimer.stop();
}

void Appliance::tellHealth(const QString &device, const std::optional<DeviceChange> &change)
{
    if (!change)
        return;
    const QString name = m_config.xmpp.effectiveKeyword();
    const QString lower = device.toLower();
    if (change->kind == DeviceChange::Kind::Lost) {
        raise(AlertKind::Safety, QStringLiteral("%1 lost in the %2: %3").arg(device, name, change->reason));
        recordEvent(lower.section(QLatin1Char(' '), 0, 0), QStringLiteral("%1 lost: %2").arg(lower, change->reason));
    } else {
        raise(AlertKind::Safety,
              QStringLiteral("%1 back in the %2 after %3").arg(device, name, formatDuration(change->downFor)));
        recordEvent(lower.section(QLatin1Char(' '), 0, 0),
                    QStringLiteral("%1 back after %2").arg(lower, formatDuration(change->downFor)));
    }
}

void Appliance::onStorageFailed(const QString &source, const QString &reason)
{
    qCWarning(lcApp) << "storage problem (" << source << "):" << reason;
    if (m_storageHealth.failed(source, reason))
        raise(AlertKind::Safety, QStringLiteral("Storage problem in the %1: %2; alerts still go out, pictures may not "
                                                "be kept")
                                     .arg(m_config.xmpp.effectiveKeyword(), reason));
}

void Appliance::onStorageRecovered(const QString &source)
{
    if (m_storageHealth.recovered(source)) {
        qCInfo(lcApp) << "storage is back:" << source << "writes work again";
        raise(AlertKind::Safety, QStringLiteral("Storage is back in the %1: writes work again")
                                     .arg(m_config.xmpp.effectiveKeyword()));
    }
}

void Appliance::onReading(const TemperatureReading &reading)
{
    m_status.reading(reading);
    if (reading.quality != TemperatureReading::Quality::Ok)
        qCWarning(lcApp) << "temperature reading failed:" << reading.reason;
    for (const ThresholdEvent &event : m_thresholds->feed(reading, m_clock.steadyNow())) {
        raise(AlertKind::Safety, QStringLiteral("%1: %2").arg(m_config.xmpp.effectiveKeyword(), event.text));
        recordEvent(QStringLiteral("temperature"), event.text);
    }
    if (const QString zone = ThresholdMonitor::zoneName(m_thresholds->zone()); zone != m_state.temperatureZone())
        m_state.setTemperatureZone(zone);
    refreshPresence();
}

void Appliance::onDoorChanged(bool open, const QDateTime &at)
{
    const QString text = QStringLiteral("The %1 door %2 at %3")
                             .arg(m_config.xmpp.effectiveKeyword(), open ? QStringLiteral("opened") : QStringLiteral("closed"), clockText(at));
    m_status.doorChanged();
    raise(AlertKind::DoorActivity, text);
    recordEvent(QStringLiteral("door"), open ? QStringLiteral("opened") : QStringLiteral("closed"));
    refreshPresence();
}

void Appliance::raise(AlertKind kind, const QString &text)
{
    const AlertDecision decision = m_state.policy().decide(kind, m_clock.now());
    if (!decision.send) {
        qCInfo(lcApp) << "not alerted (" << decision.reason << "):" << text;
        return;
    }
    send({text, {}, {}, m_clock.wallNow()});
}

void Appliance::send(const OutgoingAlert &alert)
{
    qCInfo(lcApp) << "alert:" << alert.text << (alert.picture.isEmpty() ? QString() : QStringLiteral("picture ") + alert.picture);
    if (m_sink)
        m_sink(alert);
    else if (m_link)
        m_link->alert(alert);
}

void Appliance::recordEvent(const QString &kind, const QString &summary)
{
    EventRecord record;
    record.kind = kind;
    record.start = m_clock.wallNow();
    record.end = record.start;
    record.summary = summary;
    m_events.add(record);
}

void Appliance::snapshot(std::function<void(std::expected<SnapshotReply, QString>)> done)
{
    const SnapshotFrame frame = m_camera ? m_camera->latestFrame() : SnapshotFrame();
    SnapshotFacts facts;
    facts.name = m_config.xmpp.effectiveKeyword();
    facts.streaming = m_camera && m_camera->state() == FrameSource::State::Streaming;
    facts.cameraState = statusInfo().cameraState;
    facts.downSince = m_cameraHealth.downSinceWall();
    facts.hasFrame = !frame.isNull();
    facts.capturedAt = frame.capturedAt();
    facts.capturedSteady = frame.capturedSteady();
    facts.now = m_clock.steadyNow();
    facts.stallTimeout = m_config.camera.stallTimeout;
    const SnapshotVerdict verdict = judgeSnapshot(facts);
    if (!verdict.sendPicture) {
        done(std::unexpected(verdict.caption));
        return;
    }
    const QString drawn = QStringLiteral("%1 · %2").arg(facts.name, frame.capturedAt().toLocalTime().toString(
                                                                          QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    const auto masks = m_config.motion.masks;
    encodeSnapshot(frame, m_config.camera.jpegQuality, m_config.camera.snapshotWidth,
                   [masks, drawn](cv::Mat &bgr) { annotateFrame(bgr, {}, masks, drawn.toStdString()); })
        .then(this, [done, caption = verdict.caption](std::expected<QByteArray, QString> jpeg) {
            if (jpeg)
                done(SnapshotReply{*jpeg, caption});
            else
                done(std::unexpected(jpeg.error()));
        });
}

StatusInfo Appliance::statusInfo() const
{
    StatusCollector::Parts parts;
    parts.name = m_config.xmpp.effectiveKeyword();
    parts.policy = &m_state.policy();
    parts.camera = m_camera.get();
    parts.temperatureSensor = m_sensor != nullptr;
    parts.door = m_door.get();
    parts.link = m_link.get();
    parts.lastMotion = m_motion.lastMotion();
    parts.storageProblem = m_storageHealth.problem();
    parts.version = QCoreApplication::applicationVersion();
    StatusInfo info = m_status.collect(parts, m_clock.now());
    if (m_doorControl)
        info.doorControl = m_doorControl->statusLine();
    return info;
}

QFuture<ApplianceState::Saved> Appliance::setArmed(bool armed)
{
    auto saved = m_state.setArmed(armed);
    refreshPresence();
    return saved;
}

QFuture<ApplianceState::Saved> Appliance::muteUntil(const QDateTime &end)
{
    return m_state.muteUntil(end);
}

QFuture<ApplianceState::Saved> Appliance::muteFor(std::chrono::seconds duration)
{
    return m_state.muteFor(duration);
}

QFuture<ApplianceState::Saved> Appliance::unmute()
{
    return m_state.unmute();
}

void Appliance::refreshPresence()
{
    if (m_link)
        m_link->setStatusText(formatPresence(statusInfo()));
}

} // namespace garage
