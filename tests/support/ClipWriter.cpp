#include "ClipWriter.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace garage::test {

cv::Mat garageBackground(const cv::Size &size, unsigned seed)
{
    cv::Mat wall(size, CV_8UC3);
    cv::RNG rng(seed);
    // a left-to-right light gradient, a floor, shelves, and fine texture
    for (int y = 0; y < size.height; ++y)
        for (int x = 0; x < size.width; ++x) {
            const int base = 90 + 60 * x / size.width + (y > size.height * 3 / 4 ? -30 : 0);
            wall.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(base), cv::saturate_cast<uchar>(base + 5),
                                                 cv::saturate_cast<uchar>(base + 10));
        }
    for (int i = 0; i < 6; ++i) {
        const cv::Point a(rng.uniform(0, size.width), rng.uniform(0, size.height * 2 / 3));
        cv::rectangle(wall, cv::Rect(a, cv::Size(size.width / 6, size.height / 30)), cv::Scalar(60, 70, 80), cv::FILLED);
    }
    cv::Mat noise(size, CV_8UC3);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 12);
    wall += noise;
    cv::GaussianBlur(wall, wall, cv::Size(3, 3), 0);
    return wall;
}

void drawPerson(cv::Mat &frame, int centreX, int height)
{
    const int floorY = frame.rows * 9 / 10;
    const int width = height * 2 / 5;
    cv::rectangle(frame, cv::Rect(centreX - width / 2, floorY - height * 6 / 7, width, height * 6 / 7),
                  cv::Scalar(40, 35, 30), cv::FILLED);
    cv::circle(frame, cv::Point(centreX, floorY - height * 6 / 7 - height / 14), height / 14, cv::Scalar(70, 80, 120),
               cv::FILLED);
}

bool writeClip(const std::string &path, const Scene &scene)
{
    cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), scene.fps, scene.size, true);
    if (!writer.isOpened())
        return false;
    const cv::Mat background = garageBackground(scene.size);
    const int frames = int(scene.seconds * scene.fps);
    cv::Mat frame;
    for (int n = 0; n < frames; ++n) {
        background.copyTo(frame);
        if (scene.draw)
            scene.draw(frame, n, n / scene.fps);
        writer.write(frame);
    }
    return true;
}

} // namespace garage::test
