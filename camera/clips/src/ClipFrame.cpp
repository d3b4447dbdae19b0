#include "clips/ClipFrame.h"

namespace garage {

std::size_t ClipFrame::bytes() const
{
    return std::size_t(jpeg.size()) + (bgr.empty() ? 0 : bgr.total() * bgr.elemSize());
}

} // namespace garage
