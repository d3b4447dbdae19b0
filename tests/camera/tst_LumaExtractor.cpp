// Luma extraction for every supported pixel format against a reference, with odd widths and padded strides.
#include "camera/LumaExtractor.h"

#include <QTest>
#include <QVideoFrame>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <vector>

using namespace garage;
using PF = QVideoFrameFormat::PixelFormat;

Q_DECLARE_METATYPE(QVideoFrameFormat::PixelFormat)

namespace {

// A synthetic frame: the bytes of each plane and the luma a correct extraction must give.
struct Synthetic {
    std::vector<std::vector<unsigned char>> planes;
    std::vector<int> strides;
    cv::Mat expected;
    int tolerance = 0;
};

// Reference BT.601 full-range luma from R, G, B (independent of cv::cvtColor).
unsigned char refLuma(int r, int g, int b)
{
    return static_cast<unsigned char>(std::lround(0.299 * r + 0.587 * g + 0.114 * b));
}

// Byte offsets of R, G, B inside one 4-byte pixel.
std::array<int, 3> rgbOffsets(PF f)
{
    switch (f) {
    case PF::Format_ARGB8888: case PF::Format_ARGB8888_Premultiplied: case PF::Format_XRGB8888: return {1, 2, 3};
    case PF::Format_BGRA8888: case PF::Format_BGRA8888_Premultiplied: case PF::Format_BGRX8888: return {2, 1, 0};
    case PF::Format_ABGR8888: case PF::Format_XBGR8888: return {3, 2, 1};
    default: return {0, 1, 2}; // RGBA, RGBX
    }
}

Synthetic build(PF format, int w, int h, int pad, std::mt19937 &rng)
{
    std::uniform_int_distribution<int> byte(0, 255);
    Synthetic s;
    s.expected = cv::Mat(h, w, CV_8UC1);
    auto plane = [&](int rowBytes, int rows) {
        const int stride = rowBytes + pad;
        s.strides.push_back(stride);
        s.planes.emplace_back(std::size_t(stride) * std::size_t(rows));
        for (auto &b : s.planes.back())
            b = static_cast<unsigned char>(byte(rng)); // chroma, padding: noise the luma must ignore
        return s.planes.size() - 1;
    };
    auto &Y = s.expected;
    cv::randu(Y, 0, 256);
    const int cw = (w + 1) / 2, ch = (h + 1) / 2;
    switch (format) {
    case PF::Format_YUV420P: case PF::Format_YV12: case PF::Format_YUV422P: case PF::Format_Y8:
    case PF::Format_NV12: case PF::Format_NV21: {
        const auto y = plane(w, h);
        for (int r = 0; r < h; ++r)
            std::copy_n(Y.ptr(r), w, s.planes[y].data() + std::size_t(r) * std::size_t(s.strides[y]));
        if (format == PF::Format_NV12 || format == PF::Format_NV21)
            plane(cw * 2, ch);
        else if (format != PF::Format_Y8) {
            plane(cw, format == PF::Format_YUV422P ? h : ch);
            plane(cw, format == PF::Format_YUV422P ? h : ch);
        }
        break;
    }
    case PF::Format_P010: case PF::Format_P016: case PF::Format_Y16: case PF::Format_YUV420P10: {
        const auto y = plane(w * 2 + (pad & 1), h); // 16-bit rows stay 2-byte aligned
        const bool lsb10 = format == PF::Format_YUV420P10;
        for (int r = 0; r < h; ++r)
            for (int c = 0; c < w; ++c) {
                const int low = byte(rng);
                // the extraction truncates: the value is Y8 plus less than one 8-bit step
                const int v = lsb10 ? (Y.at<uchar>(r, c) << 2) | (low & 3) : (Y.at<uchar>(r, c) << 8) | low;
                auto *p = s.planes[y].data() + std::size_t(r) * std::size_t(s.strides[y]) + std::size_t(c) * 2;
                p[0] = static_cast<unsigned char>(v & 0xff);
                p[1] = static_cast<unsigned char>(v >> 8);
            }
        s.tolerance = 1; // rounding of the scaled value
        break;
    }
    case PF::Format_YUYV: case PF::Format_UYVY: {
        const auto y = plane(cw * 4, h);
        const int off = format == PF::Format_YUYV ? 0 : 1;
        for (int r = 0; r < h; ++r)
            for (int c = 0; c < w; ++c)
                s.planes[y][std::size_t(r) * std::size_t(s.strides[y]) + std::size_t(c) * 2 + std::size_t(off)] = Y.at<uchar>(r, c);
        break;
    }
    case PF::Format_AYUV: case PF::Format_AYUV_Premultiplied: {
        const auto y = plane(w * 4, h);
        for (int r = 0; r < h; ++r)
            for (int c = 0; c < w; ++c)
                s.planes[y][std::size_t(r) * std::size_t(s.strides[y]) + std::size_t(c) * 4 + 1] = Y.at<uchar>(r, c);
        break;
    }
    case PF::Format_Jpeg: {
        std::vector<unsigned char> jpeg;
        cv::GaussianBlur(Y, Y, cv::Size(5, 5), 0); // natural-ish content so quality 100 stays close
        cv::imencode(".jpg", Y, jpeg, {cv::IMWRITE_JPEG_QUALITY, 100});
        s.planes.push_back(jpeg);
        s.strides.push_back(0);
        s.tolerance = 4;
        break;
    }
    default: { // 32-bit RGB family
        const auto y = plane(w * 4, h);
        const auto off = rgbOffsets(format);
        for (int r = 0; r < h; ++r)
            for (int c = 0; c < w; ++c) {
                auto *p = s.planes[y].data() + std::size_t(r) * std::size_t(s.strides[y]) + std::size_t(c) * 4;
                Y.at<uchar>(r, c) = refLuma(p[off[0]], p[off[1]], p[off[2]]);
            }
        s.tolerance = 1;
        break;
    }
    }
    return s;
}

std::vector<PlaneView> views(const Synthetic &s)
{
    std::vector<PlaneView> v;
    for (std::size_t i = 0; i < s.planes.size(); ++i)
        v.push_back({s.planes[i].data(), s.strides[i], s.planes[i].size()});
    return v;
}

double maxDiff(const cv::Mat &a, const cv::Mat &b)
{
    return cv::norm(a, b, cv::NORM_INF);
}

const PF kFormats[] = {
    PF::Format_YUV420P, PF::Format_YUV422P, PF::Format_YV12, PF::Format_NV12, PF::Format_NV21, PF::Format_Y8,
    PF::Format_P010, PF::Format_P016, PF::Format_Y16, PF::Format_YUV420P10, PF::Format_YUYV, PF::Format_UYVY,
    PF::Format_AYUV, PF::Format_AYUV_Premultiplied, PF::Format_ARGB8888, PF::Format_ARGB8888_Premultiplied,
    PF::Format_XRGB8888, PF::Format_BGRA8888, PF::Format_BGRA8888_Premultiplied, PF::Format_BGRX8888,
    PF::Format_ABGR8888, PF::Format_XBGR8888, PF::Format_RGBA8888, PF::Format_RGBX8888, PF::Format_Jpeg,
};

} // namespace

class tst_LumaExtractor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void syntheticBuffers_data();
    void syntheticBuffers();
    void planarFormatsAreWrappedWithoutCopy();
    void tooSmallPlaneIsAnError();
    void qtAllocatedFrames_data();
    void qtAllocatedFrames();
    void frameFromQImage();
    void hostileJpegIsNotDecoded_data();
    void hostileJpegIsNotDecoded();
};

// A camera's JPEG frame is decoded only at the size the frame announced (the one held to the picture limit) and
// only whole: a header claiming 30000x30000 would take 900 MB, a truncated one decodes with grey fill.
void tst_LumaExtractor::hostileJpegIsNotDecoded_data()
{
    QTest::addColumn<QByteArray>("jpeg");
    QTest::addColumn<QString>("reason");
    std::vector<unsigned char> encoded;
    cv::imencode(".jpg", cv::Mat(48, 64, CV_8UC1, cv::Scalar(90)), encoded);
    const QByteArray jpeg(reinterpret_cast<const char *>(encoded.data()), qsizetype(encoded.size()));
    QByteArray forged = jpeg;
    const qsizetype sof = forged.indexOf("\xff\xc0");
    for (const int at : {5, 7}) {
        forged[sof + at] = char(0x75); // 0x7530 = 30000
        forged[sof + at + 1] = char(0x30);
    }
    QTest::newRow("header bigger than the frame") << forged << "holds a JPEG of 30000x30000";
    QTest::newRow("truncated") << jpeg.first(jpeg.size() - 10) << "truncated";
}

void tst_LumaExtractor::hostileJpegIsNotDecoded()
{
    QFETCH(QByteArray, jpeg);
    QFETCH(QString, reason);
    const PlaneView plane{reinterpret_cast<const unsigned char *>(jpeg.constData()), 0, std::size_t(jpeg.size())};
    cv::Mat scratch;
    const auto grey = extractLuma(PF::Format_Jpeg, 64, 48, std::span(&plane, 1), scratch);
    QVERIFY(!grey);
    QVERIFY2(grey.error().contains(reason), qPrintable(grey.error()));
}

void tst_LumaExtractor::syntheticBuffers_data()
{
    QTest::addColumn<PF>("format");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("padding");
    for (const PF f : kFormats) {
        const QByteArray name = QVideoFrameFormat::pixelFormatToString(f).toUtf8();
        QTest::newRow(QByteArray(name + " 64x48 tight").constData()) << f << 64 << 48 << 0;
        QTest::newRow(QByteArray(name + " 33x17 odd, padded").constData()) << f << 33 << 17 << 13;
        QTest::newRow(QByteArray(name + " 641x3 odd, stride+64").constData()) << f << 641 << 3 << 64;
    }
}

void tst_LumaExtractor::syntheticBuffers()
{
    QFETCH(PF, format);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, padding);
    std::mt19937 rng(width * 131 + height + int(format));
    const Synthetic s = build(format, width, height, padding, rng);
    const auto v = views(s);
    cv::Mat scratch;
    const auto grey = extractLuma(format, width, height, v, scratch);
    QVERIFY2(grey.has_value(), qPrintable(grey ? QString() : grey.error()));
    QCOMPARE(grey->type(), CV_8UC1);
    QCOMPARE(grey->cols, width);
    QCOMPARE(grey->rows, height);
    QVERIFY2(maxDiff(*grey, s.expected) <= s.tolerance,
             qPrintable(QStringLiteral("max diff %1 > %2").arg(maxDiff(*grey, s.expected)).arg(s.tolerance)));
    QVERIFY(isLumaSupported(format));
}

void tst_LumaExtractor::planarFormatsAreWrappedWithoutCopy()
{
    std::mt19937 rng(1);
    for (const PF f : {PF::Format_YUV420P, PF::Format_NV12, PF::Format_NV21, PF::Format_YV12, PF::Format_YUV422P}) {
        const Synthetic s = build(f, 35, 21, 29, rng);
        cv::Mat scratch;
        const auto grey = extractLuma(f, 35, 21, views(s), scratch);
        QVERIFY(grey.has_value());
        QCOMPARE(static_cast<const void *>(grey->data), static_cast<const void *>(s.planes[0].data()));
        QCOMPARE(grey->step[0], std::size_t(35 + 29));
        QVERIFY(scratch.empty());
    }
}

void tst_LumaExtractor::tooSmallPlaneIsAnError()
{
    std::vector<unsigned char> bytes(100);
    const PlaneView v{bytes.data(), 10, bytes.size()};
    cv::Mat scratch;
    QVERIFY(!extractLuma(PF::Format_NV12, 10, 11, std::span(&v, 1), scratch).has_value());
    QVERIFY(!extractLuma(PF::Format_YUYV, 10, 10, std::span(&v, 1), scratch).has_value()); // needs 20 bytes a row
    QVERIFY(extractLuma(PF::Format_NV12, 10, 10, std::span(&v, 1), scratch).has_value());
    QVERIFY(!extractLuma(PF::Format_Invalid, 10, 10, std::span(&v, 1), scratch).has_value());
    QVERIFY(!isLumaSupported(PF::Format_SamplerExternalOES));
    const PlaneView odd{bytes.data(), 21, bytes.size()}; // a 16-bit plane with an odd stride is refused, not thrown
    QVERIFY(!extractLuma(PF::Format_P010, 4, 4, std::span(&odd, 1), scratch).has_value());
}

void tst_LumaExtractor::qtAllocatedFrames_data()
{
    QTest::addColumn<PF>("format");
    QTest::addColumn<int>("width");
    for (const PF f : {PF::Format_YUV420P, PF::Format_NV12, PF::Format_YUYV, PF::Format_UYVY, PF::Format_P010,
                       PF::Format_BGRA8888, PF::Format_ARGB8888, PF::Format_RGBX8888}) {
        const QByteArray name = QVideoFrameFormat::pixelFormatToString(f).toUtf8();
        QTest::newRow(QByteArray(name + " 320").constData()) << f << 320;
        QTest::newRow(QByteArray(name + " 37 (odd)").constData()) << f << 37;
    }
}

// Frames allocated by QVideoFrame itself (its own strides), filled, then mapped read-only as the sources do.
void tst_LumaExtractor::qtAllocatedFrames()
{
    QFETCH(PF, format);
    QFETCH(int, width);
    const int height = 23;
    std::mt19937 rng(7);
    const Synthetic s = build(format, width, height, 0, rng);
    QVideoFrame frame(QVideoFrameFormat(QSize(width, height), format));
    QVERIFY(frame.map(QVideoFrame::WriteOnly));
    for (int p = 0; p < std::min(frame.planeCount(), int(s.planes.size())); ++p) {
        const int rowBytes = std::min(frame.bytesPerLine(p), s.strides[std::size_t(p)]);
        const int rows = int(s.planes[std::size_t(p)].size()) / s.strides[std::size_t(p)];
        for (int r = 0; r < rows && (r + 1) * frame.bytesPerLine(p) <= frame.mappedBytes(p); ++r)
            std::copy_n(s.planes[std::size_t(p)].data() + std::size_t(r) * std::size_t(s.strides[std::size_t(p)]), rowBytes,
                        frame.bits(p) + std::size_t(r) * std::size_t(frame.bytesPerLine(p)));
    }
    frame.unmap();
    QVERIFY(frame.map(QVideoFrame::ReadOnly));
    std::vector<PlaneView> v;
    for (int p = 0; p < frame.planeCount(); ++p)
        v.push_back({frame.bits(p), frame.bytesPerLine(p), std::size_t(frame.mappedBytes(p))});
    cv::Mat scratch;
    const auto grey = extractLuma(frame.pixelFormat(), frame.width(), frame.height(), v, scratch);
    QVERIFY2(grey.has_value(), qPrintable(grey ? QString() : grey.error()));
    QVERIFY(maxDiff(*grey, s.expected) <= s.tolerance);
    frame.unmap();
}

void tst_LumaExtractor::frameFromQImage()
{
    QImage image(101, 37, QImage::Format_RGB32);
    std::mt19937 rng(3);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(x, y, qRgb(int(rng() % 256), int(rng() % 256), int(rng() % 256)));
    QVideoFrame frame(image);
    QVERIFY(frame.map(QVideoFrame::ReadOnly));
    std::vector<PlaneView> v{{frame.bits(0), frame.bytesPerLine(0), std::size_t(frame.mappedBytes(0))}};
    cv::Mat scratch;
    const auto grey = extractLuma(frame.pixelFormat(), frame.width(), frame.height(), v, scratch);
    QVERIFY2(grey.has_value(), qPrintable(grey ? QString() : grey.error()));
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb c = image.pixel(x, y);
            QVERIFY(std::abs(int(grey->at<uchar>(y, x)) - int(refLuma(qRed(c), qGreen(c), qBlue(c)))) <= 1);
        }
    frame.unmap();
}

QTEST_GUILESS_MAIN(tst_LumaExtractor)
#include "tst_LumaExtractor.moc"
