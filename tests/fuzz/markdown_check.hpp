// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

/** A deliberately stricter reader than any Markdown renderer, for tests and fuzzing: what in a
 *  draft could become a tag or a link to anything but an http(s) URL. */
namespace trend::fuzz {

inline bool escaped_at(std::string_view s, std::size_t k) {
    std::size_t n = 0;
    while (k > n && s[k - n - 1] == '\\')
        ++n;
    return n % 2 == 1;
}

inline bool safe_destination_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-._~:/?#[]@!$&'*+,;=%").find(c) != std::string_view::npos;
}

/** Why `md` could carry a tag or an unsafe link; nullopt when it cannot. */
inline std::optional<std::string> unsafe_markup(std::string_view md) {
    if (const auto lt = md.find('<'); lt != std::string_view::npos)
        return "raw '<' at byte " + std::to_string(lt);
    for (std::size_t i = 0; i + 1 < md.size(); ++i) {
        if (md[i] != ']' || md[i + 1] != '(' || escaped_at(md, i))
            continue;
        std::size_t j = i + 2;
        while (j < md.size() && (md[j] == ' ' || md[j] == '\t' || md[j] == '\n'))
            ++j;
        const std::string_view rest = md.substr(j);
        const bool web =
            rest.size() > 8 && (rest.substr(0, 7) == "http://" || rest.substr(0, 8) == "https://");
        if (!web)
            return "link to a non-web destination at byte " + std::to_string(i);
        std::size_t k = j;
        while (k < md.size() && safe_destination_byte(md[k]))
            ++k;
        if (k >= md.size() || md[k] != ')')
            return "link destination with unsafe characters at byte " + std::to_string(i);
    }
    // Reference definitions: "[x]: url" at the start of a line's content.
    std::size_t start = 0;
    while (start < md.size()) {
        const std::size_t nl = md.find('\n', start);
        const std::string_view line =
            md.substr(start, nl == std::string_view::npos ? nl : nl - start);
        const std::size_t k = line.find_first_not_of(" \t>-*+0123456789.)");
        if (k != std::string_view::npos && line[k] == '[' && !escaped_at(line, k)) {
            std::size_t close = k + 1;
            while (close < line.size() && line[close] != ']')
                close += line[close] == '\\' ? 2 : 1;
            if (close == std::string_view::npos ||
                (close + 1 < line.size() && line[close + 1] == ':'))
                return "reference definition: " + std::string(line.substr(0, 200));
        }
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    return std::nullopt;
}

/** Why `s`, meant as escaped inline text, could carry any Markdown structure at all. */
inline std::optional<std::string> unsafe_inline(std::string_view s) {
    if (auto why = unsafe_markup(s))
        return why;
    if (s.find('\n') != std::string_view::npos || s.find('\r') != std::string_view::npos)
        return "a line break";
    for (std::size_t i = 0; i < s.size(); ++i)
        if (std::string_view("[]()*_`|~{}").find(s[i]) != std::string_view::npos &&
            !escaped_at(s, i))
            return std::string("unescaped '") + s[i] + "' at byte " + std::to_string(i);
    return std::nullopt;
}

} // namespace trend::fuzz
