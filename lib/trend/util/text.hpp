// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

/** Text hygiene for everything that comes from outside: feeds, configs, model replies. */
namespace trend::text {

/** One code point read from UTF-8. */
struct CodePoint {
    char32_t value;   ///< U+FFFD for an invalid sequence
    std::size_t size; ///< bytes it occupies, at least 1
    bool valid;
};

/** Decodes the code point at s[i] (i < s.size()) strictly: no overlong forms, surrogates or
 *  values past U+10FFFF. An invalid sequence reads as U+FFFD whose size is its maximal
 *  subpart (at least 1 byte), so callers always progress and replace invalid input as the
 *  Unicode standard and WHATWG recommend. The one UTF-8 decoder of trendd. */
[[nodiscard]] CodePoint decode_utf8(std::string_view s, std::size_t i) noexcept;

/** Returns valid UTF-8: every invalid or overlong sequence and every stray byte becomes U+FFFD;
 *  NUL and C0 controls other than \t \n \r are dropped. Valid input is returned unchanged. */
[[nodiscard]] std::string repair_utf8(std::string_view in);

/** Trims and collapses every run of Unicode white space (including U+00A0 and U+202F) to one
 *  ASCII space. Expects valid UTF-8. */
[[nodiscard]] std::string collapse_whitespace(std::string_view in);

/** The identity of a term: Unicode-aware lower case (simple case folding), trimmed, inner
 *  white space collapsed. "  OpenAI\u00a0 News " -> "openai news". Expects valid UTF-8. */
[[nodiscard]] std::string normalize_term(std::string_view in);

/** Decodes HTML character references once: named (&amp; &nbsp; &quot; &#39; ...), decimal and
 *  hex. Unknown or malformed references are kept as written. &nbsp; becomes U+00A0. */
[[nodiscard]] std::string decode_html_entities(std::string_view in);

/** Removes HTML tags (<b>, </b>, <br/>...) but keeps their text. */
[[nodiscard]] std::string strip_html_tags(std::string_view in);

/** Number of Unicode code points in valid UTF-8. */
[[nodiscard]] std::size_t utf8_length(std::string_view in);

/** Terminal columns of valid UTF-8: East Asian wide characters and emoji count two. */
[[nodiscard]] std::size_t display_width(std::string_view in);

/**
 * Text safe to print on a terminal, one line: invalid UTF-8 repaired, and every control
 * character (Cc: ESC, DEL, C1...), format character (Cf: bidi overrides and isolates U+202A-202E
 * and U+2066-2069, zero-width space and joiners, BOM, tags...) and line or paragraph separator
 * shown as an ASCII escape ("\u202E", "\U000E0001"), so nothing can reorder, hide or restyle
 * what surrounds it. A zero-width joiner between two emoji is kept (emoji sequences). CJK and
 * emoji pass unchanged, so display_width still counts them two columns.
 */
[[nodiscard]] std::string terminal_safe(std::string_view in);

/** Cuts valid UTF-8 to at most max_bytes without splitting a code point. */
[[nodiscard]] std::string_view utf8_prefix(std::string_view in, std::size_t max_bytes);

/** True when s starts with prefix, ignoring ASCII case. */
[[nodiscard]] bool istarts_with(std::string_view s, std::string_view prefix);

/** ASCII lower case. */
[[nodiscard]] std::string ascii_lower(std::string_view in);

} // namespace trend::text
