// Writes short synthetic scenes as real video files (MJPEG AVI through cv::VideoWriter): a textured garage wall,
// objects crossing or parking, lights switching, flicker, sensor noise. The tests decode them back like real footage.
#pragma once

#include <opencv2/core.hpp>

#include <functional>
#include <string>

namespace garage::test {

struct Scene {
    cv::Size size{640, 480};
    double fps = 10;
    double seconds = 10;
    // Draws frame n (time t in seconds) in place on a copy of the static background (BGR).
    std::function<void(cv::Mat &frame, int n, double t)> draw;
};

// A static, textured, non-uniform background (so blur and threshold see a realistic scene).
cv::Mat garageBackground(const cv::Size &size, unsigned seed = 7);
// A person-sized dark object at horizontal position x (centre), standing on the floor.
void drawPerson(cv::Mat &frame, int centreX, int height);
// Writes the scene; returns false if the file could not be written.
bool writeClip(const std::string &path, const Scene &scene);

} // namespace garage::test
