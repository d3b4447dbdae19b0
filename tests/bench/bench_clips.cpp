// Prints what an event clip costs at the [clips] defaults (2 s pre-roll, 640 wide, 5 fps, 10 s): the encoder's CPU
// per clip second (decoding the camera's JPEGs, scaling, H.264, MP4) as ms and as a share of one core, the
// pre-roll's memory for an MJPEG camera (JPEGs as sent) and for other sources (pictures at the clip's size), and the
// clip's size for a quiet and a noisy scene. Figures, not assertions.
//   deploy/env.sh build/release/bin/bench_clips [runs=5]
#include "clips/ClipEncoder.h"
#include "clips/PreRollBuffer.h"

#include "ClipWriter.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace garage;
using namespace std::chrono_literals;

namespace {

// A 640×480 camera at 15 fps: 2 s of empty garage, then a person crossing, with sensor noise of sigma `noise`.
std::vector<ClipFrame> cameraFrames(double seconds, double noise, bool jpeg)
{
    const cv::Size size(640, 480);
    const double fps = 15;
    const cv::Mat background = test::garageBackground(size);
    cv::RNG rng(3);
    std::vector<ClipFrame> frames;
    for (int n = 0; n < int(seconds * fps); ++n) {
        const double t = n / fps;
        cv::Mat picture = background.clone();
        if (t >= 2.0)
            test::drawPerson(picture, int(-60 + (t - 2.0) / (seconds - 2.0) * 760), 320);
        if (noise > 0) {
            cv::Mat n16(size, CV_16SC3);
            rng.fill(n16, cv::RNG::NORMAL, 0, noise);
            cv::Mat p16;
            picture.convertTo(p16, CV_16SC3);
            p16 += n16;
            p16.convertTo(picture, CV_8UC3);
        }
        ClipFrame frame;
        frame.timestamp = std::chrono::milliseconds(n * 1000 / 15);
        frame.capturedAt = std::chrono::system_clock::now();
        if (jpeg) {
            std::vector<uchar> bytes;
            cv::imencode(".jpg", picture, bytes, {cv::IMWRITE_JPEG_QUALITY, 85});
            frame.jpeg = QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
        } else {
            frame.bgr = picture;
        }
        frames.push_back(std::move(frame));
    }
    return frames;
}

std::size_t preRollBytes(const std::vector<ClipFrame> &frames, std::size_t *count)
{
    PreRollBuffer buffer(2s, 5);
    for (const ClipFrame &f : frames)
        buffer.push(f);
    *count = buffer.size();
    return buffer.memoryBytes();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    QTemporaryDir dir;
    const ClipSettings settings;

    std::size_t jpegCount = 0;
    std::size_t pictureCount = 0;
    const auto jpegs = cameraFrames(10, 3, true);
    const std::size_t jpegBytes = preRollBytes(jpegs, &jpegCount);
    const std::size_t pictureBytes = preRollBytes(cameraFrames(3, 3, false), &pictureCount);
    std::printf("pre-roll, MJPEG camera 640x480 q85 (JPEGs as sent): %zu frames, %.2f MB\n", jpegCount,
                double(jpegBytes) / 1e6);
    std::printf("pre-roll, other sources (BGR at 640x480):            %zu frames, %.2f MB (bound %.1f MB)\n",
                pictureCount, double(pictureBytes) / 1e6, double(PreRollBuffer::kDefaultMaxBytes) / 1e6);

    for (const double noise : {3.0, 10.0}) {
        const auto frames = noise == 3.0 ? jpegs : cameraFrames(10, noise, true);
        std::vector<double> msPerClipSecond;
        ClipInfo last;
        for (int r = 0; r < runs; ++r) {
            const ClipResult result = encodeClip(frames, settings, dir.filePath(QStringLiteral("bench.mp4")));
            if (!result) {
                std::fprintf(stderr, "encode failed: %s\n", qPrintable(result.error().message));
                return 1;
            }
            last = *result;
            msPerClipSecond.push_back(double(result->encodeCpu.count()) / 1000.0 /
                                      (double(result->duration.count()) / 1000.0));
        }
        std::sort(msPerClipSecond.begin(), msPerClipSecond.end());
        const double median = msPerClipSecond[msPerClipSecond.size() / 2];
        std::printf("clip %dx%d %d fps %.1f s, 15 fps MJPEG source, noise sigma %.0f: encode %.1f ms CPU per clip "
                    "second (median of %d; min %.1f, max %.1f) = %.1f %% of one core; %lld bytes (%.0f KiB)\n",
                    last.width, last.height, settings.fps, double(last.duration.count()) / 1000.0, noise, median, runs,
                    msPerClipSecond.front(), msPerClipSecond.back(), median / 10.0, qint64(last.bytes),
                    double(last.bytes) / 1024.0);
    }
    return 0;
}
