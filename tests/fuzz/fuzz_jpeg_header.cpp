// The JPEG header readers the frame source trusts before any decode: the size from the frame header and whether the
// data is whole. Any bytes: no crash, no read beyond the data (ASan), a size is positive when given.
#include "FuzzInput.h"
#include "camera/MjpegStreamParser.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView jpeg(reinterpret_cast<const char *>(data), qsizetype(size));
    const QSize s = garage::jpegImageSize(jpeg);
    if (s.isValid() && (s.width() <= 0 || s.height() <= 0 || s.width() > 65535 || s.height() > 65535))
        std::abort();
    (void)garage::jpegIsComplete(jpeg);
    return 0;
}
