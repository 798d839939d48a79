// SPDX-License-Identifier: MIT
#include "trend/util/text.hpp"

#include <unicode/uchar.h>

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>

namespace trend::text {

namespace {

constexpr char32_t k_replacement = 0xFFFD;

unsigned char byte_at(std::string_view s, std::size_t i) {
    return static_cast<unsigned char>(s[i]);
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_dropped_control(char32_t cp) {
    return cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
}

// The Unicode White_Space property.
bool is_space(char32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

char ascii_lower_char(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

// glibc's C.UTF-8 LC_CTYPE carries the full Unicode lower-case mapping; created once, never
// freed (it lives as long as the process).
locale_t utf8_ctype() {
    static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
    return loc;
}

// Where simple case folding (CaseFolding.txt, status C/S) differs from lower-casing: the final
// sigma, the micro sign, the long s and the Greek letter symbols.
struct FoldPair {
    char32_t from;
    char32_t to;
};
constexpr std::array<FoldPair, 12> k_fold_exceptions{{
    {0x00B5, 0x03BC},
    {0x017F, 0x0073},
    {0x03C2, 0x03C3},
    {0x03D0, 0x03B2},
    {0x03D1, 0x03B8},
    {0x03D5, 0x03C6},
    {0x03D6, 0x03C0},
    {0x03F0, 0x03BA},
    {0x03F1, 0x03C1},
    {0x03F5, 0x03B5},
    {0x1E9B, 0x1E61},
    {0x1FBE, 0x03B9},
}};

char32_t fold_case(char32_t cp) {
    if (cp < 0x80)
        return static_cast<unsigned char>(ascii_lower_char(static_cast<char>(cp)));
    for (const auto& pair : k_fold_exceptions)
        if (pair.from == cp)
            return pair.to;
    const locale_t loc = utf8_ctype();
    if (loc == locale_t{})
        return cp;
    return static_cast<char32_t>(towlower_l(static_cast<wint_t>(cp), loc));
}

struct NamedRef {
    std::string_view name;
    char32_t cp;
};

// HTML named character references: the ones that occur in news text, not the full 2,231.
constexpr std::array<NamedRef, 140> k_named_refs{{
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},     {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"zwnj", 0x200C},   {"zwj", 0x200D},    {"lrm", 0x200E},
    {"rlm", 0x200F},    {"ndash", 0x2013},  {"mdash", 0x2014},  {"lsquo", 0x2018},
    {"rsquo", 0x2019},  {"sbquo", 0x201A},  {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"bdquo", 0x201E},  {"laquo", 0xAB},    {"raquo", 0xBB},    {"lsaquo", 0x2039},
    {"rsaquo", 0x203A}, {"hellip", 0x2026}, {"bull", 0x2022},   {"middot", 0xB7},
    {"prime", 0x2032},  {"Prime", 0x2033},  {"dagger", 0x2020}, {"Dagger", 0x2021},
    {"permil", 0x2030}, {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},
    {"deg", 0xB0},      {"plusmn", 0xB1},   {"times", 0xD7},    {"divide", 0xF7},
    {"minus", 0x2212},  {"frac12", 0xBD},   {"frac14", 0xBC},   {"frac34", 0xBE},
    {"sup1", 0xB9},     {"sup2", 0xB2},     {"sup3", 0xB3},     {"micro", 0xB5},
    {"para", 0xB6},     {"sect", 0xA7},     {"cent", 0xA2},     {"pound", 0xA3},
    {"yen", 0xA5},      {"euro", 0x20AC},   {"curren", 0xA4},   {"iexcl", 0xA1},
    {"iquest", 0xBF},   {"shy", 0xAD},      {"macr", 0xAF},     {"acute", 0xB4},
    {"cedil", 0xB8},    {"uml", 0xA8},      {"ordf", 0xAA},     {"ordm", 0xBA},
    {"not", 0xAC},      {"brvbar", 0xA6},   {"circ", 0x2C6},    {"tilde", 0x2DC},
    {"larr", 0x2190},   {"rarr", 0x2192},   {"uarr", 0x2191},   {"darr", 0x2193},
    {"harr", 0x2194},   {"Agrave", 0xC0},   {"Aacute", 0xC1},   {"Acirc", 0xC2},
    {"Atilde", 0xC3},   {"Auml", 0xC4},     {"Aring", 0xC5},    {"AElig", 0xC6},
    {"Ccedil", 0xC7},   {"Egrave", 0xC8},   {"Eacute", 0xC9},   {"Ecirc", 0xCA},
    {"Euml", 0xCB},     {"Igrave", 0xCC},   {"Iacute", 0xCD},   {"Icirc", 0xCE},
    {"Iuml", 0xCF},     {"ETH", 0xD0},      {"Ntilde", 0xD1},   {"Ograve", 0xD2},
    {"Oacute", 0xD3},   {"Ocirc", 0xD4},    {"Otilde", 0xD5},   {"Ouml", 0xD6},
    {"Oslash", 0xD8},   {"Ugrave", 0xD9},   {"Uacute", 0xDA},   {"Ucirc", 0xDB},
    {"Uuml", 0xDC},     {"Yacute", 0xDD},   {"THORN", 0xDE},    {"szlig", 0xDF},
    {"agrave", 0xE0},   {"aacute", 0xE1},   {"acirc", 0xE2},    {"atilde", 0xE3},
    {"auml", 0xE4},     {"aring", 0xE5},    {"aelig", 0xE6},    {"ccedil", 0xE7},
    {"egrave", 0xE8},   {"eacute", 0xE9},   {"ecirc", 0xEA},    {"euml", 0xEB},
    {"igrave", 0xEC},   {"iacute", 0xED},   {"icirc", 0xEE},    {"iuml", 0xEF},
    {"eth", 0xF0},      {"ntilde", 0xF1},   {"ograve", 0xF2},   {"oacute", 0xF3},
    {"ocirc", 0xF4},    {"otilde", 0xF5},   {"ouml", 0xF6},     {"oslash", 0xF8},
    {"ugrave", 0xF9},   {"uacute", 0xFA},   {"ucirc", 0xFB},    {"uuml", 0xFC},
    {"yacute", 0xFD},   {"thorn", 0xFE},    {"yuml", 0xFF},     {"Yuml", 0x178},
    {"OElig", 0x152},   {"oelig", 0x153},   {"Scaron", 0x160},  {"scaron", 0x161},
}};

// HTML5 maps numeric references to 0x80-0x9F through windows-1252, because that is what
// legacy pages meant by them (&#146; is a right quote). 0 = undefined, kept as is.
constexpr std::array<char32_t, 32> k_windows_1252{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char32_t sanitize_reference(char32_t cp) {
    if (cp >= 0x80 && cp <= 0x9F && k_windows_1252[cp - 0x80] != 0)
        return k_windows_1252[cp - 0x80];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || is_dropped_control(cp))
        return k_replacement;
    return cp;
}

struct Reference {
    char32_t cp;
    std::size_t len; ///< bytes of "&...;"
};

// s starts after "&#". Digits beyond U+10FFFF saturate so that huge numbers cannot overflow.
std::optional<Reference> parse_numeric_reference(std::string_view s) {
    const bool hex = !s.empty() && (s[0] == 'x' || s[0] == 'X');
    std::size_t i = hex ? 1 : 0;
    const std::size_t first_digit = i;
    std::uint32_t value = 0;
    for (; i < s.size(); ++i) {
        const char c = ascii_lower_char(s[i]);
        int digit = -1;
        if (is_ascii_digit(c))
            digit = c - '0';
        else if (hex && c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        if (digit < 0)
            break;
        value = std::min<std::uint32_t>(value * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit),
                                        0x110000);
    }
    if (i == first_digit || i >= s.size() || s[i] != ';')
        return std::nullopt;
    return Reference{sanitize_reference(value), i + 3};
}

// s starts after "&".
std::optional<Reference> parse_named_reference(std::string_view s) {
    constexpr std::size_t k_longest_name = 32;
    std::size_t i = 0;
    while (i < s.size() && i <= k_longest_name && (is_ascii_alpha(s[i]) || is_ascii_digit(s[i])))
        ++i;
    if (i == 0 || i >= s.size() || s[i] != ';')
        return std::nullopt;
    const std::string_view name = s.substr(0, i);
    for (const auto& ref : k_named_refs)
        if (ref.name == name)
            return Reference{ref.cp, i + 2};
    return std::nullopt;
}

// s starts at '&'.
std::optional<Reference> parse_reference(std::string_view s) {
    if (s.size() > 1 && s[1] == '#')
        return parse_numeric_reference(s.substr(2));
    return parse_named_reference(s.substr(1));
}

} // namespace

// Strict decoding per Unicode Table 3-7 (no overlongs, no surrogates, nothing past U+10FFFF).
CodePoint decode_utf8(std::string_view s, std::size_t i) noexcept {
    const unsigned char b0 = byte_at(s, i);
    if (b0 < 0x80)
        return {b0, 1, true};
    std::size_t need = 0;
    char32_t cp = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        cp = b0 & 0x0Fu;
        lo = b0 == 0xE0 ? 0xA0 : 0x80;
        hi = b0 == 0xED ? 0x9F : 0xBF;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        cp = b0 & 0x07u;
        lo = b0 == 0xF0 ? 0x90 : 0x80;
        hi = b0 == 0xF4 ? 0x8F : 0xBF;
    } else {
        return {k_replacement, 1, false};
    }
    for (std::size_t k = 1; k <= need; ++k) {
        if (i + k >= s.size() || byte_at(s, i + k) < lo || byte_at(s, i + k) > hi)
            return {k_replacement, k, false};
        cp = (cp << 6) | (byte_at(s, i + k) & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    return {cp, need + 1, true};
}

std::string repair_utf8(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size();) {
        const CodePoint d = decode_utf8(in, i);
        if (!d.valid)
            append_utf8(out, k_replacement);
        else if (!is_dropped_control(d.value))
            out.append(in.substr(i, d.size));
        i += d.size;
    }
    return out;
}

std::string collapse_whitespace(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < in.size();) {
        const CodePoint d = decode_utf8(in, i);
        if (d.valid && is_space(d.value)) {
            pending_space = !out.empty();
        } else {
            if (pending_space)
                out += ' ';
            pending_space = false;
            out.append(in.substr(i, d.size));
        }
        i += d.size;
    }
    return out;
}

std::string normalize_term(std::string_view in) {
    const std::string collapsed = collapse_whitespace(in);
    std::string out;
    out.reserve(collapsed.size());
    for (std::size_t i = 0; i < collapsed.size();) {
        const CodePoint d = decode_utf8(collapsed, i);
        if (d.valid)
            append_utf8(out, fold_case(d.value));
        else
            out.append(collapsed, i, d.size);
        i += d.size;
    }
    return out;
}

std::string decode_html_entities(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size();) {
        const std::size_t amp = in.find('&', i);
        out.append(in.substr(i, amp == std::string_view::npos ? amp : amp - i));
        if (amp == std::string_view::npos)
            break;
        if (const auto ref = parse_reference(in.substr(amp))) {
            append_utf8(out, ref->cp);
            i = amp + ref->len;
        } else {
            out += '&';
            i = amp + 1;
        }
    }
    return out;
}

std::string strip_html_tags(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size();) {
        const bool is_tag =
            in[i] == '<' && i + 1 < in.size() &&
            (is_ascii_alpha(in[i + 1]) || in[i + 1] == '/' || in[i + 1] == '!' || in[i + 1] == '?');
        if (!is_tag) {
            out += in[i++];
            continue;
        }
        const bool comment = in.substr(i).starts_with("<!--");
        const std::size_t end = comment ? in.find("-->", i + 4) : in.find('>', i + 1);
        if (end == std::string_view::npos) { // not a tag after all: keep the text as written
            out.append(in.substr(i));
            break;
        }
        i = end + (comment ? 3 : 1);
    }
    return out;
}

std::size_t utf8_length(std::string_view in) {
    std::size_t n = 0;
    for (const char c : in)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    return n;
}

std::size_t display_width(std::string_view in) {
    // East Asian Wide and Fullwidth ranges (and emoji), which terminals draw two columns wide.
    static constexpr std::pair<char32_t, char32_t> k_wide[] = {
        {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
        {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
        {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
    };
    std::size_t width = 0;
    for (std::size_t i = 0; i < in.size();) {
        const CodePoint d = decode_utf8(in, i);
        i += d.size;
        const bool wide = std::any_of(std::begin(k_wide), std::end(k_wide), [&](const auto& r) {
            return d.value >= r.first && d.value <= r.second;
        });
        width += wide ? 2 : 1;
    }
    return width;
}

namespace {

bool is_emoji(char32_t cp) {
    return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF);
}

bool hides_or_reorders(char32_t cp) {
    const auto type = static_cast<UCharCategory>(u_charType(static_cast<UChar32>(cp)));
    return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_LINE_SEPARATOR ||
           type == U_PARAGRAPH_SEPARATOR;
}

} // namespace

std::string terminal_safe(std::string_view in) {
    const std::string clean = repair_utf8(in);
    std::string out;
    out.reserve(clean.size());
    char32_t previous = 0;
    for (std::size_t i = 0; i < clean.size();) {
        const CodePoint d = decode_utf8(clean, i);
        const bool joins_emoji = d.value == 0x200D && is_emoji(previous) &&
                                 i + d.size < clean.size() && is_emoji(decode_utf8(clean, i + d.size).value);
        if (hides_or_reorders(d.value) && !joins_emoji) {
            char escape[16];
            std::snprintf(escape, sizeof escape, d.value > 0xFFFF ? "\\U%08X" : "\\u%04X",
                          static_cast<unsigned>(d.value));
            out += escape;
        } else {
            out.append(clean, i, d.size);
        }
        previous = d.value;
        i += d.size;
    }
    return out;
}

std::string_view utf8_prefix(std::string_view in, std::size_t max_bytes) {
    if (in.size() <= max_bytes)
        return in;
    std::size_t cut = max_bytes;
    while (cut > 0 && (byte_at(in, cut) & 0xC0) == 0x80)
        --cut;
    return in.substr(0, cut);
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (ascii_lower_char(s[i]) != ascii_lower_char(prefix[i]))
            return false;
    return true;
}

std::string ascii_lower(std::string_view in) {
    std::string out{in};
    for (char& c : out)
        c = ascii_lower_char(c);
    return out;
}

} // namespace trend::text
