// Motion analysis cost per frame on real footage (OpenCV's vtest.avi, people walking), scaled to the camera sizes
// the appliance meets. Prints the median of several passes; it asserts nothing about time.
//   bench_motion --raw FRAMES.raw [--size WxH] [--frames N] [--passes P]   (frames from bench_motion_frames)
// Under callgrind, run it with two --frames values: the difference of the totals divided by the difference of the
// frame counts is the cost of one frame without the set-up (see tests/bench/motion-bench.sh).
#include "motion/EventTracker.h"
#include "motion/MotionDetector.h"


#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace garage;

int main(int argc, char **argv)
{
    cv::Size size(640, 480);
    int frames = 300, passes = 5;
    std::string raw;
    MotionConfig config; // the shipped defaults unless told otherwise

    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--size"))
            std::sscanf(argv[i + 1], "%dx%d", &size.width, &size.height);
        else if (!std::strcmp(argv[i], "--frames"))
            frames = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--passes"))
            passes = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--blur"))
            config.blurSize = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--dilate"))
            config.dilateIterations = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--raw"))
            raw = argv[i + 1];
    }
    std::vector<cv::Mat> greys;
    if (std::FILE *in = std::fopen(raw.c_str(), "rb")) {
        cv::Mat grey(size, CV_8UC1);
        // all frames are loaded whatever --frames says, so that two runs differ only by the frames analysed
        while (std::fread(grey.data, 1, grey.total(), in) == grey.total())
            greys.push_back(grey.clone());
        std::fclose(in);
    }
    if (greys.empty()) {
        std::fprintf(stderr, "bench_motion: no %dx%d frames in '%s'\n", size.width, size.height, raw.c_str());
        return 2;
    }
    std::vector<double> perFrameMs;
    int events = 0;
    for (int pass = 0; pass < passes; ++pass) {
        MotionDetector detector(config);
        EventTracker tracker(config);
        const auto start = std::chrono::steady_clock::now();
        const std::size_t count = std::min(greys.size(), std::size_t(frames));
        for (std::size_t i = 0; i < count; ++i) {
            const auto t = std::chrono::milliseconds(std::int64_t(i) * 100);
            const auto update = tracker.update(t, std::int64_t(i), detector.process(greys[i], t));
            events += update.kind == EventUpdate::Kind::Started;
        }
        perFrameMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
                             double(count));
    }
    std::sort(perFrameMs.begin(), perFrameMs.end());
    std::printf("motion analysis %dx%d: median %.4f ms/frame (min %.4f, max %.4f) over %d passes of %d frames; %d events/pass\n",
                size.width, size.height, perFrameMs[perFrameMs.size() / 2], perFrameMs.front(), perFrameMs.back(), passes,
                std::min(int(greys.size()), frames), events / passes);
    return 0;
}
