// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/text.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>

/** Scanning helpers shared by the draft modules (slugs, YAML, word counts, grounding). Internal. */
namespace trend::draft {

using text::CodePoint;
using text::decode_utf8;

/** True for the bytes that can sit inside an ASCII word. */
[[nodiscard]] constexpr bool is_ascii_alnum(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** If a bare URL ("https://...", "http://...", "www....") starts at s[i], the index just past
 *  it; otherwise i. A URL ends at white space, at one of <>"()[] or at a non-ASCII character
 *  (prose punctuation such as a closing curly quote). */
[[nodiscard]] inline std::size_t url_end(std::string_view s, std::size_t i) noexcept {
    if (i > 0 && is_ascii_alnum(s[i - 1]))
        return i;
    const std::string_view rest = s.substr(i);
    if (!rest.starts_with("https://") && !rest.starts_with("http://") && !rest.starts_with("www."))
        return i;
    constexpr std::string_view k_stop = " \t\r\n<>\"()[]";
    while (i < s.size() && k_stop.find(s[i]) == std::string_view::npos &&
           static_cast<unsigned char>(s[i]) < 0x80)
        ++i;
    return i;
}

/** If a Markdown link target "](...)" starts at s[i], the index just past its ')' (nested
 *  parentheses allowed, same line only, at most 2 KiB); otherwise i. */
[[nodiscard]] inline std::size_t link_target_end(std::string_view s, std::size_t i) noexcept {
    constexpr std::size_t k_max_target = 2048; // keeps scanning linear on hostile text
    if (!s.substr(i).starts_with("]("))
        return i;
    const std::size_t limit = std::min(s.size(), i + k_max_target);
    int depth = 0;
    for (std::size_t k = i + 1; k < limit && s[k] != '\n'; ++k) {
        if (s[k] == '(')
            ++depth;
        else if (s[k] == ')' && --depth == 0)
            return k + 1;
    }
    return i;
}

} // namespace trend::draft
