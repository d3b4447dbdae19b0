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
    int maxPictureWidth = 8192;                // larger frames are dropped before any decode (a forged 30000x30000
    int maxPictureHeight = 8192;               // JPEG header would take 2.7 GB as a colour snapshot)
    int lumaWidth = 0;                         // JPEG frames are decoded to luma at the smallest 1/2, 1/4 or 1/8
                                               // scale still this wide (the analysis width); 0: at full size
};

} // namespace garage
