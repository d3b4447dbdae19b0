// The appliance: wires camera -> motion -> events -> alerts, sensors -> thresholds -> alerts, and the XMPP link's
// chat commands. The rules live in small classes (MotionEventRecorder, AlertPolicy in ApplianceState, DeviceHealth,
// StorageHealth, SnapshotTruth, Watchdog, StatusCollector); this class creates the parts and connects them. The only class that knows every module.
#pragma once

#include "app/AppConfig.h"
#include "app/ApplianceState.h"
#include "app/Clock.h"
#include "app/DeviceHealth.h"
#include "app/EventStore.h"
#include "app/MotionEventRecorder.h"
#include "app/StatusCollector.h"
#include "app/StatusText.h"
#include "app/StorageHealth.h"
#include "app/StorageWriter.h"
#include "app/Watchdog.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>
#include <QTimer>
#include <expected>
#include <functional>
#include <memory>

#include "camera/FrameSource.h"
#include "camera/SnapshotFrame.h"
#include "sensors/TemperatureReading.h"

namespace garage {

class DoorContact;
class DoorController;
class TemperatureSensor;
class ThresholdMonitor;
class XmppLink;
struct OutgoingAlert;

// A snapshot as the owner gets it: the picture and a caption that tells the truth about its age.
struct SnapshotReply {
    QByteArray jpeg;
    QString caption;
};

class Appliance : public QObject
{
    Q_OBJECT
public:
    // Seams: where alerts go (the XMPP link by default) and how the camera is made (createFrameSource by default).
    using AlertSink = std::function<void(const OutgoingAlert &)>;
    using FrameSourceFactory =
        std::function<std::expected<std::unique_ptr<FrameSource>, QString>(const CameraConfig &)>;
    // ... and the door contact (createDoorContact by default; a test gives one over a stand-in InputLine).
    using DoorContactFactory = std::function<std::expected<std::unique_ptr<DoorContact>, QString>(const DoorConfig &)>;

    // clock: null for the system clock (tests give a fake one).
    explicit Appliance(const AppConfig &config, QObject *parent = nullptr, const Clock *clock = nullptr);
    ~Appliance() override;

    // Before start().
    void setAlertSink(AlertSink sink) { m_sink = std::move(sink); }
    void setFrameSourceFactory(FrameSourceFactory factory) { m_cameraFactory = std::move(factory); }
    void setDoorContactFactory(DoorContactFactory factory) { m_doorFactory = std::move(factory); }

    // Opens storage, creates the camera, sensors and the XMPP link. Fails only when the storage directory cannot be
    // created: a camera, sensor or door that is missing or fails is logged, told to the owner and shown in status,
    // and the appliance runs without it (the module keeps retrying).
    std::expected<void, QString> start();
    // Ends an open event, stops inputs, disconnects, and waits for pending disk writes.
    void stop();

    // For the chat commands.
    StatusInfo statusInfo() const;
    const AppConfig &config() const { return m_config; }
    const Clock &clock() const { return m_clock; } // "now" for the replies (the appliance's clock, fake in tests)
    AlertPolicy &policy() { return m_state.policy(); }
    EventStore &events() { return m_events; }
    // `door`, `open`, `close`, `yes` (after start(); there even without a relay, to say it is not set up).
    DoorController *doorControl() { return m_doorControl.get(); }
    // Each resolves (on the storage writer) once the state was saved, or with why it could not be.
    QFuture<ApplianceState::Saved> setArmed(bool armed);
    QFuture<ApplianceState::Saved> muteUntil(const QDateTime &end);
    QFuture<ApplianceState::Saved> muteFor(std::chrono::seconds duration);
    QFuture<ApplianceState::Saved> unmute();
    // An annotated JPEG of the latest frame, captioned with the truth about its age; the error says why there is
    // none. done() runs on the event loop thread.
    void snapshot(std::function<void(std::expected<SnapshotReply, QString>)> done);

    // Re-evaluates the rules that wait for time (a motion alert's delay, a device's grace) against the clock now.
    // Their timers call it; a test that steps its fake clock calls it too.
    void tick();

    // For the systemd watchdog: true while every supervisor is alive; a change is logged once.
    bool supervisorsAlive();

private:
    void onCameraState(FrameSource::State state, const QString &reason);
    void onReading(const TemperatureReading &reading);
    void onDoorChanged(bool open, const QDateTime &at);
    void onStorageFailed(const QString &source, const QString &reason);
    void onStorageRecovered(const QString &source);
    void pollHealth();
    void tellHealth(const QString &device, const std::optional<DeviceChange> &change);
    void raise(AlertKind kind, const QString &text);
    void send(const OutgoingAlert &alert);
    void recordEvent(const QString &kind, const QString &summary);
    void refreshPresence();
    void createDevices();
    void createDoorControl();
    void setUpWatchdog();
    void enforceBudget(); // the one [storage] max_mb over snapshots/, undelivered/ and outbox/, on the writer

    AppConfig m_config;
    const Clock &m_clock;
    AlertSink m_sink;
    FrameSourceFactory m_cameraFactory;
    DoorContactFactory m_doorFactory;
    StorageWriter m_writer; // the one disk-writing thread; before everything that writes
    ApplianceState m_state;
    EventStore m_events;
    StatusCollector m_status;
    bool m_stopping = false;

    std::unique_ptr<FrameSource> m_camera;
    MotionEventRecorder m_motion;
    std::unique_ptr<TemperatureSensor> m_sensor;
    std::unique_ptr<ThresholdMonitor> m_thresholds;
    std::unique_ptr<DoorContact> m_door;
    std::unique_ptr<DoorController> m_doorControl; // after m_door: it reads the contact
    std::unique_ptr<XmppLink> m_link;

    // devices: one message each way, after a grace period
    DeviceHealth m_cameraHealth;
    DeviceHealth m_doorHealth;
    DeviceHealth m_sensorHealth;
    QTimer m_healthTimer;
    QTimer m_budgetTimer;
    StorageHealth m_storageHealth;
    Watchdog m_watchdog;
};

} // namespace garage
