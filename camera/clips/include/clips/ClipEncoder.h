// Makes an event's MP4: frames in (JPEG bytes decoded here, or pictures), H.264 yuv420p at a constant frame rate
// with its index (moov) before the media data, so a phone can start playing before it has all of it. libavformat
// and libx264 directly: movflags=+faststart and a VBV bitrate cap, neither of which OpenCV's VideoWriter can set.
#pragma once

#include "clips/ClipFrame.h"
#include "clips/ClipSettings.h"

#include <QFuture>
#include <QString>

#include <chrono>
#include <cstdint>
#include <expected>
#include <vector>

class QThreadPool;

namespace garage {

struct ClipInfo {
    QString path;
    qint64 bytes = 0;
    int width = 0;
    int height = 0;
    int frames = 0;                   // output frames (at the configured fps)
    std::chrono::milliseconds duration{};
    std::chrono::microseconds encodeCpu{}; // CPU time of the encoding thread (decode, scale, encode, mux)
};

struct ClipError {
    QString message; // what failed and why, with the path
};

using ClipResult = std::expected<ClipInfo, ClipError>;

// Synchronous: blocks for the whole encode. The frames are resampled to settings.fps (each output frame shows the
// newest input frame at or before its time) and cut at settings.maxSeconds. Writes `path`.part and renames it to
// `path` only when complete, so a failed clip leaves no file.
ClipResult encodeClip(const std::vector<ClipFrame> &frames, const ClipSettings &settings, const QString &path);

// The same on `pool` (never the caller's thread): the event loop is never blocked by a clip.
QFuture<ClipResult> encodeClipAsync(QThreadPool *pool, std::vector<ClipFrame> frames, ClipSettings settings,
                                    QString path);

} // namespace garage
