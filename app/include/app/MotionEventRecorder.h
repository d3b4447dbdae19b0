// One motion event's life, from the analysed frames to the owner: the tracker starts and ends it, the best frame of
// its first seconds becomes the alert picture (person check and annotation off the event loop), the picture is written
// once and the alert refers to it, the policy decides whether it goes out, and the record is completed when the event
// ends — also when the camera goes offline or the appliance stops, saying so.
// The alert delay runs on the Clock's steady time: every analysed frame (and tick()) checks whether it is over; a
// QTimer only makes sure the check happens when frames stop coming.
#pragma once

#include "app/AlertPolicy.h"
#include "app/AppConfig.h"
#include "app/Clock.h"
#include "app/EventStore.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <optional>

#include "camera/LumaFrame.h"
#include "camera/SnapshotFrame.h"
#include "motion/EventTracker.h"
#include "motion/MotionDetector.h"

namespace garage {

struct OutgoingAlert;

class MotionEventRecorder : public QObject
{
    Q_OBJECT
public:
    using Send = std::function<void(const OutgoingAlert &)>;
    using LatestFrame = std::function<SnapshotFrame()>; // the camera's newest full frame (the one just analysed)

    MotionEventRecorder(const AppConfig &config, EventStore &events, AlertPolicy &policy, const Clock &clock,
                        LatestFrame latestFrame, Send send, QObject *parent = nullptr);

    void onFrame(const LumaFrame &frame);
    // Ends an event in progress now: endedBy ("camera offline") goes into its record; a shutdown is recorded but
    // not announced.
    void endOpenEvent(const QString &endedBy, bool shuttingDown = false);
    QDateTime lastMotion() const { return m_lastMotion; }
    // Sends the alert of an open event whose alert delay is over by the clock (the timer calls it; so may a test
    // that steps its clock).
    void tick();

private:
    void onEventStarted(const MotionEvent &event);
    void onEventEnded(const MotionEvent &event, const QString &endedBy = {});
    void sendMotionAlert();
    void armAlertTimer();
    void deliverMotionAlert(int id, const QDateTime &start, double percent, std::optional<bool> person,
                            const QString &picture, const QByteArray &jpeg);
    // Completes the record of an event that ended before its person check finished.
    void notePerson(int eventId, std::optional<bool> person);

    const AppConfig &m_config;
    EventStore &m_events;
    AlertPolicy &m_policy;
    const Clock &m_clock;
    LatestFrame m_latestFrame;
    Send m_send;
    MotionDetector m_detector;
    EventTracker m_tracker;
    bool m_shuttingDown = false;

    struct OpenEvent {
        int id = 0;
        QDateTime start;
        std::chrono::steady_clock::time_point alertDue; // the alert goes out then, with the best frame so far
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
};

} // namespace garage
