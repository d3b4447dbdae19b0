// Splits an HTTP multipart/x-mixed-replace byte stream (what MJPEG network cameras serve) into its JPEG parts,
// whatever the chunking of the network reads. Uses each part's Content-Length when given, the boundary otherwise;
// tolerates the usual camera sloppiness (a boundary parameter that already starts with "--", quotes, bare LF).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QSize>
#include <QString>
#include <optional>

namespace garage {

class MjpegStreamParser
{
public:
    static constexpr qsizetype kDefaultMaxPartBytes = 16 * 1024 * 1024;

    // `boundary` from the response's Content-Type; empty: taken from the first "--" line of the body.
    explicit MjpegStreamParser(QByteArray boundary = {}, qsizetype maxPartBytes = kDefaultMaxPartBytes);

    // The boundary parameter of a multipart Content-Type; nullopt when the type is not multipart at all.
    static std::optional<QByteArray> boundaryFromContentType(QByteArrayView contentType);

    void feed(QByteArrayView data);
    // The next complete JPEG part, if one is buffered. Parts that are not JPEG (no SOI marker) are skipped.
    std::optional<QByteArray> next();
    // Non-empty once the stream cannot be parsed any more (a part or a header block beyond the size limit).
    const QString &error() const { return m_error; }
    qsizetype skippedParts() const { return m_skipped; }
    // Bytes searched (for a boundary or a line end) so far: proportional to the bytes fed, however small the reads
    // (a part without Content-Length, a header line or a boundary line cut by a read is not searched again from its
    // start); at most a boundary's length (256 bytes at most) is searched again per read.
    qsizetype scannedBytes() const { return m_scannedBytes; }

private:
    enum class State { SeekBoundary, BoundaryLine, Headers, Body };
    bool seekBoundary();
    bool readBoundaryLine();
    bool readHeaders();
    std::optional<QByteArray> readBody(bool *needMore);
    qsizetype findBoundary(qsizetype from);
    void compact();

    QByteArray m_boundary; // without the leading "--"
    qsizetype m_maxPartBytes;
    QByteArray m_buffer;
    qsizetype m_pos = 0;   // parse position in m_buffer
    qsizetype m_scanFrom = 0; // where the current state's search goes on (m_buffer index, never before m_pos)
    qsizetype m_scannedBytes = 0;
    State m_state = State::SeekBoundary;
    qsizetype m_contentLength = -1;
    QString m_error;
    qsizetype m_skipped = 0;
};

// Width and height from a JPEG's frame header (SOFn), without decoding; invalid when the data is not a JPEG.
QSize jpegImageSize(QByteArrayView jpeg);
// Whether a JPEG ends with its end-of-image marker after the start of its scan. A truncated one (a camera or a
// connection that dropped bytes) would decode with grey fill, which the motion analysis would see as change.
bool jpegIsComplete(QByteArrayView jpeg);

} // namespace garage
