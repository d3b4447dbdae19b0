// Reads mask polygons from their config text: "x,y x,y x,y | x,y ..." in normalized 0..1 coordinates.
#pragma once

#include "motion/MotionConfig.h"

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace garage {

// Polygons are separated by '|' (or ';'), points by whitespace, coordinates by ','. Each polygon needs at least 3 points,
// every coordinate must lie in 0..1. Returns the reason on error.
std::expected<std::vector<MaskPolygon>, std::string> parseMaskPolygons(std::string_view text);

// The inverse, for printing the effective configuration.
std::string formatMaskPolygons(const std::vector<MaskPolygon> &masks);

} // namespace garage
