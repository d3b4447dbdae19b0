// Motion detection as a garage owner needs it: a person crossing is one event with the right span and box; lights,
// sensor noise, flicker, masked regions and a car that parks do not keep alerting. Clips are real MJPEG files written
// by the test and decoded back; the real-footage case uses OpenCV's vtest.avi (people walking).
#include "ClipWriter.h"
#include "motion/EventTracker.h"
#include "motion/MaskParser.h"
#include "motion/MotionDetector.h"
#include "motion/PersonDetector.h"
#include "motion/Annotator.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>

using namespace garage;
using namespace std::chrono_literals;

namespace {

struct ClipRun {
    std::vector<MotionEvent> events;
    int frames = 0;
    int lightingFrames = 0;
};

ClipRun runClip(const std::string &path, const MotionConfig &config)
{
    ClipRun run;
    cv::VideoCapture capture(path);
    if (!capture.isOpened())
        return run;
    const double fps = capture.get(cv::CAP_PROP_FPS) > 0 ? capture.get(cv::CAP_PROP_FPS) : 10.0;
    MotionDetector detector(config);
    EventTracker tracker(config);
    cv::Mat frame, grey;
    std::chrono::milliseconds t{0};
    while (capture.read(frame)) {
        cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
        t = std::chrono::milliseconds(std::llround(run.frames * 1000.0 / fps));
        const FrameAnalysis analysis = detector.process(grey, t);
        run.lightingFrames += analysis.lightingChange;
        const EventUpdate update = tracker.update(t, run.frames, analysis);
        if (update.kind == EventUpdate::Kind::Ended)
            run.events.push_back(update.event);
        ++run.frames;
    }
    if (auto open = tracker.finish(t))
        run.events.push_back(*open);
    return run;
}

MotionConfig testConfig()
{
    MotionConfig c;
    c.eventGap = 2s;
    c.absorbTime = 10s;
    return c;
}

// a person walking across between t0 and t1 seconds
std::function<void(cv::Mat &, int, double)> crossing(double t0, double t1)
{
    return [t0, t1](cv::Mat &frame, int, double t) {
        if (t < t0 || t > t1)
            return;
        const int x = int(-40 + (frame.cols + 80) * (t - t0) / (t1 - t0));
        test::drawPerson(frame, x, frame.rows / 2);
    };
}

// a cloud: the whole picture darkens by 35 % over 4 s from 2 s, stays 3 s, and brightens back over 4 s
void darkenUnderCloud(cv::Mat &frame, double t)
{
    const double down = std::clamp((t - 2.0) / 4.0, 0.0, 1.0);
    const double up = std::clamp((t - 9.0) / 4.0, 0.0, 1.0);
    frame.convertTo(frame, -1, 1.0 - 0.35 * (down - up));
}

} // namespace

class TestMotionDetector : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string clip(const char *name, const test::Scene &scene)
    {
        const std::string path = m_dir.filePath(QString::fromLatin1(name) + QStringLiteral(".avi")).toStdString();
        if (!test::writeClip(path, scene))
            qFatal("cannot write clip %s", path.c_str());
        return path;
    }

private Q_SLOTS:
    void personCrossingIsOneEvent()
    {
        const auto run = runClip(clip("crossing", {{640, 480}, 10, 10, crossing(2.0, 6.0)}), testConfig());
        QCOMPARE(run.frames, 100);
        QCOMPARE(run.events.size(), std::size_t(1));
        const MotionEvent &e = run.events.front();
        QVERIFY2(e.start >= 1900ms && e.start <= 2600ms, qPrintable(QString::number(e.start.count())));
        QVERIFY2(e.end >= 5500ms && e.end <= 6200ms, qPrintable(QString::number(e.end.count())));
        // the union box spans the walk across the frame at the person's height
        QVERIFY2(e.box.x < 60 && e.box.x + e.box.width > 580, qPrintable(QStringLiteral("%1+%2").arg(e.box.x).arg(e.box.width)));
        QVERIFY(e.box.y > 150 && e.box.y < 230);
        QVERIFY(e.box.y + e.box.height > 400 && e.box.y + e.box.height <= 480);
        QVERIFY(e.bestFrame >= e.startFrame && e.bestFrame <= e.endFrame);
        QVERIFY(e.peakPercent > 1.0);
    }

    void twoCrossingsBeyondGapAreTwoEvents()
    {
        auto first = crossing(1.0, 3.0);
        auto second = crossing(7.0, 9.0);
        const auto run = runClip(clip("two", {{640, 480}, 10, 11, [&](cv::Mat &f, int n, double t) {
                                          first(f, n, t);
                                          second(f, n, t);
                                      }}),
                                 testConfig());
        QCOMPARE(run.events.size(), std::size_t(2));
        QVERIFY(run.events[1].start >= 6900ms);
    }

    void lightSwitchIsNotMotion()
    {
        // the garage light goes on: a lamp on the left, so the picture brightens unevenly (not one gain for all)
        const auto run = runClip(clip("light", {{640, 480}, 10, 8, [](cv::Mat &f, int, double t) {
                                          if (t < 3.0)
                                              return;
                                          for (int x = 0; x < f.cols; ++x)
                                              f.col(x) += cv::Scalar::all(110.0 * (1.0 - double(x) / f.cols));
                                      }}),
                                 testConfig());
        QCOMPARE(run.events.size(), std::size_t(0));
        QVERIFY(run.lightingFrames > 0); // seen, and re-learnt as a lighting change
    }

    void slowCloudIsNotMotion()
    {
        // too slow to be a light switch, too fast for the background to follow
        const auto run = runClip(clip("cloud", {{640, 480}, 10, 16, [](cv::Mat &f, int, double t) { darkenUnderCloud(f, t); }}),
                                 testConfig());
        QCOMPARE(run.events.size(), std::size_t(0));
        // and a person crossing under the cloud is still seen
        auto person = crossing(6.0, 9.0);
        const auto shaded = runClip(clip("cloud-person", {{640, 480}, 10, 16, [&](cv::Mat &f, int n, double t) {
                                             person(f, n, t);
                                             darkenUnderCloud(f, t);
                                         }}),
                                    testConfig());
        QCOMPARE(shaded.events.size(), std::size_t(1));
        QVERIFY(shaded.events[0].start >= 5500ms && shaded.events[0].start <= 7000ms);
    }

    void sensorNoiseIsNotMotion()
    {
        cv::RNG rng(3);
        const auto run = runClip(clip("noise", {{640, 480}, 10, 10, [&rng](cv::Mat &f, int, double) {
                                          cv::Mat noise(f.size(), CV_16SC3);
                                          rng.fill(noise, cv::RNG::NORMAL, 0, 10);
                                          cv::Mat wide;
                                          f.convertTo(wide, CV_16SC3);
                                          wide += noise;
                                          wide.convertTo(f, CV_8UC3);
                                      }}),
                                 testConfig());
        QCOMPARE(run.events.size(), std::size_t(0));
    }

    void flickerIsNotMotion()
    {
        const auto run = runClip(clip("flicker", {{640, 480}, 10, 10, [](cv::Mat &f, int n, double) {
                                          if ((n / 2) % 2) // mains flicker beating with the frame rate
                                              f *= 0.6;
                                      }}),
                                 testConfig());
        QCOMPARE(run.events.size(), std::size_t(0));
    }

    void motionInsideMaskIsIgnored()
    {
        MotionConfig config = testConfig();
        config.masks = *parseMaskPolygons("0,0 1,0 1,0.45 0,0.45"); // the window in the upper part
        const auto run = runClip(clip("masked", {{640, 480}, 10, 8, [](cv::Mat &f, int, double t) {
                                          // a car passing in the street seen through the window
                                          const int x = int(t * 100) % 640;
                                          cv::rectangle(f, cv::Rect(x, 60, 120, 60), cv::Scalar(20, 20, 200), cv::FILLED);
                                      }}),
                                 config);
        QCOMPARE(run.events.size(), std::size_t(0));
        // and the same motion without the mask is seen
        QCOMPARE(runClip(m_dir.filePath(QStringLiteral("masked.avi")).toStdString(), testConfig()).events.size(),
                 std::size_t(1));
    }

    void parkedCarIsOneEventThenSilence()
    {
        const auto run = runClip(clip("park", {{640, 480}, 10, 40, [](cv::Mat &f, int, double t) {
                                          if (t < 2.0)
                                              return;
                                          const int x = t < 5.0 ? int(-260 + (t - 2.0) * 140) : 160;
                                          cv::rectangle(f, cv::Rect(x, 280, 260, 140), cv::Scalar(30, 30, 140), cv::FILLED);
                                      }}),
                                 testConfig());
        QCOMPARE(run.events.size(), std::size_t(1));
        QVERIFY2(run.events[0].end < 20000ms, qPrintable(QString::number(run.events[0].end.count())));
    }

    void realFootageVtest()
    {
        const std::string path = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
        if (!QFile::exists(QString::fromStdString(path)))
            QSKIP("vtest.avi (package opencv-doc) is not installed");
        MotionConfig config; // defaults, as shipped
        const auto run = runClip(path, config);
        QCOMPARE(run.frames, 795);
        // people walk through the whole clip (watched: someone is in view from the first frames to the last)
        QVERIFY(!run.events.empty());
        QVERIFY2(run.events.front().start <= 2000ms, qPrintable(QString::number(run.events.front().start.count())));
        QVERIFY(run.events.back().end >= 75000ms);
        QVERIFY(run.events.size() <= 3);
        QCOMPARE(run.lightingFrames, 0);
    }

    void personCheckOnRealFootage()
    {
        const std::string path = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
        if (!QFile::exists(QString::fromStdString(path)))
            QSKIP("vtest.avi (package opencv-doc) is not installed");
        cv::VideoCapture capture(path);
        cv::Mat frame;
        for (int i = 0; i <= 100; ++i)
            capture.read(frame);
        PersonDetector people;
        // frame 100: people walking on the path in the lower right (seen in garage-guard-motion's preview)
        QVERIFY(people.containsPerson(frame, cv::Rect(480, 180, 288, 396)));
        // an empty garage, and an empty patch of lawn in the same footage
        QVERIFY(!people.containsPerson(test::garageBackground({640, 480})));
        QVERIFY(!people.containsPerson(frame, cv::Rect(0, 330, 200, 150)));
    }

    void annotationDrawsBoxesMasksAndCaption()
    {
        cv::Mat frame(240, 320, CV_8UC3, cv::Scalar(128, 128, 128));
        annotateFrame(frame, {cv::Rect(100, 100, 50, 80)}, *parseMaskPolygons("0,0 0.5,0 0.5,0.5"), "garage 12:00");
        QCOMPARE(frame.at<cv::Vec3b>(100, 120), cv::Vec3b(0, 255, 0));       // box edge in green
        QVERIFY(frame.at<cv::Vec3b>(5, 5)[0] < 128);                          // caption band darkened
        QVERIFY(frame.at<cv::Vec3b>(60, 160)[2] > 200);                       // mask outline in red
    }

    void captionIsDrawableAscii()
    {
        // the app's captions carry '·' and '°C', which the Hershey font would draw as "??"
        QCOMPARE(drawableCaption("garage \u00b7 2026-12-01 22:21:16 \u00b7 motion 3.4 %"),
                 std::string("garage - 2026-12-01 22:21:16 - motion 3.4 %"));
        QCOMPARE(drawableCaption("4.5 \u00b0C"), std::string("4.5 degC"));
        QCOMPARE(drawableCaption("Gar\u00e7age \u2603 ok"), std::string("Gar?age ? ok"));
        QCOMPARE(drawableCaption("\xe2"), std::string("?")); // cut short
    }

    void boundaryFrames()
    {
        MotionDetector detector(testConfig());
        QVERIFY(!detector.process(cv::Mat(), 0ms).motion);
        QVERIFY(!detector.process(cv::Mat(1, 1, CV_8UC1, cv::Scalar(0)), 100ms).motion);
        QVERIFY(!detector.process(cv::Mat(480, 640, CV_8UC3, cv::Scalar(0)), 200ms).motion); // wrong type
        cv::Mat black(480, 640, CV_8UC1, cv::Scalar(0));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(detector.process(black, std::chrono::milliseconds(300 + 100 * i)).changedPercent, 0.0);
        // resolution change mid-stream: starts over, no false motion
        cv::Mat grey720(720, 1280, CV_8UC1, cv::Scalar(128));
        QVERIFY(!detector.process(grey720, 1000ms).motion);
        QVERIFY(!detector.process(grey720, 1100ms).motion);
        // a view with a stride (the camera hands the Y plane of a wider buffer)
        cv::Mat wide(480, 700, CV_8UC1, cv::Scalar(90));
        const cv::Mat view = wide(cv::Rect(0, 0, 640, 480));
        QVERIFY(!detector.process(view, 1200ms).motion);
        wide(cv::Rect(200, 200, 120, 200)).setTo(10);
        const auto moved = detector.process(view, 1300ms);
        QVERIFY(moved.motion);
        QCOMPARE(moved.boxes.size(), std::size_t(1));
        QVERIFY((moved.boxes[0] & cv::Rect(200, 200, 120, 200)).area() > 120 * 200 * 8 / 10);
    }

    void maskCoveringEverything()
    {
        MotionConfig config = testConfig();
        config.masks = *parseMaskPolygons("0,0 1,0 1,1 0,1");
        MotionDetector detector(config);
        cv::Mat a(240, 320, CV_8UC1, cv::Scalar(0)), b(240, 320, CV_8UC1, cv::Scalar(255));
        detector.process(a, 0ms);
        const auto r = detector.process(b, 100ms);
        QVERIFY(!r.motion);
        QCOMPARE(r.changedPercent, 0.0);
    }

    void eventIsCutAtMaxDuration()
    {
        MotionConfig config = testConfig();
        config.maxEventDuration = 3s;
        EventTracker tracker(config);
        FrameAnalysis moving;
        moving.motion = true;
        moving.changedPercent = 2;
        moving.boxes = {cv::Rect(10, 10, 50, 50)};
        int started = 0, ended = 0;
        for (int i = 0; i < 100; ++i) {
            const auto u = tracker.update(std::chrono::milliseconds(i * 100), i, moving);
            started += u.kind == EventUpdate::Kind::Started;
            ended += u.kind == EventUpdate::Kind::Ended;
            if (u.kind == EventUpdate::Kind::Ended)
                QVERIFY(u.event.end - u.event.start <= 3s);
        }
        QVERIFY(started >= 3 && ended >= 3);
    }

    void shortBlipsDoNotStartEvents()
    {
        EventTracker tracker(testConfig()); // minimum_motion_frames = 3
        FrameAnalysis moving, still;
        moving.motion = true;
        moving.changedPercent = 2;
        for (int i = 0; i < 60; ++i) {
            const auto u = tracker.update(std::chrono::milliseconds(i * 100), i, i % 3 == 2 ? still : moving);
            QVERIFY(u.kind == EventUpdate::Kind::None);
        }
    }
};

QTEST_GUILESS_MAIN(TestMotionDetector)
#include "tst_MotionDetector.moc"
