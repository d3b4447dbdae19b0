// The appliance: wires camera -> motion -> events -> alerts, sensors -> thresholds -> alerts, and the XMPP link's
// chat commands; keeps the alert policy and the event history. The only class that knows every module.
#pragma once

#include "app/AlertPolicy.h"
#include "app/AppConfig.h"
#include "app/EventStore.h"
#include "app/StatusText.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <expected>
#include <functional>
#include <memory>

#include "camera/FrameSource.h"
#include "camera/SnapshotFrame.h"
#include "motion/EventTracker.h"
#include "motion/MotionDetector.h"
#include "sensors/TemperatureReading.h"

namespace garage {

class DoorContact;
class TemperatureSensor;
class ThresholdMonitor;
class XmppLink;

class Appliance : public QObject
{
    Q_OBJECT
public:
    explicit Appliance(const AppConfig &config, QObject *parent = nullptr);
    ~Appliance() override;

    // Opens storage, creates the camera, sensors and the XMPP link; the error names what is wrong (and what exists).
    std::expected<void, QString> start();
    // Ends an open event, stops inputs, disconnects, and waits for pending disk writes.
    void stop();

    // For the chat commands.
    StatusInfo statusInfo() const;
    const AppConfig &config() const { return m_config; }
    AlertPolicy &policy() { return m_policy; }
    EventStore &events() { return m_events; }
    void setArmed(bool armed);
    void muteUntil(const QDateTime &end);
    void unmute();
    // A fresh annotated JPEG of the latest frame; done() runs on the event loop thread.
    void snapshot(std::function<void(std::expected<QByteArray, QString>)> done);

private:
    void onFrame(const LumaFrame &frame);
    void onEventStarted(const MotionEvent &event);
    void onEventEnded(const MotionEvent &event);
    void sendMotionAlert();
    // Completes the record of an event that ended before its person check finished.
    void notePerson(int eventId, std::optional<bool> person);
    void onCameraState(FrameSource::State state, const QString &reason);
    void onReading(const TemperatureReading &reading);
    void onDoorChanged(bool open, const QDateTime &at);
    void raise(AlertKind kind, const QString &text, const QByteArray &jpeg = {});
    void recordEvent(const QString &kind, const QString &summary);
    void refreshPresence();
    void loadState();
    void saveState();

    AppConfig m_config;
    AlertPolicy m_policy;
    EventStore m_events;
    QDateTime m_startedAt;
    bool m_stopping = false;

    std::unique_ptr<FrameSource> m_camera;
    MotionDetector m_detector;
    EventTracker m_tracker;
    std::unique_ptr<TemperatureSensor> m_sensor;
    std::unique_ptr<ThresholdMonitor> m_thresholds;
    std::unique_ptr<DoorContact> m_door;
    std::unique_ptr<XmppLink> m_link;

    // the motion event in progress
    struct OpenEvent {
        int id = 0;
        QDateTime start;
        SnapshotFrame bestFrame;
        std::vector<cv::Rect> bestBoxes;
        double bestPercent = 0;
        bool alertDone = false;
        bool alertSent = false;
        std::optional<bool> person;
    };
    std::optional<OpenEvent> m_open;
    QTimer m_alertDelay;
    QDateTime m_lastMotion;
    std::chrono::milliseconds m_lastFrameTime{0};

    // camera health: one message each way, after a grace period
    QDateTime m_cameraDownSince;
    QString m_cameraDownReason;
    bool m_cameraLostAlerted = false;
    QTimer m_cameraGrace;

    TemperatureReading m_lastReading;
    std::optional<double> m_lastGoodCelsius;
    QDateTime m_lastGoodTime;
};

} // namespace garage
