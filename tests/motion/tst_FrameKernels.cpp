// The motion pipeline's own pixel kernels give OpenCV's results (the stages they replace) at every width, including
// widths that are not a multiple of the vector size, odd sizes, strided views and masks.
#include "FrameKernels.h"

#include <QTest>

#include <cmath>

#include <opencv2/imgproc.hpp>

using namespace garage;

namespace {

cv::Mat randomImage(cv::Size size, unsigned seed)
{
    cv::Mat image(size, CV_8UC1);
    cv::RNG rng(seed);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    return image;
}

double maxDifference(const cv::Mat &a, const cv::Mat &b)
{
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    double most = 0;
    cv::minMaxLoc(diff, nullptr, &most);
    return most;
}

// ours - reference, on average: the rounding must not drift the picture
double meanBias(const cv::Mat &ours, const cv::Mat &reference)
{
    cv::Mat a, b;
    ours.convertTo(a, CV_32F);
    reference.convertTo(b, CV_32F);
    return cv::mean(a - b)[0];
}

} // namespace

class TestFrameKernels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sizes_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        for (const auto &[w, h] : {std::pair{640, 480}, {768, 576}, {2, 2}, {3, 3}, {17, 5}, {33, 9}, {31, 4},
                                   {100, 3}, {321, 241}, {1280, 720}})
            QTest::addRow("%dx%d", w, h) << w << h;
    }

    void halveMatchesAreaResize_data() { sizes_data(); }
    void halveMatchesAreaResize()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        const cv::Mat image = randomImage({width, height}, unsigned(width * 7 + height));
        cv::Mat ours, reference;
        halveByArea(image, ours);
        // OpenCV's area resize by exactly 2 on the even part: the average of each 2x2 block, rounded
        const cv::Mat even = image(cv::Rect(0, 0, width / 2 * 2, height / 2 * 2));
        cv::resize(even, reference, cv::Size(width / 2, height / 2), 0, 0, cv::INTER_AREA);
        QCOMPARE(ours.size(), reference.size());
        QVERIFY2(maxDifference(ours, reference) <= 1.0, qPrintable(QString::number(maxDifference(ours, reference))));
        if (width * height >= 1000) // a mean over enough pixels to say something
            QVERIFY(std::abs(meanBias(ours, reference)) < 0.5);
    }

    void blurMatchesGaussian_data() { sizes_data(); }
    void blurMatchesGaussian()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        const cv::Mat image = randomImage({width, height}, unsigned(width + height * 13));
        cv::Mat ours, rows, reference;
        blur3x3(image, ours, rows);
        cv::GaussianBlur(image, reference, cv::Size(3, 3), 0);
        QCOMPARE(ours.size(), reference.size());
        QVERIFY2(maxDifference(ours, reference) <= 2.0, qPrintable(QString::number(maxDifference(ours, reference))));
        if (width * height >= 1000)
            QVERIFY2(std::abs(meanBias(ours, reference)) < 0.8, qPrintable(QString::number(meanBias(ours, reference))));
    }

    void markChangedMatchesThreshold_data() { sizes_data(); }
    void markChangedMatchesThreshold()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        const cv::Mat a = randomImage({width, height}, 1), b = randomImage({width, height}, 2);
        for (const bool masked : {false, true}) {
            cv::Mat mask;
            if (masked) {
                mask = cv::Mat(a.size(), CV_8UC1, cv::Scalar(255));
                mask(cv::Rect(0, 0, (width + 1) / 2, height)).setTo(0);
            }
            for (const int threshold : {0, 25, 128, 254, 255}) {
                cv::Mat ours, diff, reference;
                const int count = markChanged(a, b, threshold, mask, ours);
                cv::absdiff(a, b, diff);
                cv::threshold(diff, reference, threshold, 255, cv::THRESH_BINARY);
                if (masked)
                    cv::bitwise_and(reference, mask, reference);
                QCOMPARE(maxDifference(ours, reference), 0.0);
                QCOMPARE(count, cv::countNonZero(reference));
            }
        }
    }

    void poolSetsEveryCellWithAChangedPixel_data()
    {
        QTest::addColumn<int>("cell");
        for (const int cell : {1, 2, 3, 4, 6, 8})
            QTest::addRow("cell %d", cell) << cell;
    }
    void poolSetsEveryCellWithAChangedPixel()
    {
        QFETCH(int, cell);
        cv::Mat mask(241, 321, CV_8UC1, cv::Scalar(0));
        cv::RNG rng(9);
        for (int i = 0; i < 300; ++i)
            mask.at<std::uint8_t>(rng.uniform(0, mask.rows), rng.uniform(0, mask.cols)) = 255;
        cv::Mat pooled, rows;
        poolAny(mask, cell, pooled, rows);
        QCOMPARE(pooled.size(), cv::Size(321 / cell, 241 / cell));
        for (int y = 0; y < pooled.rows; ++y)
            for (int x = 0; x < pooled.cols; ++x) {
                const bool any = cv::countNonZero(mask(cv::Rect(x * cell, y * cell, cell, cell))) > 0;
                QCOMPARE(pooled.at<std::uint8_t>(y, x), std::uint8_t(any ? 255 : 0));
            }
    }

    void largeFrameCountsEveryPixel()
    {
        // more vector steps in one row than a byte lane can count
        const cv::Mat a(2, 8192, CV_8UC1, cv::Scalar(0)), b(2, 8192, CV_8UC1, cv::Scalar(200));
        cv::Mat changed;
        QCOMPARE(markChanged(a, b, 25, cv::Mat(), changed), 2 * 8192);
    }

    void stridedViews()
    {
        const cv::Mat wide = randomImage({700, 500}, 5);
        const cv::Mat view = wide(cv::Rect(3, 1, 640, 480));
        cv::Mat ours, reference, rows;
        halveByArea(view, ours);
        cv::resize(view, reference, cv::Size(320, 240), 0, 0, cv::INTER_AREA);
        QVERIFY(maxDifference(ours, reference) <= 1.0);
        blur3x3(view, ours, rows);
        // a view's borders are its own (OpenCV would read past them into the wider image unless told not to)
        cv::GaussianBlur(view, reference, cv::Size(3, 3), 0, 0, cv::BORDER_REFLECT_101 | cv::BORDER_ISOLATED);
        QVERIFY(maxDifference(ours, reference) <= 2.0);
    }
};

QTEST_GUILESS_MAIN(TestFrameKernels)
#include "tst_FrameKernels.moc"
