#include "clips/ClipEncoder.h"

#include "Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cstdarg>
#include <ctime>
#include <cmath>
#include <memory>
#include <mutex>

using namespace Qt::StringLiterals;

namespace garage {

namespace {

struct FormatDeleter {
    void operator()(AVFormatContext *c) const
    {
        if (c && c->pb)
            avio_closep(&c->pb);
        avformat_free_context(c);
    }
};
struct CodecDeleter {
    void operator()(AVCodecContext *c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
    void operator()(AVFrame *f) const { av_frame_free(&f); }
};
struct PacketDeleter {
    void operator()(AVPacket *p) const { av_packet_free(&p); }
};

// libav's own lines go to garage.clips: warnings and errors only (its info lines, a dozen per clip, would fill the
// journal).
void logFromLibav(void *context, int level, const char *format, va_list args)
{
    if (level > AV_LOG_WARNING)
        return;
    char line[512] = {};
    int prefix = 1;
    va_list copy;
    va_copy(copy, args);
    av_log_format_line2(context, level, format, copy, line, sizeof line, &prefix);
    va_end(copy);
    const QString text = QString::fromUtf8(line).trimmed();
    if (level <= AV_LOG_ERROR)
        qCWarning(lcClips).noquote() << "libav error:" << text;
    else
        qCInfo(lcClips).noquote() << "libav:" << text;
}

void routeLibavLog()
{
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_callback(logFromLibav); });
}

QString avError(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QString::fromUtf8(text);
}

std::chrono::microseconds threadCpu()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::duration_cast<std::chrono::microseconds>(
                                                 std::chrono::nanoseconds(ts.tv_nsec));
}

cv::Mat decode(const ClipFrame &frame)
{
    if (!frame.bgr.empty())
        return frame.bgr;
    const cv::Mat bytes(1, int(frame.jpeg.size()), CV_8UC1, const_cast<char *>(frame.jpeg.constData()));
    return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

cv::Size outputSize(const cv::Size &source, int width)
{
    const int w = std::max(2, std::min(width, source.width) & ~1);
    const int h = std::max(2, int(std::lround(double(w) * source.height / source.width)) & ~1);
    return {w, h};
}

void caption(cv::Mat &picture, std::chrono::system_clock::time_point at)
{
    if (at == std::chrono::system_clock::time_point{})
        return;
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm local{};
    localtime_r(&t, &local);
    char text[16] = {};
    std::strftime(text, sizeof text, "%H:%M:%S", &local);
    const double scale = picture.cols / 640.0 * 0.6;
    const cv::Point origin(8, picture.rows - 10);
    cv::putText(picture, text, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), 3, cv::LINE_AA);
    cv::putText(picture, text, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
}

// One MP4 being written: the muxer, the encoder and their frame and packet.
class Mp4Writer
{
public:
    std::expected<void, ClipError> open(const QString &path, cv::Size size, const ClipSettings &settings)
    {
        const QByteArray file = QFile::encodeName(path);
        AVFormatContext *format = nullptr;
        if (const int rc = avformat_alloc_output_context2(&format, nullptr, "mp4", file.constData()); rc < 0)
            return fail(u"no MP4 muxer: "_s + avError(rc));
        m_format.reset(format);
        const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
        if (!codec)
            codec = avcodec_find_encoder(AV_CODEC_ID_H264);
        if (!codec)
            return fail(u"no H.264 encoder in libavcodec"_s);
        m_stream = avformat_new_stream(format, nullptr);
        m_codec.reset(avcodec_alloc_context3(codec));
        if (!m_stream || !m_codec)
            return fail(u"out of memory"_s);
        AVCodecContext *c = m_codec.get();
        c->width = size.width;
        c->height = size.height;
        c->pix_fmt = AV_PIX_FMT_YUV420P;
        c->time_base = AVRational{1, settings.fps};
        c->framerate = AVRational{settings.fps, 1};
        c->gop_size = settings.fps * 2; // a phone seeking in the clip finds a key frame every 2 s
        c->max_b_frames = 0;
        c->thread_count = 1; // one core of a Pi's four, and the daemon's other threads keep theirs
        c->rc_max_rate = int64_t(settings.maxKbitPerSecond) * 1000;
        c->rc_buffer_size = int(c->rc_max_rate);
        if (format->oformat->flags & AVFMT_GLOBALHEADER)
            c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        av_opt_set(c->priv_data, "preset", "veryfast", 0);
        av_opt_set(c->priv_data, "profile", "main", 0);
        av_opt_set(c->priv_data, "crf", "26", 0); // quality target; the VBV cap above bounds the size
        // no extra key frames at "scene cuts": on a noisy night picture x264 takes every frame for one, and 50 key
        // frames under the cap look far worse than 5 and 45 predicted ones
        av_opt_set(c->priv_data, "x264-params", "scenecut=0", 0);
        if (const int rc = avcodec_open2(c, codec, nullptr); rc < 0)
            return fail(u"cannot open the H.264 encoder: "_s + avError(rc));
        avcodec_parameters_from_context(m_stream->codecpar, c);
        m_stream->time_base = c->time_base;
        m_stream->avg_frame_rate = c->framerate;
        if (const int rc = avio_open(&format->pb, file.constData(), AVIO_FLAG_WRITE); rc < 0)
            return fail(u"cannot write "_s + path + u": "_s + avError(rc));
        AVDictionary *options = nullptr;
        av_dict_set(&options, "movflags", "+faststart", 0);
        const int rc = avformat_write_header(format, &options);
        av_dict_free(&options);
        if (rc < 0)
            return fail(u"cannot start the MP4: "_s + avError(rc));
        m_frame.reset(av_frame_alloc());
        m_packet.reset(av_packet_alloc());
        if (!m_frame || !m_packet)
            return fail(u"out of memory"_s);
        m_frame->format = c->pix_fmt;
        m_frame->width = c->width;
        m_frame->height = c->height;
        if (const int rc2 = av_frame_get_buffer(m_frame.get(), 0); rc2 < 0)
            return fail(u"no frame buffer: "_s + avError(rc2));
        return {};
    }

    // i420: the picture as one (h × 3/2) × w plane from cv::COLOR_BGR2YUV_I420.
    std::expected<void, ClipError> write(const cv::Mat &i420, int64_t pts)
    {
        if (const int rc = av_frame_make_writable(m_frame.get()); rc < 0)
            return fail(u"frame not writable: "_s + avError(rc));
        const int w = m_frame->width;
        const int h = m_frame->height;
        const uchar *y = i420.ptr();
        const uchar *u = y + w * h;
        const uchar *v = u + (w / 2) * (h / 2);
        for (int row = 0; row < h; ++row)
            std::copy_n(y + row * w, w, m_frame->data[0] + row * m_frame->linesize[0]);
        for (int row = 0; row < h / 2; ++row) {
            std::copy_n(u + row * (w / 2), w / 2, m_frame->data[1] + row * m_frame->linesize[1]);
            std::copy_n(v + row * (w / 2), w / 2, m_frame->data[2] + row * m_frame->linesize[2]);
        }
        m_frame->pts = pts;
        return send(m_frame.get());
    }

    std::expected<void, ClipError> finish()
    {
        if (auto sent = send(nullptr); !sent)
            return sent;
        if (const int rc = av_write_trailer(m_format.get()); rc < 0)
            return fail(u"cannot finish the MP4: "_s + avError(rc));
        if (const int rc = avio_closep(&m_format->pb); rc < 0)
            return fail(u"cannot close the MP4: "_s + avError(rc));
        return {};
    }

private:
    static std::unexpected<ClipError> fail(const QString &message) { return std::unexpected(ClipError{message}); }

    std::expected<void, ClipError> send(AVFrame *frame)
    {
        if (const int rc = avcodec_send_frame(m_codec.get(), frame); rc < 0)
            return fail(u"encoder refused a frame: "_s + avError(rc));
        for (;;) {
            const int rc = avcodec_receive_packet(m_codec.get(), m_packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
                return {};
            if (rc < 0)
                return fail(u"encoding failed: "_s + avError(rc));
            av_packet_rescale_ts(m_packet.get(), m_codec->time_base, m_stream->time_base);
            m_packet->stream_index = m_stream->index;
            if (const int wrc = av_interleaved_write_frame(m_format.get(), m_packet.get()); wrc < 0)
                return fail(u"cannot write the MP4: "_s + avError(wrc));
        }
    }

    std::unique_ptr<AVFormatContext, FormatDeleter> m_format;
    std::unique_ptr<AVCodecContext, CodecDeleter> m_codec;
    std::unique_ptr<AVFrame, FrameDeleter> m_frame;
    std::unique_ptr<AVPacket, PacketDeleter> m_packet;
    AVStream *m_stream = nullptr;
};

ClipResult encodeTo(const std::vector<ClipFrame> &frames, const ClipSettings &settings, const QString &partPath)
{
    const auto t0 = frames.front().timestamp;
    const auto span = std::min(frames.back().timestamp - t0, std::chrono::milliseconds(settings.maxSeconds));
    const int outputFrames = std::max(1, int(span.count() * settings.fps / 1000) + 1);
    const int maxFrames = int(settings.maxSeconds.count()) * settings.fps;

    Mp4Writer writer;
    cv::Size size;
    std::size_t shown = frames.size(); // the input frame in `picture`
    std::size_t next = 0;
    cv::Mat picture;
    cv::Mat i420;
    int written = 0;
    for (int k = 0; k < std::min(outputFrames, maxFrames); ++k) {
        const auto at = t0 + std::chrono::milliseconds(int64_t(k) * 1000 / settings.fps);
        while (next + 1 < frames.size() && frames[next + 1].timestamp <= at)
            ++next;
        if (next != shown) {
            const cv::Mat decoded = decode(frames[next]);
            if (decoded.empty() || decoded.type() != CV_8UC3) {
                if (shown == frames.size())
                    continue; // no picture yet: start at the first frame that decodes
                // an undecodable frame: keep showing the previous picture
            } else {
                if (size.empty()) {
                    size = outputSize(decoded.size(), settings.width);
                    if (auto opened = writer.open(partPath, size, settings); !opened)
                        return std::unexpected(opened.error());
                }
                if (decoded.size() == size)
                    decoded.copyTo(picture);
                else
                    cv::resize(decoded, picture, size, 0, 0, cv::INTER_AREA);
                if (settings.annotate)
                    caption(picture, frames[next].capturedAt);
                cv::cvtColor(picture, i420, cv::COLOR_BGR2YUV_I420);
            }
            shown = next;
        }
        if (auto sent = writer.write(i420, written); !sent)
            return std::unexpected(sent.error());
        ++written;
    }
    if (size.empty())
        return std::unexpected(ClipError{u"no frame of the clip could be decoded"_s});
    if (auto done = writer.finish(); !done)
        return std::unexpected(done.error());
    ClipInfo info;
    info.width = size.width;
    info.height = size.height;
    info.frames = written;
    info.duration = std::chrono::milliseconds(int64_t(written) * 1000 / settings.fps);
    return info;
}

} // namespace

ClipResult encodeClip(const std::vector<ClipFrame> &frames, const ClipSettings &settings, const QString &path)
{
    if (frames.empty())
        return std::unexpected(ClipError{u"no frames for "_s + path});
    if (settings.fps < 1 || settings.width < 2 || settings.maxSeconds.count() < 1 || settings.maxKbitPerSecond < 1)
        return std::unexpected(ClipError{u"bad clip settings"_s});
    routeLibavLog();
    const auto cpu0 = threadCpu();
    const QString partPath = path + u".part"_s;
    ClipResult result = encodeTo(frames, settings, partPath);
    if (result) {
        QFile::remove(path);
        if (!QFile::rename(partPath, path))
            result = std::unexpected(ClipError{u"cannot rename "_s + partPath + u" to "_s + path});
    }
    if (!result) {
        QFile::remove(partPath);
        result.error().message = u"clip "_s + QFileInfo(path).fileName() + u": "_s + result.error().message;
        return result;
    }
    result->path = path;
    result->bytes = QFileInfo(path).size();
    result->encodeCpu = threadCpu() - cpu0;
    return result;
}

QFuture<ClipResult> encodeClipAsync(QThreadPool *pool, std::vector<ClipFrame> frames, ClipSettings settings,
                                    QString path)
{
    return QtConcurrent::run(pool, [frames = std::move(frames), settings, path = std::move(path)] {
        return encodeClip(frames, settings, path);
    });
}

} // namespace garage
