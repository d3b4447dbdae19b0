// The cost of decoding alone, in real time at 10 fps, as the floor under any detector's whole-process CPU: a program
// that must decode the same stream as Motion can use at best (Motion's CPU) / (this) times less. Nothing is analysed.
//   bench_decode_floor file CLIP          - ffmpeg decode through OpenCV (grab only: no colour conversion, one thread)
//   bench_decode_floor jpeg DIR SCALE     - DIR/f0000.jpg... decoded to luma at 1/SCALE (1, 2, 4), as garage-guard does
// Runs until killed; motion-vs-motion.sh reads its CPU time from /proc like the daemons'.
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char **argv)
{
    if (argc < 3 || (std::strcmp(argv[1], "file") && std::strcmp(argv[1], "jpeg"))) {
        std::fprintf(stderr, "usage: bench_decode_floor file CLIP | jpeg DIR SCALE\n");
        return 2;
    }
    cv::setNumThreads(1);
    const auto start = std::chrono::steady_clock::now();
    auto tick = [&](long frame) { std::this_thread::sleep_until(start + std::chrono::milliseconds(100 * frame)); };
    if (!std::strcmp(argv[1], "file")) {
        for (;;) { // loops the clip like the daemons do
            cv::VideoCapture capture(argv[2], cv::CAP_FFMPEG, {cv::CAP_PROP_N_THREADS, 1});
            if (!capture.isOpened())
                return 2;
            static long frame = 0;
            while (capture.grab())
                tick(++frame);
        }
    }
    std::vector<std::vector<uchar>> jpegs;
    for (int i = 0;; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "/f%04d.jpg", i);
        std::ifstream in(argv[2] + std::string(name), std::ios::binary);
        if (!in)
            break;
        jpegs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (jpegs.empty())
        return 2;
    const int scale = argc > 3 ? std::atoi(argv[3]) : 1;
    const int flags = scale == 4 ? cv::IMREAD_REDUCED_GRAYSCALE_4 : scale == 2 ? cv::IMREAD_REDUCED_GRAYSCALE_2 : cv::IMREAD_GRAYSCALE;
    cv::Mat grey;
    for (long frame = 0;; ++frame) {
        cv::imdecode(jpegs[std::size_t(frame) % jpegs.size()], flags, &grey);
        tick(frame + 1);
    }
}
