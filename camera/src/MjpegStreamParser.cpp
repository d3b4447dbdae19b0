#include "camera/MjpegStreamParser.h"

namespace garage {
namespace {

constexpr qsizetype kMaxHeaderBytes = 16 * 1024;
constexpr qsizetype kMaxBoundaryBytes = 256; // RFC 2046 allows 70; cameras are sloppy, but not by kilobytes

bool isJpeg(QByteArrayView part)
{
    return part.size() >= 4 && uchar(part[0]) == 0xFF && uchar(part[1]) == 0xD8;
}

} // namespace

MjpegStreamParser::MjpegStreamParser(QByteArray boundary, qsizetype maxPartBytes)
    : m_maxPartBytes(maxPartBytes)
{
    while (boundary.startsWith("--"))
        boundary.remove(0, 2);
    m_boundary = boundary;
    if (m_boundary.size() > kMaxBoundaryBytes) // every read searches back a boundary's length: keep that short
        m_error = QStringLiteral("a multipart boundary of %1 bytes (at most %2)").arg(m_boundary.size()).arg(kMaxBoundaryBytes);
}

std::optional<QByteArray> MjpegStreamParser::boundaryFromContentType(QByteArrayView contentType)
{
    const QByteArray original = contentType.trimmed().toByteArray();
    const QByteArray type = original.toLower();
    if (!type.startsWith("multipart/"))
        return std::nullopt;
    const qsizetype at = type.indexOf("boundary=");
    if (at < 0)
        return QByteArray();
    const qsizetype begin = at + 9;
    qsizetype end = original.indexOf(';', begin);
    if (end < 0)
        end = original.size();
    // the original spelling: boundaries are case-sensitive
    QByteArray value = original.mid(begin, end - begin).trimmed();
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.mid(1, value.size() - 2);
    while (value.startsWith("--"))
        value.remove(0, 2);
    return value;
}

void MjpegStreamParser::feed(QByteArrayView data)
{
    if (m_error.isEmpty())
        m_buffer.append(data);
}

std::optional<QByteArray> MjpegStreamParser::next()
{
    while (m_error.isEmpty()) {
        bool progressed = false;
        switch (m_state) {
        case State::SeekBoundary:
            progressed = seekBoundary();
            break;
        case State::BoundaryLine:
            progressed = readBoundaryLine();
            break;
        case State::Headers:
            progressed = readHeaders();
            break;
        case State::Body: {
            bool needMore = false;
            auto part = readBody(&needMore);
            if (part) {
                if (isJpeg(*part))
                    return part;
                ++m_skipped;
            }
            progressed = !needMore && m_error.isEmpty();
            break;
        }
        }
        if (!progressed)
            break;
    }
    compact();
    return std::nullopt;
}

bool MjpegStreamParser::seekBoundary()
{
    if (m_boundary.isEmpty()) {
        // no boundary announced: the first line that starts with "--" (and is short enough) names it; the search
        // goes on where the last read stopped
        const qsizetype from = std::max(m_pos, m_scanFrom);
        qsizetype i = from;
        for (; i + 1 < m_buffer.size(); ++i) {
            if (m_buffer[i] != '-' || m_buffer[i + 1] != '-' || (i > 0 && m_buffer[i - 1] != '\n'))
                continue;
            const qsizetype lineEnd = std::min(m_buffer.size(), i + 2 + kMaxBoundaryBytes + 2);
            const qsizetype eol = m_buffer.indexOf('\n', i);
            if (eol < 0 && lineEnd == m_buffer.size()) { // its end may still come
                m_scannedBytes += lineEnd - from;
                m_pos = i;
                m_scanFrom = i;
                return false;
            }
            if (eol < 0 || eol >= lineEnd)
                continue; // too long for a boundary line
            m_boundary = m_buffer.mid(i + 2, eol - i - 2).trimmed();
            if (!m_boundary.isEmpty())
                break;
        }
        m_scannedBytes += std::min(i + 1, m_buffer.size()) - from;
        if (m_boundary.isEmpty()) {
            m_scanFrom = std::max(m_pos, m_buffer.size() - 1); // a "--" cut in half is looked at again
            if (m_buffer.size() - m_pos > kMaxHeaderBytes)
                m_error = QStringLiteral("no multipart boundary in the first %1 bytes").arg(kMaxHeaderBytes);
            return false;
        }
    }
    const qsizetype at = findBoundary(m_pos);
    if (at < 0) {
        m_pos = std::max(m_pos, m_buffer.size() - m_boundary.size() + 1); // keep a boundary cut in half
        return false;
    }
    m_pos = at + m_boundary.size();
    m_state = State::BoundaryLine;
    return true;
}

bool MjpegStreamParser::readBoundaryLine()
{
    // the rest of the boundary's line ("--", spaces, CR) is of no interest: what arrived of it is dropped
    const qsizetype eol = m_buffer.indexOf('\n', m_pos);
    m_scannedBytes += (eol < 0 ? m_buffer.size() : eol + 1) - m_pos;
    if (eol < 0) {
        m_pos = m_buffer.size();
        return false;
    }
    m_pos = eol + 1;
    m_contentLength = -1;
    m_state = State::Headers;
    return true;
}

bool MjpegStreamParser::readHeaders()
{
    const qsizetype start = m_pos;
    for (;;) {
        const qsizetype from = std::max(m_pos, m_scanFrom); // a line cut by the read is not searched again
        const qsizetype eol = m_buffer.indexOf('\n', from);
        m_scannedBytes += (eol < 0 ? m_buffer.size() : eol + 1) - from;
        if (eol < 0) {
            m_scanFrom = m_buffer.size();
            if (m_buffer.size() - start > kMaxHeaderBytes)
                m_error = QStringLiteral("part headers longer than %1 bytes").arg(kMaxHeaderBytes);
            return false;
        }
        const QByteArrayView line = QByteArrayView(m_buffer).sliced(m_pos, eol - m_pos).trimmed();
        m_pos = eol + 1;
        if (line.isEmpty()) {
            m_state = State::Body;
            return true;
        }
        constexpr QByteArrayView kLength("content-length:");
        if (line.size() > kLength.size() && line.first(kLength.size()).compare(kLength, Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qlonglong n = line.sliced(kLength.size()).trimmed().toLongLong(&ok);
            m_contentLength = ok && n >= 0 ? qsizetype(n) : -1;
        }
    }
}

std::optional<QByteArray> MjpegStreamParser::readBody(bool *needMore)
{
    if (m_contentLength >= 0) {
        if (m_contentLength > m_maxPartBytes) {
            m_error = QStringLiteral("a part of %1 bytes is over the %2 bytes limit").arg(m_contentLength).arg(m_maxPartBytes);
            return std::nullopt;
        }
        if (m_buffer.size() - m_pos < m_contentLength) {
            *needMore = true;
            return std::nullopt;
        }
        QByteArray part = m_buffer.mid(m_pos, m_contentLength);
        m_pos += m_contentLength;
        m_state = State::SeekBoundary;
        return part;
    }
    // the part stays buffered until its boundary comes: each read searches only what it added (and a boundary cut
    // in half at the end of the previous read), never the whole part again
    const qsizetype at = findBoundary(std::max(m_pos, m_scanFrom));
    if (at < 0) {
        m_scanFrom = std::max(m_pos, m_buffer.size() - m_boundary.size() + 1);
        if (m_buffer.size() - m_pos > m_maxPartBytes)
            m_error = QStringLiteral("no boundary within %1 bytes").arg(m_maxPartBytes);
        *needMore = true;
        return std::nullopt;
    }
    qsizetype end = at;
    if (end - m_pos >= 2 && m_buffer[end - 1] == '-' && m_buffer[end - 2] == '-')
        end -= 2;
    if (end > m_pos && m_buffer[end - 1] == '\n')
        --end;
    if (end > m_pos && m_buffer[end - 1] == '\r')
        --end;
    QByteArray part = m_buffer.mid(m_pos, end - m_pos);
    m_pos = at;
    m_state = State::SeekBoundary;
    return part;
}

qsizetype MjpegStreamParser::findBoundary(qsizetype from)
{
    const qsizetype at = m_buffer.indexOf(m_boundary, from);
    m_scannedBytes += (at < 0 ? m_buffer.size() : at + m_boundary.size()) - from;
    return at;
}

void MjpegStreamParser::compact()
{
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_scanFrom = std::max<qsizetype>(0, m_scanFrom - m_pos);
        m_pos = 0;
    }
}

bool jpegIsComplete(QByteArrayView jpeg)
{
    const auto *d = reinterpret_cast<const uchar *>(jpeg.data());
    if (!isJpeg(jpeg))
        return false;
    // the end-of-image marker closes the last scan; cameras may pad after it (CR, LF, NUL)
    qsizetype end = jpeg.size();
    while (end > 0 && (d[end - 1] == '\r' || d[end - 1] == '\n' || d[end - 1] == 0))
        --end;
    if (end < 4 || d[end - 2] != 0xFF || d[end - 1] != 0xD9)
        return false;
    // ... and it must come after the scan started: an EOI that ends an embedded thumbnail (APPn, before the scan)
    // is not the picture's. Entropy-coded data stuffs every 0xFF, so the scan holds no marker of its own.
    qsizetype i = 2;
    while (i + 3 < end) {
        if (d[i] != 0xFF)
            return false;
        const uchar marker = d[i + 1];
        if (marker == 0xFF) {
            ++i;
            continue;
        }
        if (marker == 0xDA)
            return i + 2 < end - 2;
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            i += 2;
            continue;
        }
        const int length = (d[i + 2] << 8) | d[i + 3];
        if (length < 2)
            return false;
        i += 2 + length;
    }
    return false;
}

QSize jpegImageSize(QByteArrayView jpeg)
{
    const auto *d = reinterpret_cast<const uchar *>(jpeg.data());
    const qsizetype n = jpeg.size();
    if (!isJpeg(jpeg))
        return {};
    qsizetype i = 2;
    while (i + 1 < n) {
        if (d[i] != 0xFF)
            return {}; // segments follow each other exactly up to the scan
        const uchar marker = d[i + 1];
        if (marker == 0xFF) { // fill byte
            ++i;
            continue;
        }
        i += 2;
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue; // markers without a length
        if (marker == 0xDA || i + 1 >= n)
            return {}; // the scan starts before any frame header
        const int length = (d[i] << 8) | d[i + 1];
        const bool frameHeader = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frameHeader) {
            if (i + 6 >= n)
                return {};
            const int height = (d[i + 3] << 8) | d[i + 4];
            const int width = (d[i + 5] << 8) | d[i + 6];
            return width > 0 && height > 0 ? QSize(width, height) : QSize();
        }
        if (length < 2)
            return {};
        i += length;
    }
    return {};
}

} // namespace garage
