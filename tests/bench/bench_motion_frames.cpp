// Decodes a clip, converts to grey, scales to WxH and writes the frames raw (W*H bytes each) for bench_motion; or,
// when OUT ends with '/', writes them in colour as JPEG files (quality 85) OUT/f0000.jpg... for an MJPEG camera.
//   bench_motion_frames CLIP WxH FRAMES OUT.raw|OUTDIR/
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc != 5) {
        std::fprintf(stderr, "usage: bench_motion_frames CLIP WxH FRAMES OUT.raw|OUTDIR/\n");
        return 2;
    }
    cv::Size size;
    std::sscanf(argv[2], "%dx%d", &size.width, &size.height);
    const int frames = std::atoi(argv[3]);
    cv::VideoCapture capture(argv[1]);
    const std::string target = argv[4];
    if (!target.empty() && target.back() == '/') {
        cv::Mat frame, scaled;
        int written = 0;
        char name[32];
        while (written < frames && capture.read(frame)) {
            cv::resize(frame, scaled, size, 0, 0, cv::INTER_LINEAR);
            std::snprintf(name, sizeof name, "f%04d.jpg", written++);
            if (!cv::imwrite(target + name, scaled, {cv::IMWRITE_JPEG_QUALITY, 85}))
                return 2;
        }
        return written > 0 ? 0 : 1;
    }
    std::FILE *out = std::fopen(argv[4], "wb");
    if (!capture.isOpened() || !out || size.area() <= 0)
        return 2;
    cv::Mat frame, grey, scaled;
    int written = 0;
    while (written < frames && capture.read(frame)) {
        cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
        cv::resize(grey, scaled, size, 0, 0, cv::INTER_LINEAR);
        std::fwrite(scaled.data, 1, scaled.total(), out);
        ++written;
    }
    std::fclose(out);
    return written == frames ? 0 : 1;
}
