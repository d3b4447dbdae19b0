// bench_nuisance_clips: writes the false-alarm benchmark's synthetic garage clips (640x480 MJPEG AVI at 10 fps, the
// first seconds still so a detector learns the background) and prints one line per clip: name, the number of real
// events it holds, its length in seconds and what happens in it. tests/bench/false-alarms.sh runs both detectors on them.
//   bench_nuisance_clips OUT_DIR
#include "ClipWriter.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

using garage::test::Scene;

namespace {

using Draw = std::function<void(cv::Mat &frame, int n, double t)>;

struct Clip {
    std::string name;
    int realEvents = 0;
    double seconds = 15;
    std::string what;
    Draw draw;
};

// the whole picture's brightness and contrast, as the light, the camera's exposure or the sun change it
void expose(cv::Mat &frame, double gain, double offset)
{
    frame.convertTo(frame, -1, gain, offset);
}

// a person walking across the view between t0 and t1 seconds
Draw crossing(double t0, double t1)
{
    return [t0, t1](cv::Mat &frame, int, double t) {
        if (t < t0 || t > t1)
            return;
        const int x = int(-40 + (frame.cols + 80) * (t - t0) / (t1 - t0));
        garage::test::drawPerson(frame, x, frame.rows / 2);
    };
}

// brightness factor of a cloud passing: full light, a ramp down over `ramp` seconds, a hold, a ramp back up
double cloudGain(double t, double from, double ramp, double hold, double depth)
{
    const double down = std::clamp((t - from) / ramp, 0.0, 1.0);
    const double up = std::clamp((t - from - ramp - hold) / ramp, 0.0, 1.0);
    return 1.0 - depth * (down - up);
}

std::vector<Clip> clips()
{
    constexpr double kDark = 0.45; // the garage with the light off: daylight from the window only
    std::vector<Clip> all;
    all.push_back({"light-on", 0, 15, "the garage light goes on at 5 s (brightness x2.2)", [](cv::Mat &f, int, double t) {
                       if (t < 5.0)
                           expose(f, kDark, 0);
                   }});
    all.push_back({"light-on-off", 0, 18, "the light goes on at 4 s and off again at 12 s", [](cv::Mat &f, int, double t) {
                       if (t < 4.0 || t >= 12.0)
                           expose(f, kDark, 0);
                   }});
    all.push_back({"ir-night-switch", 0, 15, "at 6 s the camera switches to IR night mode: grey-scale, contrast x1.3, +15",
                   [](cv::Mat &f, int, double t) {
                       if (t < 6.0)
                           return;
                       cv::Mat grey;
                       cv::cvtColor(f, grey, cv::COLOR_BGR2GRAY);
                       cv::cvtColor(grey, f, cv::COLOR_GRAY2BGR);
                       expose(f, 1.3, 15);
                   }});
    all.push_back({"sensor-noise", 0, 15, "Gaussian sensor noise, sigma 10, on every frame", [rng = cv::RNG(3)](cv::Mat &f, int, double) mutable {
                       cv::Mat noise(f.size(), CV_16SC3), wide;
                       rng.fill(noise, cv::RNG::NORMAL, 0, 10);
                       f.convertTo(wide, CV_16SC3);
                       wide += noise;
                       wide.convertTo(f, CV_8UC3);
                   }});
    all.push_back({"mains-flicker", 0, 15, "mains flicker beating with the frame rate: every other pair of frames x0.6",
                   [](cv::Mat &f, int n, double) {
                       if ((n / 2) % 2)
                           expose(f, 0.6, 0);
                   }});
    all.push_back({"cloud-drift", 0, 18, "a cloud: brightness ramps down 35 % over 4 s from 4 s, holds 3 s, ramps back",
                   [](cv::Mat &f, int, double t) { expose(f, cloudGain(t, 4.0, 4.0, 3.0, 0.35), 0); }});
    all.push_back({"led-and-insect", 0, 15, "a 4x4 px LED blinking at 1 Hz and a 5x5 px insect circling, from 3 s",
                   [](cv::Mat &f, int, double t) {
                       if (t < 3.0)
                           return;
                       if (std::fmod(t, 1.0) < 0.5)
                           cv::rectangle(f, cv::Rect(500, 120, 4, 4), cv::Scalar(60, 60, 255), cv::FILLED);
                       const double a = 2 * std::numbers::pi * (t - 3.0) / 3.0;
                       const cv::Point insect(320 + int(60 * std::cos(a)), 200 + int(40 * std::sin(a)));
                       cv::rectangle(f, cv::Rect(insect, cv::Size(5, 5)), cv::Scalar(20, 20, 20), cv::FILLED);
                   }});
    all.push_back({"auto-exposure", 0, 15, "from 3 s the camera's auto-exposure pumps: brightness +-20, period 2 s",
                   [](cv::Mat &f, int, double t) {
                       if (t >= 3.0)
                           expose(f, 1.0, 20 * std::sin(2 * std::numbers::pi * (t - 3.0) / 2.0));
                   }});
    all.push_back({"person-crossing", 1, 15, "a person walks across from 4 s to 8 s", crossing(4.0, 8.0)});
    all.push_back({"car-parks", 1, 20, "a car drives in from 3 s and parks at 6 s, then stays", [](cv::Mat &f, int, double t) {
                       if (t < 3.0)
                           return;
                       const int x = t < 6.0 ? int(-260 + (t - 3.0) * 140) : 160;
                       cv::rectangle(f, cv::Rect(x, 280, 260, 140), cv::Scalar(30, 30, 140), cv::FILLED);
                   }});
    all.push_back({"two-crossings", 2, 20, "two people cross, 3-6 s and 14-17 s (8 s of stillness between)",
                   [first = crossing(3.0, 6.0), second = crossing(14.0, 17.0)](cv::Mat &f, int n, double t) {
                       first(f, n, t);
                       second(f, n, t);
                   }});
    all.push_back({"light-then-person", 1, 15, "the light goes on at 4 s, a person walks across from 5 s to 9 s",
                   [walk = crossing(5.0, 9.0)](cv::Mat &f, int n, double t) {
                       walk(f, n, t);
                       if (t < 4.0)
                           expose(f, kDark, 0);
                   }});
    return all;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_nuisance_clips OUT_DIR\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    for (const Clip &clip : clips()) {
        const std::string path = (dir / (clip.name + ".avi")).string();
        if (!garage::test::writeClip(path, Scene{{640, 480}, 10, clip.seconds, clip.draw})) {
            std::fprintf(stderr, "bench_nuisance_clips: cannot write %s\n", path.c_str());
            return 1;
        }
        std::printf("%s\t%d\t%g\t%s\n", clip.name.c_str(), clip.realEvents, clip.seconds, clip.what.c_str());
    }
    return 0;
}
