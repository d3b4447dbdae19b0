// What the `snapshot` reply may claim: a picture is "fresh" only while the camera streams and its latest frame is
// younger than the stall timeout; otherwise the reply says the camera is offline (why, since when) and that the
// picture is the last one, taken at its real capture time — or that there is no picture. No I/O.
#pragma once

#include <QDateTime>
#include <QString>
#include <chrono>

namespace garage {

struct SnapshotFacts {
    QString name;                        // the keyword, "garage"
    bool streaming = false;              // camera state Streaming
    QString cameraState;                 // "offline (no camera found, retrying)" when not streaming
    QDateTime downSince;                 // when the camera went down (null: unknown / not down)
    bool hasFrame = false;
    QDateTime capturedAt;                // the frame's capture time (display)
    std::chrono::steady_clock::time_point capturedSteady{};
    std::chrono::steady_clock::time_point now{};
    std::chrono::seconds stallTimeout{10};
};

struct SnapshotVerdict {
    bool sendPicture = false;
    bool fresh = false;
    QString caption; // with the picture; or the whole reply when there is none
};

SnapshotVerdict judgeSnapshot(const SnapshotFacts &facts);

} // namespace garage
