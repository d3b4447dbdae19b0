// Luma out of every pixel format a camera or decoder may hand us, against a reference conversion, including odd
// widths and padded strides; planar formats must be a view, not a copy.
#include "camera/CameraSelection.h"
#include "camera/LumaExtractor.h"

#include <QTest>

#include <opencv2/imgproc.hpp>

using namespace garage;
using PF = QVideoFrameFormat::PixelFormat;

namespace {

// A reference grey image with structure (so swapped bytes or offsets show).
cv::Mat reference(int w, int h)
{
    cv::Mat grey(h, w, CV_8UC1);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            grey.at<uchar>(y, x) = uchar((x * 7 + y * 13) % 251);
    return grey;
}

int maxDifference(const cv::Mat &a, const cv::Mat &b)
{
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    double maxVal = 0;
    cv::minMaxLoc(diff, nullptr, &maxVal);
    return int(maxVal);
}

} // namespace

Q_DECLARE_METATYPE(QVideoFrameFormat::PixelFormat)

class TestLumaExtractor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formats_data()
    {
        QTest::addColumn<QVideoFrameFormat::PixelFormat>("format");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("padding");
        for (const auto &[name, format] : std::initializer_list<std::pair<const char *, PF>>{
                 {"NV12", PF::Format_NV12}, {"NV21", PF::Format_NV21}, {"YUV420P", PF::Format_YUV420P},
                 {"YV12", PF::Format_YV12}, {"Y8", PF::Format_Y8}, {"P010", PF::Format_P010}, {"Y16", PF::Format_Y16},
                 {"YUYV", PF::Format_YUYV}, {"UYVY", PF::Format_UYVY}, {"AYUV", PF::Format_AYUV},
                 {"BGRA", PF::Format_BGRA8888}, {"RGBA", PF::Format_RGBA8888}, {"ARGB", PF::Format_ARGB8888},
                 {"XRGB", PF::Format_XRGB8888}, {"ABGR", PF::Format_ABGR8888}}) {
            QTest::newRow(qPrintable(QStringLiteral("%1 640").arg(QLatin1String(name)))) << format << 640 << 0;
            QTest::newRow(qPrintable(QStringLiteral("%1 odd+stride").arg(QLatin1String(name)))) << format << 321 << 60;
        }
    }

    void formats()
    {
        QFETCH(QVideoFrameFormat::PixelFormat, format);
        QFETCH(int, width);
        QFETCH(int, padding);
        const int height = 37;
        const cv::Mat y = reference(width, height);
        // build plane 0 of the format from the reference luma (chroma neutral)
        int bytesPerPixel = 1;
        switch (format) {
        case PF::Format_P010: case PF::Format_Y16: bytesPerPixel = 2; break;
        case PF::Format_YUYV: case PF::Format_UYVY: bytesPerPixel = 2; break;
        case PF::Format_AYUV: case PF::Format_BGRA8888: case PF::Format_RGBA8888: case PF::Format_ARGB8888:
        case PF::Format_XRGB8888: case PF::Format_ABGR8888: bytesPerPixel = 4; break;
        default: break;
        }
        const int stride = (width + 1) / 2 * 2 * bytesPerPixel + padding;
        std::vector<uchar> buffer(size_t(stride) * height, 0xEE); // padding filled with garbage
        for (int r = 0; r < height; ++r) {
            uchar *row = buffer.data() + size_t(r) * stride;
            for (int x = 0; x < width; ++x) {
                const uchar v = y.at<uchar>(r, x);
                switch (format) {
                case PF::Format_P010: case PF::Format_Y16: row[2 * x] = 0x40; row[2 * x + 1] = v; break;
                case PF::Format_YUYV: row[2 * x] = v; row[2 * x + 1] = 128; break;
                case PF::Format_UYVY: row[2 * x] = 128; row[2 * x + 1] = v; break;
                case PF::Format_AYUV: row[4 * x] = 255; row[4 * x + 1] = v; row[4 * x + 2] = 128; row[4 * x + 3] = 128; break;
                case PF::Format_BGRA8888: case PF::Format_RGBA8888: row[4 * x] = v; row[4 * x + 1] = v; row[4 * x + 2] = v; row[4 * x + 3] = 255; break;
                case PF::Format_ARGB8888: case PF::Format_XRGB8888: case PF::Format_ABGR8888:
                    row[4 * x] = 255; row[4 * x + 1] = v; row[4 * x + 2] = v; row[4 * x + 3] = v; break;
                default: row[x] = v; break;
                }
            }
        }
        cv::Mat scratch;
        const cv::Mat luma = extractLuma(format, width, height, buffer.data(), stride, scratch);
        QCOMPARE(luma.cols, width);
        QCOMPARE(luma.rows, height);
        QCOMPARE(luma.type(), CV_8UC1);
        QVERIFY2(maxDifference(luma, y) <= 1, qPrintable(QString::number(maxDifference(luma, y))));
        if (format == PF::Format_NV12 || format == PF::Format_YUV420P || format == PF::Format_Y8)
            QCOMPARE(luma.data, buffer.data()); // zero copy
    }

    void coloursUseLumaWeights()
    {
        // pure red in BGRA: luma = 0.299 * 255
        std::vector<uchar> px = {0, 0, 255, 255, 0, 0, 255, 255};
        cv::Mat scratch;
        const cv::Mat luma = extractLuma(PF::Format_BGRA8888, 2, 1, px.data(), 8, scratch);
        QVERIFY(std::abs(luma.at<uchar>(0, 0) - 76) <= 1);
    }

    void unsupportedFormatsAskForDecoding()
    {
        std::vector<uchar> px(64);
        cv::Mat scratch;
        QVERIFY(extractLuma(PF::Format_Jpeg, 4, 4, px.data(), 16, scratch).empty());
        QVERIFY(!hasDirectLuma(PF::Format_Jpeg));
        QVERIFY(extractLuma(PF::Format_NV12, 4, 4, nullptr, 4, scratch).empty());
    }

    void cameraChoice()
    {
        const QList<CameraCandidate> cams = {{QStringLiteral("/dev/video0"), QStringLiteral("HD Pro Webcam C920"), false},
                                             {QStringLiteral("/dev/video2"), QStringLiteral("USB2.0 PC CAMERA"), true}};
        QCOMPARE(*chooseCamera(cams, *parseSourceSpec(QStringLiteral("camera"))), 1);
        QCOMPARE(*chooseCamera(cams, *parseSourceSpec(QStringLiteral("/dev/video0"))), 0);
        QCOMPARE(*chooseCamera(cams, *parseSourceSpec(QStringLiteral("camera:c920"))), 0);
        const auto missing = chooseCamera(cams, *parseSourceSpec(QStringLiteral("camera:logitech brio")));
        QVERIFY(!missing);
        QVERIFY(missing.error().contains(QLatin1String("HD Pro Webcam C920")));
        QVERIFY(missing.error().contains(QLatin1String("/dev/video2")));
        const auto none = chooseCamera({}, *parseSourceSpec(QStringLiteral("camera")));
        QVERIFY(!none);
        QVERIFY(none.error().contains(QLatin1String("no camera is connected")));
    }

    void formatChoice()
    {
        const QList<FormatCandidate> formats = {{{1920, 1080}, 5, 30, PF::Format_Jpeg},
                                                {{640, 480}, 5, 30, PF::Format_Jpeg},
                                                {{640, 480}, 5, 30, PF::Format_YUYV},
                                                {{320, 240}, 5, 30, PF::Format_YUYV},
                                                {{1280, 720}, 5, 10, PF::Format_YUYV}};
        QCOMPARE(chooseFormat(formats, {640, 480}, 15), 2);  // same size: YUYV beats JPEG
        QCOMPARE(chooseFormat(formats, {1920, 1080}, 15), 0);
        QCOMPARE(chooseFormat(formats, {1280, 720}, 10), 4);
        QCOMPARE(chooseFormat(formats, {300, 200}, 15), 3);
        QCOMPARE(chooseFormat({}, {640, 480}, 15), -1);
    }
};

QTEST_GUILESS_MAIN(TestLumaExtractor)
#include "tst_LumaExtractor.moc"
