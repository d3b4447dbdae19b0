// Settings of the frame source ([camera] section).
#pragma once

#include <QString>
#include <chrono>

namespace garage {

struct CameraConfig {
    QString source = QStringLiteral("camera"); // camera | camera:<id or name> | /dev/videoN | file path | URL
    int width = 640;
    int height = 480;
    int fps = 15;
    int analysisFps = 10;                      // frames per second handed to the motion analysis
    bool loop = false;                         // replay files (demos, tests)
    std::chrono::seconds stallTimeout{10};     // no frame this long: Stalled
    int jpegQuality = 80;                      // snapshot JPEG quality 1..100
    int snapshotWidth = 1280;                  // snapshots are scaled down to at most this width
    int lumaWidth = 0;                         // JPEG frames are decoded to luma at the smallest 1/2, 1/4 or 1/8
                                               // scale still this wide (the analysis width); 0: at full size
};

} // namespace garage
