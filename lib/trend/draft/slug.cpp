// SPDX-License-Identifier: MIT
#include "trend/draft/slug.hpp"

#include "trend/draft/scan.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace trend::draft {

namespace {

// The shortest slug a term can get: "trend-" and 8 hex digits.
constexpr std::size_t k_min_len = 14;

// Longer terms add nothing to a slug of 80 bytes; the cap keeps ICU's work bounded.
constexpr std::size_t k_max_input = 1024;

/** ICU's "Any-Latin; Latin-ASCII" (台積電 -> "tai ji dian", Straße -> "Strasse"); one
 *  instance per thread, since a Transliterator is not safe to share. The input unchanged if
 *  ICU cannot build the transform. */
std::string to_latin_ascii(std::string_view utf8) {
    thread_local const std::unique_ptr<icu::Transliterator> k_transform = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> t(
            icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
        return U_SUCCESS(status) ? std::move(t) : nullptr;
    }();
    if (!k_transform)
        return std::string(utf8);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
    k_transform->transliterate(u);
    std::string out;
    u.toUTF8String(out);
    return out;
}

bool is_combining_mark(char32_t cp) {
    return cp >= 0x300 && cp <= 0x36F;
}

bool is_apostrophe(char32_t cp) {
    return cp == '\'' || cp == 0x2019;
}

// Lower-case ASCII words joined by single '-', no '-' at either end.
std::string ascii_words(std::string_view term) {
    std::string out;
    bool pending_separator = false;
    auto append = [&](std::string_view letters) {
        if (pending_separator && !out.empty())
            out += '-';
        pending_separator = false;
        out += letters;
    };
    for (std::size_t i = 0; i < term.size();) {
        const CodePoint cp = decode_utf8(term, i);
        i += cp.size;
        if (cp.value < 0x80 && is_ascii_alnum(static_cast<char>(cp.value))) {
            const char c = static_cast<char>(cp.value | 0x20); // ASCII lower case; digits keep
            append(std::string_view(&c, 1));
        } else if (!is_combining_mark(cp.value) && !is_apostrophe(cp.value)) {
            // Decomposed accents and apostrophes ("Macy's") stay inside their word.
            pending_separator = true;
        }
    }
    return out;
}

// Cuts at the last '-' that keeps at least half the budget, else mid-word.
std::string truncate_words(std::string slug, std::size_t max_len) {
    if (slug.size() <= max_len)
        return slug;
    const std::size_t dash = slug.rfind('-', max_len);
    slug.resize(dash != std::string::npos && dash >= max_len / 2 ? dash : max_len);
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    return slug;
}

std::uint32_t fnv1a_32(std::string_view s) {
    std::uint32_t h = 2166136261U;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619U;
    }
    return h;
}

} // namespace

std::string slugify(std::string_view term, std::size_t max_len) {
    max_len = std::max(max_len, k_min_len);
    const std::string clean = text::repair_utf8(term.substr(0, k_max_input));
    std::string slug = truncate_words(ascii_words(to_latin_ascii(clean)), max_len);
    if (slug.empty())
        slug = fmt::format("trend-{:08x}", fnv1a_32(text::normalize_term(clean)));
    return slug;
}

std::string draft_file_name(Timestamp date, std::string_view slug) {
    return fmt::format("{}-{}.md", format_iso(date).substr(0, 10), slug);
}

} // namespace trend::draft
