// SPDX-License-Identifier: MIT
// Text hygiene on any bytes: repair_utf8 gives valid UTF-8 and is idempotent; the functions that
// expect valid UTF-8 keep it valid; normalize_term is idempotent; utf8_prefix never splits a code
// point; charset conversion always yields UTF-8.
#include "fuzz_support.hpp"
#include "trend/util/charset.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::text_of(data, size);
    const std::string clean = text::repair_utf8(in);
    fuzz::check(fuzz::is_valid_utf8(clean), "repair_utf8 gives UTF-8", clean);
    const std::string norm = text::normalize_term(clean);
    fuzz::check(fuzz::is_valid_utf8(norm), "normalize_term keeps UTF-8", norm);
    fuzz::check(text::normalize_term(norm) == norm, "normalize_term is idempotent", norm);
    fuzz::check(fuzz::is_valid_utf8(text::collapse_whitespace(clean)), "collapse keeps UTF-8");
    fuzz::check(fuzz::is_valid_utf8(text::decode_html_entities(clean)), "entities keep UTF-8");
    fuzz::check(fuzz::is_valid_utf8(text::strip_html_tags(clean)), "tags stripped keep UTF-8");
    const std::string_view cut = text::utf8_prefix(clean, size / 2);
    fuzz::check(cut.size() <= size / 2 && fuzz::is_valid_utf8(cut), "utf8_prefix cuts cleanly");
    (void)text::display_width(clean);
    const std::string shown = text::terminal_safe(in);
    fuzz::check(fuzz::is_valid_utf8(shown), "terminal_safe gives UTF-8", shown);
    for (const char c : shown)
        fuzz::check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, "no C0 control or DEL",
                    shown);
    for (const std::string_view hidden : {"\u202E", "\u202D", "\u2066", "\u2067", "\u2068",
                                          "\u2069", "\u200B", "\uFEFF", "\u2028", "\u0085"})
        fuzz::check(shown.find(hidden) == std::string::npos, "no bidi, format or C1 character",
                    shown);
    static constexpr const char* k_charsets[] = {"utf-8",  "windows-1252", "shift_jis",
                                                 "gb2312", "utf-16le",     "iso-8859-2"};
    const char* charset = k_charsets[size % std::size(k_charsets)];
    if (const auto converted = text::to_utf8(in, charset))
        fuzz::check(fuzz::is_valid_utf8(*converted), "to_utf8 gives UTF-8", *converted);
    return 0;
}
