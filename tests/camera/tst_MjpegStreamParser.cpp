// The MJPEG-over-HTTP stream splitter: every JPEG comes out whole and in order whatever the network chunking, with
// and without Content-Length, with the boundary spellings real cameras use; garbage and oversize parts are refused.
#include "camera/MjpegStreamParser.h"

#include <QTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace garage;
using namespace Qt::StringLiterals;

namespace {

QByteArray jpegOf(int width, int height, int seed)
{
    cv::Mat bgr(height, width, CV_8UC3, cv::Scalar(seed * 20 % 255, 90, 160));
    cv::putText(bgr, std::to_string(seed), cv::Point(2, height - 2), cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(255, 255, 255));
    std::vector<uchar> out;
    cv::imencode(".jpg", bgr, out);
    return QByteArray(reinterpret_cast<const char *>(out.data()), qsizetype(out.size()));
}

// A stream as a camera would write it.
QByteArray streamOf(const QList<QByteArray> &parts, const QByteArray &delimiter, bool withLength, const QByteArray &eol)
{
    QByteArray s;
    for (const QByteArray &p : parts) {
        s += delimiter + eol + "Content-Type: image/jpeg" + eol;
        if (withLength)
            s += "Content-Length: " + QByteArray::number(p.size()) + eol;
        s += eol + p + eol;
    }
    return s;
}

QList<QByteArray> parseInChunks(MjpegStreamParser &parser, const QByteArray &stream, qsizetype chunk)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < stream.size(); i += chunk) {
        parser.feed(QByteArrayView(stream).sliced(i, std::min(chunk, stream.size() - i)));
        while (auto part = parser.next())
            out << *part;
    }
    return out;
}

} // namespace

class tst_MjpegStreamParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void boundaryFromContentType_data()
    {
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<bool>("multipart");
        QTest::addColumn<QByteArray>("boundary");
        QTest::newRow("plain") << "multipart/x-mixed-replace; boundary=frame"_ba << true << "frame"_ba;
        QTest::newRow("quoted, more params") << "multipart/x-mixed-replace;boundary=\"Ba Cd\"; charset=x"_ba << true << "Ba Cd"_ba;
        QTest::newRow("sloppy leading dashes") << "multipart/x-mixed-replace; boundary=--myboundary"_ba << true << "myboundary"_ba;
        QTest::newRow("case kept") << "Multipart/X-Mixed-Replace; Boundary=AbC"_ba << true << "AbC"_ba;
        QTest::newRow("none given") << "multipart/x-mixed-replace"_ba << true << QByteArray();
        QTest::newRow("single jpeg") << "image/jpeg"_ba << false << QByteArray();
        QTest::newRow("html error page") << "text/html; charset=utf-8"_ba << false << QByteArray();
    }
    void boundaryFromContentType()
    {
        QFETCH(QByteArray, type);
        QFETCH(bool, multipart);
        QFETCH(QByteArray, boundary);
        const auto got = MjpegStreamParser::boundaryFromContentType(type);
        QCOMPARE(got.has_value(), multipart);
        if (got)
            QCOMPARE(*got, boundary);
    }

    void everyPartWholeAtAnyChunking_data()
    {
        QTest::addColumn<QByteArray>("announced");
        QTest::addColumn<QByteArray>("delimiter");
        QTest::addColumn<bool>("withLength");
        QTest::addColumn<QByteArray>("eol");
        QTest::newRow("length, CRLF") << "frame"_ba << "--frame"_ba << true << "\r\n"_ba;
        QTest::newRow("no length, CRLF") << "frame"_ba << "--frame"_ba << false << "\r\n"_ba;
        QTest::newRow("no length, bare LF") << "frame"_ba << "--frame"_ba << false << "\n"_ba;
        QTest::newRow("boundary announced with dashes") << "--cam"_ba << "--cam"_ba << false << "\r\n"_ba;
        QTest::newRow("boundary not announced") << QByteArray() << "--xyz"_ba << true << "\r\n"_ba;
    }
    void everyPartWholeAtAnyChunking()
    {
        QFETCH(QByteArray, announced);
        QFETCH(QByteArray, delimiter);
        QFETCH(bool, withLength);
        QFETCH(QByteArray, eol);
        const QList<QByteArray> parts{jpegOf(64, 48, 1), jpegOf(33, 17, 2), jpegOf(64, 48, 3)};
        const QByteArray stream = "garbage before the first part" + eol + streamOf(parts, delimiter, withLength, eol)
                                  + delimiter + eol; // the next part has started: the last one is complete
        for (const qsizetype chunk : {qsizetype(1), qsizetype(7), qsizetype(100), qsizetype(1000), stream.size()}) {
            MjpegStreamParser parser(announced);
            const QList<QByteArray> got = parseInChunks(parser, stream, chunk);
            QCOMPARE(got.size(), parts.size());
            for (qsizetype i = 0; i < parts.size(); ++i)
                QVERIFY2(got[i] == parts[i], qPrintable(u"part %1 differs at chunk %2"_s.arg(i).arg(chunk)));
            QVERIFY(parser.error().isEmpty());
        }
    }

    void nonJpegPartsAreSkipped()
    {
        const QByteArray jpeg = jpegOf(20, 10, 5);
        MjpegStreamParser parser("b");
        parser.feed(streamOf({"not an image"_ba, jpeg}, "--b", true, "\r\n"));
        const auto part = parser.next();
        QVERIFY(part);
        QCOMPARE(*part, jpeg);
        QCOMPARE(parser.skippedParts(), 1);
        QVERIFY(!parser.next());
    }

    void oversizePartStopsTheStream()
    {
        MjpegStreamParser withLength("b", 1000);
        withLength.feed("--b\r\nContent-Length: 5000\r\n\r\n\xff\xd8");
        QVERIFY(!withLength.next());
        QVERIFY(withLength.error().contains(u"limit"_s));

        MjpegStreamParser withoutLength("b", 1000);
        withoutLength.feed(QByteArray("--b\r\n\r\n\xff\xd8").append(QByteArray(2000, 'x')));
        QVERIFY(!withoutLength.next());
        QVERIFY(!withoutLength.error().isEmpty());

        MjpegStreamParser endlessHeaders("b");
        endlessHeaders.feed(QByteArray("--b\r\n").append(QByteArray(20000, 'h')));
        QVERIFY(!endlessHeaders.next());
        QVERIFY(!endlessHeaders.error().isEmpty());
    }

    void garbageWithoutBoundaryStaysBounded()
    {
        MjpegStreamParser parser("frame");
        for (int i = 0; i < 1000; ++i) {
            parser.feed(QByteArray(1000, 'z'));
            QVERIFY(!parser.next());
        }
        QVERIFY(parser.error().isEmpty()); // still waiting for a boundary, holding only a few bytes
        parser.feed(QByteArray(streamOf({jpegOf(8, 8, 1)}, "--frame", true, "\r\n") + "--frame\r\n"));
        QVERIFY(parser.next());
    }

    // Without Content-Length a part is buffered until its boundary comes; each read must search only what it added.
    // 1 MiB in 512-byte reads searched from the part's start each time would be about 1 GiB of searching.
    void partsWithoutLengthAreSearchedOnce()
    {
        const QByteArray body = QByteArray("\xff\xd8", 2) + QByteArray(1024 * 1024, 'x') + QByteArray("\xff\xd9", 2);
        const QByteArray stream = streamOf({body}, "--frame", false, "\r\n") + "--frame\r\n";
        MjpegStreamParser parser("frame");
        const QList<QByteArray> got = parseInChunks(parser, stream, 512);
        QCOMPARE(got.size(), 1);
        QVERIFY(got.first() == body);
        QVERIFY2(parser.scannedBytes() <= 2 * stream.size(),
                 qPrintable(u"%1 bytes searched for a %2-byte stream: the part is searched again on every read"_s
                                .arg(parser.scannedBytes()).arg(stream.size())));
    }

    // The same for a long header line, a boundary line and a boundary learnt from the body, cut by every read:
    // nothing is searched again from its start (found by fuzz_mjpeg_stream).
    void headerAndBoundaryLinesAreSearchedOnce()
    {
        const QByteArray jpeg = jpegOf(64, 48, 6);
        QByteArray stream = "--frame   \r\nX-Padding: " + QByteArray(12000, 'p') + "\r\nContent-Length: "
                            + QByteArray::number(jpeg.size()) + "\r\n\r\n" + jpeg + "\r\n--frame\r\n";
        for (const QByteArray &announced : {"frame"_ba, QByteArray()}) {
            MjpegStreamParser parser(announced);
            const QList<QByteArray> got = parseInChunks(parser, stream, 3);
            QCOMPARE(got.size(), 1);
            QVERIFY(got.first() == jpeg);
            QVERIFY2(parser.scannedBytes() <= 3 * stream.size(),
                     qPrintable(u"%1 bytes searched for a %2-byte stream"_s.arg(parser.scannedBytes()).arg(stream.size())));
        }
        MjpegStreamParser tooLong(QByteArray(300, 'b'));
        QVERIFY(!tooLong.next());
        QVERIFY2(tooLong.error().contains(u"boundary of 300 bytes"_s), qPrintable(tooLong.error()));
    }

    // A truncated JPEG decodes with grey fill (libjpeg warns and pads); only one whose end-of-image marker follows
    // its scan is whole.
    void completeJpeg_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("complete");
        const QByteArray jpeg = jpegOf(160, 120, 3);
        const qsizetype scan = jpeg.indexOf("\xff\xda");
        QTest::newRow("whole") << jpeg << true;
        QTest::newRow("padded after the end marker") << QByteArray(jpeg + QByteArray("\r\n\0\0", 4)) << true;
        QTest::newRow("cut in the middle of the scan") << jpeg.first(scan + (jpeg.size() - scan) / 2) << false;
        QTest::newRow("cut just before the end marker") << jpeg.first(jpeg.size() - 2) << false;
        QTest::newRow("cut inside the end marker") << jpeg.first(jpeg.size() - 1) << false;
        QTest::newRow("cut before the scan") << jpeg.first(scan) << false;
        // an APP segment ending in FF D9 (a thumbnail's end), the data cut right after it: no scan of its own yet
        const QByteArray thumbnail("\xff\xe1\x00\x06" "ab" "\xff\xd9", 8);
        QTest::newRow("ends with a thumbnail's end marker") << QByteArray(jpeg.first(2) + thumbnail) << false;
        QTest::newRow("not a jpeg") << "GIF89a......"_ba << false;
        QTest::newRow("empty") << QByteArray() << false;
    }
    void completeJpeg()
    {
        QFETCH(QByteArray, data);
        QFETCH(bool, complete);
        QCOMPARE(jpegIsComplete(data), complete);
    }

    void jpegSizeFromHeader()
    {
        // a forged header: the reader reports it as is (the frame source refuses it before any decode)
        QByteArray forged = jpegOf(64, 48, 4);
        const qsizetype sof = forged.indexOf("\xff\xc0");
        forged[sof + 5] = char(0x75); // height 0x7530 = 30000
        forged[sof + 6] = char(0x30);
        forged[sof + 7] = char(0x75); // width
        forged[sof + 8] = char(0x30);
        QCOMPARE(jpegImageSize(forged), QSize(30000, 30000));
        QCOMPARE(jpegImageSize(jpegOf(641, 479, 1)), QSize(641, 479));
        QCOMPARE(jpegImageSize(jpegOf(1, 1, 1)), QSize(1, 1));
        const QByteArray jpeg = jpegOf(320, 240, 2);
        QCOMPARE(jpegImageSize(jpeg.first(jpeg.indexOf("\xff\xc0"))), QSize()); // cut before the frame header
        QCOMPARE(jpegImageSize("\xff\xd8\xff"), QSize());
        QCOMPARE(jpegImageSize("GIF89a"), QSize());
        QCOMPARE(jpegImageSize(QByteArray()), QSize());
    }
};

QTEST_APPLESS_MAIN(tst_MjpegStreamParser)
#include "tst_MjpegStreamParser.moc"
