// SPDX-License-Identifier: MIT
#include "trend/feed/traffic.hpp"

#include <array>
#include <limits>

// The rule, after trimming white space (ASCII, U+00A0, U+202F, U+2009):
//   label   = number [ws] [suffix] [ws] ["+"]
//   suffix  = "K" | "k" (x 1,000) | "M" | "m" (x 1,000,000)
// Without a suffix the number is an integer, either plain digits ("2000") or groups of three
// digits after a first group of one to three, all joined by the same separator: ",", ".", "'"
// or a space ("20,000", "20.000", "20 000", "1,000,000"). Anything else ("1,2,3", "1.5",
// "20,00") is ambiguous and refused. With a suffix the number may carry a decimal part of one
// or two digits, after "." or "," ("1.5M", "1,5M"); a three-digit part ("1.500K") could be a
// thousands group and is refused. Signs, other scripts' digits and units ("2천+") are refused,
// and so is any value that does not fit in int64.

namespace trend::feed {

namespace {

constexpr std::size_t k_max_label = 64;

using Buffer = std::array<char, k_max_label>;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_separator(char c) {
    return c == ',' || c == '.' || c == ' ' || c == '\'';
}

// Copies the label to ASCII, turning the no-break and thin spaces into ' '. False for any other
// non-ASCII byte or a label too long to be a traffic bucket.
bool to_ascii(std::string_view label, Buffer& buf, std::size_t& size) noexcept {
    static constexpr std::array<std::string_view, 3> k_spaces{"\u00a0", "\u202f", "\u2009"};
    size = 0;
    for (std::size_t i = 0; i < label.size();) {
        if (size == buf.size())
            return false;
        if (static_cast<unsigned char>(label[i]) < 0x80) {
            buf[size++] = label[i++];
            continue;
        }
        const std::string_view rest = label.substr(i);
        std::size_t matched = 0;
        for (const auto space : k_spaces)
            if (rest.starts_with(space))
                matched = space.size();
        if (matched == 0)
            return false;
        buf[size++] = ' ';
        i += matched;
    }
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool push_digit(std::int64_t& value, char digit) noexcept {
    constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
    const int d = digit - '0';
    if (value > (k_max - d) / 10)
        return false;
    value = value * 10 + d;
    return true;
}

std::optional<std::int64_t> parse_digits(std::string_view s) noexcept {
    if (s.empty())
        return std::nullopt;
    std::int64_t value = 0;
    for (const char c : s)
        if (!is_digit(c) || !push_digit(value, c))
            return std::nullopt;
    return value;
}

std::optional<std::int64_t> parse_grouped(std::string_view s) noexcept {
    std::size_t first = 0;
    while (first < s.size() && is_digit(s[first]))
        ++first;
    if (first == s.size())
        return parse_digits(s);
    const char separator = s[first];
    if (first == 0 || first > 3 || !is_separator(separator))
        return std::nullopt;
    std::int64_t value = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool separator_slot = i >= first && (i - first) % 4 == 0;
        if (separator_slot ? s[i] != separator : !is_digit(s[i]))
            return std::nullopt;
        if (!separator_slot && !push_digit(value, s[i]))
            return std::nullopt;
    }
    if ((s.size() - first) % 4 != 0) // the last group is short
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> parse_scaled(std::string_view s, int exponent) noexcept {
    const std::size_t dot = s.find_first_of(".,");
    const std::string_view whole = s.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 2))
        return std::nullopt;
    auto value = parse_digits(whole);
    if (!value)
        return std::nullopt;
    for (int i = 0; i < exponent; ++i) {
        const char digit = static_cast<std::size_t>(i) < fraction.size() ? fraction[i] : '0';
        if (!is_digit(digit) || !push_digit(*value, digit))
            return std::nullopt;
    }
    return value;
}

} // namespace

std::optional<std::int64_t> parse_traffic(std::string_view label) noexcept {
    Buffer buf{};
    std::size_t size = 0;
    if (!to_ascii(label, buf, size))
        return std::nullopt;
    std::string_view s = trim({buf.data(), size});
    if (!s.empty() && s.back() == '+')
        s = trim(s.substr(0, s.size() - 1));
    int exponent = 0;
    if (!s.empty() && (s.back() == 'K' || s.back() == 'k'))
        exponent = 3;
    else if (!s.empty() && (s.back() == 'M' || s.back() == 'm'))
        exponent = 6;
    if (exponent == 0)
        return parse_grouped(s);
    return parse_scaled(trim(s.substr(0, s.size() - 1)), exponent);
}

} // namespace trend::feed
