// Motion analysis cost per frame on real footage (OpenCV's vtest.avi, people walking), scaled to the camera sizes
// the appliance meets. Prints the median of several passes; it asserts nothing about time.
//   bench_motion [--size WxH] [--frames N] [--passes P] [--clip FILE]
// Under callgrind, run it with two --frames values: the difference of the totals divided by the difference of the
// frame counts is the cost of one frame without the set-up (see tests/bench/motion-bench.sh).
#include "motion/EventTracker.h"
#include "motion/MotionDetector.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

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
    std::string clip = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--size"))
            std::sscanf(argv[i + 1], "%dx%d", &size.width, &size.height);
        else if (!std::strcmp(argv[i], "--frames"))
            frames = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--passes"))
            passes = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--clip"))
            clip = argv[i + 1];
    }
    cv::VideoCapture capture(clip);
    std::vector<cv::Mat> greys;
    cv::Mat frame, grey, scaled;
    while (int(greys.size()) < frames && capture.read(frame)) {
        cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
        cv::resize(grey, scaled, size, 0, 0, cv::INTER_LINEAR);
        greys.push_back(scaled.clone());
    }
    if (greys.empty()) {
        std::fprintf(stderr, "bench_motion: cannot read %s\n", clip.c_str());
        return 2;
    }
    const MotionConfig config; // the shipped defaults
    std::vector<double> perFrameMs;
    int events = 0;
    for (int pass = 0; pass < passes; ++pass) {
        MotionDetector detector(config);
        EventTracker tracker(config);
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < greys.size(); ++i) {
            const auto t = std::chrono::milliseconds(std::int64_t(i) * 100);
            const auto update = tracker.update(t, std::int64_t(i), detector.process(greys[i], t));
            events += update.kind == EventUpdate::Kind::Started;
        }
        perFrameMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
                             double(greys.size()));
    }
    std::sort(perFrameMs.begin(), perFrameMs.end());
    std::printf("motion analysis %dx%d: median %.4f ms/frame (min %.4f, max %.4f) over %d passes of %zu frames; %d events/pass\n",
                size.width, size.height, perFrameMs[perFrameMs.size() / 2], perFrameMs.front(), perFrameMs.back(), passes,
                greys.size(), events / passes);
    return 0;
}
