// The event clip as a phone gets it: a synthetic crossing encoded, then read back with ffprobe, OpenCV's FFmpeg
// decoder and a walk over the MP4's top-level boxes.
#include "clips/ClipEncoder.h"

#include "ClipWriter.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <unistd.h>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace garage {

namespace {

// 2 s of empty garage, then a person crossing from left to right; `jpeg`: as an MJPEG camera sends it.
std::vector<ClipFrame> crossing(cv::Size size, double fps, double seconds, bool jpeg, double noiseSigma = 0)
{
    const cv::Mat background = test::garageBackground(size);
    cv::RNG rng(11);
    std::vector<ClipFrame> frames;
    const int count = int(seconds * fps);
    for (int n = 0; n < count; ++n) {
        const double t = n / fps;
        cv::Mat picture = background.clone();
        if (t >= 2.0)
            test::drawPerson(picture, int(-60 + (t - 2.0) / (seconds - 2.0) * (size.width + 120)), size.height * 2 / 3);
        if (noiseSigma > 0) {
            cv::Mat noise(size, CV_16SC3);
            rng.fill(noise, cv::RNG::NORMAL, 0, noiseSigma);
            cv::Mat noisy;
            picture.convertTo(noisy, CV_16SC3);
            noisy += noise;
            noisy.convertTo(picture, CV_8UC3);
        }
        ClipFrame frame;
        frame.timestamp = std::chrono::milliseconds(int64_t(std::lround(t * 1000)));
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

QJsonObject probe(const QString &path)
{
    const QString ffprobe = QStandardPaths::findExecutable(u"ffprobe"_s);
    if (ffprobe.isEmpty())
        return {};
    QProcess process;
    process.start(ffprobe, {u"-v"_s, u"error"_s, u"-count_frames"_s, u"-show_streams"_s, u"-show_format"_s,
                            u"-of"_s, u"json"_s, path});
    if (!process.waitForFinished(60'000) || process.exitCode() != 0)
        return {};
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

// The MP4's top-level boxes in file order (ftyp, moov, free, mdat…).
QStringList topLevelBoxes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    QStringList boxes;
    qint64 at = 0;
    while (at + 8 <= data.size()) {
        const auto u32 = [&](qint64 i) {
            return (quint64(uchar(data[i])) << 24) | (quint64(uchar(data[i + 1])) << 16) |
                   (quint64(uchar(data[i + 2])) << 8) | quint64(uchar(data[i + 3]));
        };
        quint64 size = u32(at);
        boxes << QString::fromLatin1(data.mid(at + 4, 4));
        if (size == 1 && at + 16 <= data.size())
            size = (u32(at + 8) << 32) | u32(at + 12);
        else if (size == 0)
            size = quint64(data.size() - at);
        if (size < 8)
            return boxes << u"<bad box size>"_s;
        at += qint64(size);
    }
    if (at != data.size())
        boxes << u"<truncated>"_s;
    return boxes;
}

// Fraction of the luma that changed by more than 25 between two decoded frames.
double changedShare(const cv::Mat &a, const cv::Mat &b)
{
    cv::Mat ga;
    cv::Mat gb;
    cv::cvtColor(a, ga, cv::COLOR_BGR2GRAY);
    cv::cvtColor(b, gb, cv::COLOR_BGR2GRAY);
    cv::Mat diff;
    cv::absdiff(ga, gb, diff);
    return double(cv::countNonZero(diff > 25)) / double(diff.total());
}

} // namespace

class TestClipEncoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(u"ffprobe"_s).isEmpty(), "ffprobe (package ffmpeg) is needed");
        QVERIFY(m_dir.isValid());
    }

    void crossingFromAnMjpegCamera()
    {
        // 10 fps camera, 10 s: 2 s of empty garage, then the crossing
        const auto frames = crossing({640, 480}, 10, 10, true);
        const QString path = m_dir.filePath(u"crossing.mp4"_s);
        const ClipResult result = encodeClip(frames, ClipSettings{}, path);
        QVERIFY2(result, result ? "" : qPrintable(result.error().message));
        QCOMPARE(result->path, path);
        QCOMPARE(result->width, 640);
        QCOMPARE(result->height, 480);
        QCOMPARE(result->frames, 50); // 0.0 … 9.9 s at 5 fps
        QCOMPARE(result->duration, 10'000ms);
        QVERIFY(!QFile::exists(path + u".part"_s));
        QCOMPARE(result->bytes, QFile(path).size());
        QVERIFY2(result->bytes <= 512 * 1024, qPrintable(QString::number(result->bytes)));

        const QJsonObject info = probe(path);
        const QJsonObject stream = info[u"streams"_s].toArray().at(0).toObject();
        QCOMPARE(info[u"streams"_s].toArray().size(), 1);
        QCOMPARE(stream[u"codec_name"_s].toString(), u"h264"_s);
        QCOMPARE(stream[u"pix_fmt"_s].toString(), u"yuv420p"_s);
        QCOMPARE(stream[u"width"_s].toInt(), 640);
        QCOMPARE(stream[u"height"_s].toInt(), 480);
        QCOMPARE(stream[u"r_frame_rate"_s].toString(), u"5/1"_s);
        QCOMPARE(stream[u"nb_read_frames"_s].toString(), u"50"_s);
        QVERIFY(info[u"format"_s].toObject()[u"format_name"_s].toString().contains(u"mp4"_s));
        const double duration = info[u"format"_s].toObject()[u"duration"_s].toString().toDouble();
        QVERIFY2(std::abs(duration - 10.0) < 0.25, qPrintable(QString::number(duration)));

        const QStringList boxes = topLevelBoxes(path);
        QVERIFY2(boxes.indexOf(u"moov"_s) >= 0 && boxes.indexOf(u"mdat"_s) >= 0, qPrintable(boxes.join(u' ')));
        QVERIFY2(boxes.indexOf(u"moov"_s) < boxes.indexOf(u"mdat"_s), qPrintable(boxes.join(u' ')));
        QCOMPARE(boxes.first(), u"ftyp"_s);

        // the pre-roll of an empty garage does not change; the crossing does, frame after frame
        cv::VideoCapture capture(path.toStdString(), cv::CAP_FFMPEG);
        QVERIFY(capture.isOpened());
        std::vector<cv::Mat> decoded;
        for (cv::Mat picture; capture.read(picture);)
            decoded.push_back(picture.clone());
        QCOMPARE(int(decoded.size()), 50);
        for (int k = 1; k < 10; ++k)
            QVERIFY2(changedShare(decoded[k - 1], decoded[k]) < 0.001, qPrintable(QString::number(k)));
        for (int k = 12; k < 48; ++k) // the person is in the frame from about 2.3 s to 9.7 s
            QVERIFY2(changedShare(decoded[k - 1], decoded[k]) > 0.01, qPrintable(QString::number(k)));
    }

    void picturesAreScaledWithTheirAspect()
    {
        // a 1280×720 file source (pictures, not JPEGs) with heavy sensor noise: the bitrate cap still holds
        const auto frames = crossing({1280, 720}, 5, 10, false, 10.0);
        const QString path = m_dir.filePath(u"noisy.mp4"_s);
        const ClipResult result = encodeClip(frames, ClipSettings{}, path);
        QVERIFY2(result, result ? "" : qPrintable(result.error().message));
        QCOMPARE(result->width, 640);
        QCOMPARE(result->height, 360);
        QVERIFY2(result->bytes <= 512 * 1024, qPrintable(QString::number(result->bytes)));
        const QJsonObject stream = probe(path)[u"streams"_s].toArray().at(0).toObject();
        QCOMPARE(stream[u"width"_s].toInt(), 640);
        QCOMPARE(stream[u"height"_s].toInt(), 360);
        QCOMPARE(stream[u"pix_fmt"_s].toString(), u"yuv420p"_s);
    }

    void longEventsAreCutAtMaxSeconds()
    {
        ClipSettings settings;
        settings.width = 320;
        settings.maxSeconds = 4s;
        const auto frames = crossing({320, 240}, 5, 12, true);
        const ClipResult result = encodeClip(frames, settings, m_dir.filePath(u"long.mp4"_s));
        QVERIFY2(result, result ? "" : qPrintable(result.error().message));
        QCOMPARE(result->frames, 20);
        QCOMPARE(result->duration, 4000ms);
        const double duration = probe(result->path)[u"format"_s].toObject()[u"duration"_s].toString().toDouble();
        QVERIFY2(std::abs(duration - 4.0) < 0.25, qPrintable(QString::number(duration)));
    }

    void unwritablePlaceIsAnError_data()
    {
        QTest::addColumn<QString>("path");
        QFile blocker(m_dir.filePath(u"a-file"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        QTest::newRow("directory is a file") << m_dir.filePath(u"a-file/clip.mp4"_s);
        QTest::newRow("directory missing") << m_dir.filePath(u"missing/clip.mp4"_s);
        if (geteuid() != 0) { // root writes anywhere
            const QString readOnly = m_dir.filePath(u"read-only"_s);
            QVERIFY(QDir().mkdir(readOnly));
            QVERIFY(QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
            QTest::newRow("read-only directory") << readOnly + u"/clip.mp4"_s;
        }
    }
    void unwritablePlaceIsAnError()
    {
        QFETCH(QString, path);
        const ClipResult result = encodeClip(crossing({320, 240}, 5, 2, true), ClipSettings{}, path);
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(u"clip.mp4"_s), qPrintable(result.error().message));
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + u".part"_s));
    }

    void nothingToEncodeIsAnError()
    {
        const QString path = m_dir.filePath(u"empty.mp4"_s);
        QVERIFY(!encodeClip({}, ClipSettings{}, path));
        std::vector<ClipFrame> garbage{ClipFrame{0ms, QByteArray("not a jpeg"), {}, {}},
                                       ClipFrame{200ms, QByteArray("\xff\xd8 cut"), {}, {}}};
        const ClipResult result = encodeClip(garbage, ClipSettings{}, path);
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(u"decoded"_s), qPrintable(result.error().message));
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + u".part"_s));
    }

    void anUndecodableFrameRepeatsThePreviousOne()
    {
        auto frames = crossing({320, 240}, 5, 4, true);
        frames[5].jpeg = QByteArray("truncated");
        const ClipResult result = encodeClip(frames, ClipSettings{}, m_dir.filePath(u"gap.mp4"_s));
        QVERIFY2(result, result ? "" : qPrintable(result.error().message));
        QCOMPARE(result->frames, 20);
    }

    void encodesOffTheCallersThread()
    {
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        QFutureWatcher<ClipResult> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcher<ClipResult>::finished);
        watcher.setFuture(encodeClipAsync(&pool, crossing({640, 480}, 10, 6, true), ClipSettings{},
                                          m_dir.filePath(u"async.mp4"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60'000);
        const ClipResult result = watcher.result();
        QVERIFY2(result, result ? "" : qPrintable(result.error().message));
        QCOMPARE(result->frames, 30);
        QVERIFY(result->encodeCpu > 0us);
    }

private:
    QTemporaryDir m_dir;
};

} // namespace garage

QTEST_GUILESS_MAIN(garage::TestClipEncoder)
#include "tst_ClipEncoder.moc"
