// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

/** Character sets of documents from outside (feeds, article pages), converted with ICU. */
namespace trend::text {

/**
 * Converts `bytes` written in `charset` to valid UTF-8. `charset` is a label as documents
 * write it ("ISO-8859-1", "windows-1252", "gb2312", "Shift_JIS", "utf-8"; case and
 * surrounding white space do not matter). As browsers do (WHATWG Encoding), ISO-8859-1,
 * Latin-1 and US-ASCII are read as windows-1252. Bytes that are invalid in the charset become
 * U+FFFD. Returns nullopt when the charset is unknown. A UTF-8 label repairs the input
 * (repair_utf8) without a round trip through ICU.
 */
[[nodiscard]] std::optional<std::string> to_utf8(std::string_view bytes, std::string_view charset);

/** The charset a byte order mark at the start of `bytes` names ("UTF-8", "UTF-16LE",
 *  "UTF-16BE"), with the length of the mark; nullopt when there is none. */
struct Bom {
    std::string_view charset;
    std::size_t length = 0;
};
[[nodiscard]] std::optional<Bom> bom_of(std::string_view bytes) noexcept;

/** The `charset` parameter of a Content-Type header value, lower case ("text/html;
 *  charset=\"ISO-8859-1\"" -> "iso-8859-1"), or "" when there is none. */
[[nodiscard]] std::string charset_of_content_type(std::string_view content_type);

} // namespace trend::text
