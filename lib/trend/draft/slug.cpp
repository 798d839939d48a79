// SPDX-License-Identifier: MIT
#include "trend/draft/slug.hpp"

#include "trend/draft/scan.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace trend::draft {

namespace {

struct Transliteration {
    char32_t first;
    char32_t last;
    std::string_view ascii;
};

// Latin-1 Supplement and Latin Extended-A letters, in code point order. × and ÷ are absent on
// purpose: they separate words like any other symbol.
constexpr std::array k_transliterations{
    Transliteration{0xC0, 0xC5, "a"},   Transliteration{0xC6, 0xC6, "ae"},
    Transliteration{0xC7, 0xC7, "c"},   Transliteration{0xC8, 0xCB, "e"},
    Transliteration{0xCC, 0xCF, "i"},   Transliteration{0xD0, 0xD0, "d"},
    Transliteration{0xD1, 0xD1, "n"},   Transliteration{0xD2, 0xD6, "o"},
    Transliteration{0xD8, 0xD8, "o"},   Transliteration{0xD9, 0xDC, "u"},
    Transliteration{0xDD, 0xDD, "y"},   Transliteration{0xDE, 0xDE, "th"},
    Transliteration{0xDF, 0xDF, "ss"},  Transliteration{0xE0, 0xE5, "a"},
    Transliteration{0xE6, 0xE6, "ae"},  Transliteration{0xE7, 0xE7, "c"},
    Transliteration{0xE8, 0xEB, "e"},   Transliteration{0xEC, 0xEF, "i"},
    Transliteration{0xF0, 0xF0, "d"},   Transliteration{0xF1, 0xF1, "n"},
    Transliteration{0xF2, 0xF6, "o"},   Transliteration{0xF8, 0xF8, "o"},
    Transliteration{0xF9, 0xFC, "u"},   Transliteration{0xFD, 0xFD, "y"},
    Transliteration{0xFE, 0xFE, "th"},  Transliteration{0xFF, 0xFF, "y"},
    Transliteration{0x100, 0x105, "a"}, Transliteration{0x106, 0x10D, "c"},
    Transliteration{0x10E, 0x111, "d"}, Transliteration{0x112, 0x11B, "e"},
    Transliteration{0x11C, 0x123, "g"}, Transliteration{0x124, 0x127, "h"},
    Transliteration{0x128, 0x131, "i"}, Transliteration{0x132, 0x133, "ij"},
    Transliteration{0x134, 0x135, "j"}, Transliteration{0x136, 0x138, "k"},
    Transliteration{0x139, 0x142, "l"}, Transliteration{0x143, 0x14B, "n"},
    Transliteration{0x14C, 0x151, "o"}, Transliteration{0x152, 0x153, "oe"},
    Transliteration{0x154, 0x159, "r"}, Transliteration{0x15A, 0x161, "s"},
    Transliteration{0x162, 0x167, "t"}, Transliteration{0x168, 0x173, "u"},
    Transliteration{0x174, 0x175, "w"}, Transliteration{0x176, 0x178, "y"},
    Transliteration{0x179, 0x17E, "z"}, Transliteration{0x17F, 0x17F, "s"},
};

// The shortest slug a term can get: "trend-" and 8 hex digits.
constexpr std::size_t k_min_len = 14;

std::string_view transliterate(char32_t cp) {
    const auto it =
        std::lower_bound(k_transliterations.begin(), k_transliterations.end(), cp,
                         [](const Transliteration& t, char32_t c) { return t.last < c; });
    return it != k_transliterations.end() && it->first <= cp ? it->ascii : std::string_view{};
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
        } else if (const std::string_view ascii = transliterate(cp.value); !ascii.empty()) {
            append(ascii);
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
    const std::string clean = text::repair_utf8(term);
    std::string slug = truncate_words(ascii_words(clean), max_len);
    if (slug.empty())
        slug = fmt::format("trend-{:08x}", fnv1a_32(text::normalize_term(clean)));
    return slug;
}

std::string draft_file_name(Timestamp date, std::string_view slug) {
    return fmt::format("{}-{}.md", format_iso(date).substr(0, 10), slug);
}

} // namespace trend::draft
