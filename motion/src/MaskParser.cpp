#include "motion/MaskParser.h"

#include <algorithm>
#include <charconv>
#include <format>
#include <ranges>

namespace garage {
namespace {

std::string_view trim(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::expected<double, std::string> parseCoordinate(std::string_view text)
{
    double value = 0;
    const auto *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end)
        return std::unexpected(std::format("'{}' is not a number", text));
    if (value < 0.0 || value > 1.0)
        return std::unexpected(std::format("{} is outside 0..1", text));
    return value;
}

std::expected<NormalizedPoint, std::string> parsePoint(std::string_view text)
{
    const auto comma = text.find(',');
    if (comma == std::string_view::npos || text.find(',', comma + 1) != std::string_view::npos)
        return std::unexpected(std::format("point '{}' is not x,y", text));
    const auto x = parseCoordinate(trim(text.substr(0, comma)));
    if (!x)
        return std::unexpected(x.error());
    const auto y = parseCoordinate(trim(text.substr(comma + 1)));
    if (!y)
        return std::unexpected(y.error());
    return NormalizedPoint{*x, *y};
}

} // namespace

std::expected<std::vector<MaskPolygon>, std::string> parseMaskPolygons(std::string_view text)
{
    std::vector<MaskPolygon> result;
    if (trim(text).empty())
        return result;
    // '|' separates polygons ('; ' is accepted too, but QSettings treats ';' as a comment in INI files)
    std::string normalized(text);
    std::ranges::replace(normalized, ';', '|');
    for (const auto polygonRange : std::views::split(std::string_view(normalized), '|')) {
        const auto polygonText = trim(std::string_view(polygonRange.begin(), polygonRange.end()));
        if (polygonText.empty())
            continue;
        MaskPolygon polygon;
        for (const auto pointRange : std::views::split(polygonText, ' ')) {
            const auto pointText = trim(std::string_view(pointRange.begin(), pointRange.end()));
            if (pointText.empty())
                continue;
            const auto point = parsePoint(pointText);
            if (!point)
                return std::unexpected(point.error());
            polygon.push_back(*point);
        }
        if (polygon.size() < 3)
            return std::unexpected(std::format("polygon '{}' has fewer than 3 points", polygonText));
        result.push_back(std::move(polygon));
    }
    return result;
}

std::string formatMaskPolygons(const std::vector<MaskPolygon> &masks)
{
    std::string out;
    for (const auto &polygon : masks) {
        if (!out.empty())
            out += " | ";
        for (std::size_t i = 0; i < polygon.size(); ++i)
            out += std::format("{}{},{}", i ? " " : "", polygon[i].x, polygon[i].y);
    }
    return out;
}

} // namespace garage
