// garage-guard-motion: runs the appliance's motion detector over a video file as fast as it can (or at the video's
// own rate with --realtime), prints one line per event (JSON with --json) and a summary, and with --preview writes a
// contact sheet of each event's best frame with its boxes and the mask outline, so masks and thresholds are tuned by
// looking.
#include "app/ConfigLoader.h"
#include "motion/Annotator.h"
#include "motion/EventTracker.h"
#include "motion/MotionDetector.h"
#include "motion/PersonDetector.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <chrono>
#include <cstdio>
#include <format>
#include <thread>

using namespace garage;

namespace {

constexpr int kExitBadInput = 2;

struct EventShot {
    MotionEvent event;
    cv::Mat bestFrame; // colour
    std::vector<cv::Rect> bestBoxes;
};

int fail(const QString &message)
{
    std::fprintf(stderr, "garage-guard-motion: %s\n", qPrintable(message));
    return kExitBadInput;
}

std::string eventLine(const MotionEvent &e, bool json)
{
    const std::string person = !e.person ? "null" : *e.person ? "true" : "false";
    if (json)
        return std::format(R"({{"start_s":{:.2f},"end_s":{:.2f},"start_frame":{},"end_frame":{},"peak_area_pct":{:.2f},"bbox":[{},{},{},{}],"person":{}}})",
                           e.start.count() / 1000.0, e.end.count() / 1000.0, e.startFrame, e.endFrame, e.peakPercent,
                           e.box.x, e.box.y, e.box.width, e.box.height, person);
    return std::format("event {:7.2f} s - {:7.2f} s (frames {}-{}), peak {:.2f} % of the view, box {}x{} at {},{}, person: {}",
                       e.start.count() / 1000.0, e.end.count() / 1000.0, e.startFrame, e.endFrame, e.peakPercent,
                       e.box.width, e.box.height, e.box.x, e.box.y, person);
}

cv::Mat contactSheet(const std::vector<EventShot> &shots, const cv::Mat &fallback, const MotionConfig &config)
{
    constexpr int kTileWidth = 384, kColumns = 3;
    std::vector<cv::Mat> tiles;
    auto tile = [&](cv::Mat frame, const std::vector<cv::Rect> &boxes, const std::string &caption) {
        annotateFrame(frame, boxes, config.masks, caption);
        cv::Mat small;
        cv::resize(frame, small, cv::Size(kTileWidth, frame.rows * kTileWidth / frame.cols), 0, 0, cv::INTER_AREA);
        tiles.push_back(small);
    };
    for (std::size_t i = 0; i < shots.size(); ++i) {
        std::vector<cv::Rect> boxes = shots[i].bestBoxes;
        boxes.push_back(shots[i].event.box);
        tile(shots[i].bestFrame.clone(), boxes,
             std::format("#{} {:.1f}s peak {:.1f}%", i + 1, shots[i].event.start.count() / 1000.0, shots[i].event.peakPercent));
    }
    if (tiles.empty() && !fallback.empty())
        tile(fallback.clone(), {}, "no events (mask shown)");
    if (tiles.empty())
        return {};
    const int rows = int(tiles.size() + kColumns - 1) / kColumns;
    const int tileHeight = tiles.front().rows;
    cv::Mat sheet(rows * tileHeight, std::min<int>(kColumns, int(tiles.size())) * kTileWidth, CV_8UC3, cv::Scalar(30, 30, 30));
    for (std::size_t i = 0; i < tiles.size(); ++i)
        tiles[i](cv::Rect(0, 0, kTileWidth, std::min(tileHeight, tiles[i].rows)))
            .copyTo(sheet(cv::Rect(int(i % kColumns) * kTileWidth, int(i / kColumns) * tileHeight, kTileWidth,
                                   std::min(tileHeight, tiles[i].rows))));
    return sheet;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("garage-guard-motion"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GARAGE_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Runs garage-guard's motion detector over a video file."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"), QStringLiteral("Configuration file ([motion] is used)."), QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("One JSON object per line."));
    const QCommandLineOption previewOption(QStringLiteral("preview"), QStringLiteral("Write a contact sheet PNG of the events' best frames."), QStringLiteral("OUT.png"));
    const QCommandLineOption realtimeOption(QStringLiteral("realtime"),
                                            QStringLiteral("Play the video at its own frame rate, as a camera would "
                                                           "deliver it (for CPU comparisons with live daemons)."));
    parser.addOptions({configOption, jsonOption, previewOption, realtimeOption});
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("The video file to analyse."));
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("expected one VIDEO argument (see --help)"));
    const QString video = parser.positionalArguments().first();

    MotionConfig config;
    if (parser.isSet(configOption)) {
        const auto loaded = ConfigLoader::load(parser.value(configOption));
        QStringList errors;
        for (const ConfigIssue &issue : loaded.errors)
            if (issue.key.startsWith(QLatin1String("motion/")) || issue.key == QLatin1String("(file)"))
                errors << issue.toString();
        if (!errors.isEmpty())
            return fail(QStringLiteral("bad configuration: ") + errors.join(QLatin1String("; ")));
        config = loaded.config.motion;
    }
    if (!QFileInfo(video).isFile())
        return fail(QStringLiteral("%1: no such file").arg(video));
    // one thread, as in the daemon: on small frames, waking OpenCV's and ffmpeg's workers costs more than they save
    cv::setNumThreads(1);
    cv::VideoCapture capture(video.toStdString(), cv::CAP_ANY, {cv::CAP_PROP_N_THREADS, 1});
    if (!capture.isOpened())
        return fail(QStringLiteral("%1: cannot decode this video").arg(video));
    const double fps = capture.get(cv::CAP_PROP_FPS) > 0 ? capture.get(cv::CAP_PROP_FPS) : 10.0;

    MotionDetector detector(config);
    EventTracker tracker(config);
    PersonDetector people;
    std::vector<EventShot> shots;
    std::optional<EventShot> open;
    const bool json = parser.isSet(jsonOption);
    cv::Mat frame, grey, firstFrame;
    std::int64_t frames = 0;
    std::chrono::nanoseconds analysis{0};
    auto close = [&](const MotionEvent &e) {
        EventShot shot = open ? *open : EventShot{};
        shot.event = e;
        if (config.personCheck && !shot.bestFrame.empty())
            shot.event.person = people.containsPerson(shot.bestFrame, e.box);
        std::puts(eventLine(shot.event, json).c_str());
        shots.push_back(std::move(shot));
        open.reset();
    };
    std::chrono::milliseconds t{0};
    const bool realtime = parser.isSet(realtimeOption);
    const auto playStart = std::chrono::steady_clock::now();
    for (;;) {
        if (realtime)
            std::this_thread::sleep_until(playStart + std::chrono::microseconds(std::llround(double(frames) * 1e6 / fps)));
        if (!capture.read(frame))
            break;
        if (firstFrame.empty())
            firstFrame = frame.clone();
        cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
        t = std::chrono::milliseconds(std::llround(frames * 1000.0 / fps));
        const auto before = std::chrono::steady_clock::now();
        const FrameAnalysis result = detector.process(grey, t);
        const EventUpdate update = tracker.update(t, frames, result);
        analysis += std::chrono::steady_clock::now() - before;
        if (update.kind == EventUpdate::Kind::Started)
            open = EventShot{};
        if (open && update.bestFrameChanged) {
            open->bestFrame = frame.clone(); // the offline tool may copy: nothing runs in real time here
            open->bestBoxes = result.boxes;
        }
        if (update.kind == EventUpdate::Kind::Ended)
            close(update.event);
        ++frames;
    }
    if (const auto last = tracker.finish(t))
        close(*last);
    if (frames == 0)
        return fail(QStringLiteral("%1: no frame could be decoded").arg(video));
    const double msPerFrame = std::chrono::duration<double, std::milli>(analysis).count() / double(frames);
    std::puts(std::format(R"({{"frames":{},"width":{},"height":{},"events":{},"ms_per_frame":{:.4f}}})", frames,
                          firstFrame.cols, firstFrame.rows, shots.size(), msPerFrame).c_str());
    if (parser.isSet(previewOption)) {
        const cv::Mat sheet = contactSheet(shots, firstFrame, config);
        if (sheet.empty() || !cv::imwrite(parser.value(previewOption).toStdString(), sheet))
            return fail(QStringLiteral("cannot write %1").arg(parser.value(previewOption)));
    }
    return 0;
}
