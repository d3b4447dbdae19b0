// The MJPEG stream parser fed in random chunk sizes: nothing crashes, memory stays within the part limit, every part
// it hands out is a JPEG (starts with SOI), and the searching stays linear in the bytes fed.
#include "FuzzInput.h"
#include "camera/MjpegStreamParser.h"

#include <cstdlib>

using namespace garage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::FuzzInput in(data, size);
    const std::uint8_t mode = in.byte();
    const QByteArray boundary = (mode & 1) ? QByteArray("frame") : QByteArray(); // announced or found in the body
    const std::size_t chunkSeed = 1 + in.byte();
    MjpegStreamParser parser(boundary, 64 * 1024);
    qsizetype fed = 0;
    qsizetype feeds = 0;
    while (!in.empty()) {
        const QByteArray chunk = in.bytes(1 + (chunkSeed * (std::size_t(in.byte()) + 1)) % 4096);
        fed += chunk.size();
        ++feeds;
        parser.feed(chunk);
        while (const auto part = parser.next())
            if (part->size() < 2 || std::uint8_t(part->at(0)) != 0xFF || std::uint8_t(part->at(1)) != 0xD8)
                std::abort();
    }
    // each byte is searched by a state or two, and each read searches back at most a boundary (256 bytes) and a
    // boundary line: anything more is a rescan that grows with the buffered data
    if (parser.scannedBytes() > 3 * fed + feeds * 600)
        std::abort();
    return 0;
}
