// A fuzz input read front to back: small numbers for choices (chunk sizes, times), the rest as bytes or text.
#pragma once

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace garage::fuzz {

class FuzzInput
{
public:
    FuzzInput(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) {}

    bool empty() const { return m_pos >= m_size; }
    // One byte (0 once the input is used up).
    std::uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    std::uint32_t u32()
    {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v = (v << 8) | byte();
        return v;
    }
    // Up to n bytes.
    QByteArray bytes(std::size_t n)
    {
        const std::size_t take = std::min(n, m_size - std::min(m_pos, m_size));
        QByteArray out(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(take));
        m_pos += take;
        return out;
    }
    QByteArray rest() { return bytes(m_size); }
    static QByteArray all(const std::uint8_t *data, std::size_t size)
    {
        return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
    }

private:
    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

} // namespace garage::fuzz
