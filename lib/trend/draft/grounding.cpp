// SPDX-License-Identifier: MIT
#include "trend/draft/grounding.hpp"

#include "trend/draft/markdown.hpp"
#include "trend/draft/scan.hpp"
#include "trend/draft/sentences.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <utility>

namespace trend::draft::grounding {

namespace {

// ---- characters and small patterns -------------------------------------------------------

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_word_char(char c) {
    return is_ascii_alnum(c) || c == '_';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char at(std::string_view s, std::size_t i) {
    return i < s.size() ? s[i] : '\0';
}

std::size_t digits_end(std::string_view s, std::size_t i) {
    while (is_digit(at(s, i)))
        ++i;
    return i;
}

// `pattern` spells digits as 'd' and everything else literally: "dddd-dd-dd".
bool matches(std::string_view s, std::size_t i, std::string_view pattern) {
    if (s.size() - i < pattern.size())
        return false;
    for (std::size_t k = 0; k < pattern.size(); ++k)
        if (pattern[k] == 'd' ? !is_digit(s[i + k]) : s[i + k] != pattern[k])
            return false;
    return true;
}

// Where `word` (ASCII, any case) ends if it starts at s[i] and is not the start of a longer word.
std::optional<std::size_t> word_at(std::string_view s, std::size_t i, std::string_view word) {
    if (!text::istarts_with(s.substr(i), word) || is_alpha(at(s, i + word.size())))
        return std::nullopt;
    return i + word.size();
}

// One space between a number and its unit: ' ', no-break space or narrow no-break space.
std::size_t gap_end(std::string_view s, std::size_t i) {
    for (const std::string_view space : {" ", "\u00A0", "\u202F"})
        if (s.substr(i).starts_with(space))
            return i + space.size();
    return i;
}

// ---- numerals, units, currencies ---------------------------------------------------------

struct Numeral {
    std::size_t end;
    double value;
    bool literal; ///< a date, time or version: compared as written, not by value
};

// "2025-11-03", "14:00", "9:30:15".
std::size_t date_time_end(std::string_view s, std::size_t i) {
    for (const std::string_view pattern : {"dddd-dd-dd", "dd:dd:dd", "d:dd:dd", "dd:dd", "d:dd"})
        if (matches(s, i, pattern) && !is_digit(at(s, i + pattern.size())))
            return i + pattern.size();
    return i;
}

// "1,234,567" groups by thousands; anything else reads as plain digits.
std::size_t grouped_end(std::string_view s, std::size_t i) {
    const std::size_t lead = digits_end(s, i);
    if (lead - i > 3 || !matches(s, lead, ",ddd") || is_digit(at(s, lead + 4)))
        return lead;
    std::size_t end = lead;
    while (matches(s, end, ",ddd") && !is_digit(at(s, end + 4)))
        end += 4;
    return end;
}

bool is_inner_separator(std::string_view s, std::size_t i) {
    const char c = at(s, i);
    return (c == '.' || c == ',' || c == ':' || c == '/') && is_digit(at(s, i + 1));
}

Numeral read_numeral(std::string_view s, std::size_t i) {
    if (const std::size_t end = date_time_end(s, i); end != i)
        return {end, 0, true};
    std::size_t end = grouped_end(s, i);
    if (matches(s, end, ".d"))
        end = digits_end(s, end + 1);
    if (is_inner_separator(s, end)) { // "1.2.3", "24/7", "12,34"
        while (is_digit(at(s, end)) || is_inner_separator(s, end))
            ++end;
        return {end, 0, true};
    }
    std::string digits;
    for (const char c : s.substr(i, end - i))
        if (c != ',')
            digits += c;
    double value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return {end, value, false};
}

struct Unit {
    std::string_view word;
    std::string_view meaning; ///< ISO 4217 code
};

constexpr std::array k_currency_symbols{
    Unit{"US$", "USD"},    Unit{"$", "USD"},      Unit{"\u20AC", "EUR"},
    Unit{"\u00A3", "GBP"}, Unit{"\u00A5", "JPY"},
};
constexpr std::array k_currency_codes{Unit{"USD", "USD"}, Unit{"EUR", "EUR"}, Unit{"GBP", "GBP"},
                                      Unit{"JPY", "JPY"}};
constexpr std::array k_currency_words{
    Unit{"dollars", "USD"}, Unit{"euros", "EUR"}, Unit{"pounds", "GBP"}, Unit{"yen", "JPY"},
    Unit{"USD", "USD"},     Unit{"EUR", "EUR"},   Unit{"GBP", "GBP"},    Unit{"JPY", "JPY"},
};

struct Match {
    std::size_t end;
    std::string_view meaning;
};

// "$38", "US$38", "€ 5" is not one (symbols touch the number), "USD 38" and "USD38" are.
std::optional<Match> currency_prefix(std::string_view s, std::size_t i) {
    if (i > 0 && is_word_char(s[i - 1]))
        return std::nullopt;
    for (const Unit& u : k_currency_symbols)
        if (s.substr(i).starts_with(u.word) && is_digit(at(s, i + u.word.size())))
            return Match{i + u.word.size(), u.meaning};
    for (const Unit& u : k_currency_codes) {
        if (!s.substr(i).starts_with(u.word))
            continue;
        const std::size_t end = gap_end(s, i + u.word.size());
        if (is_digit(at(s, end)))
            return Match{end, u.meaning};
    }
    return std::nullopt;
}

// "38 billion dollars", "5 USD"; but in "5 USD 38" the code belongs to the 38.
std::optional<Match> currency_suffix(std::string_view s, std::size_t i) {
    const std::size_t from = gap_end(s, i);
    if (currency_prefix(s, from))
        return std::nullopt;
    for (const Unit& u : k_currency_words)
        if (const auto end = word_at(s, from, u.word))
            return Match{*end, u.meaning};
    return std::nullopt;
}

std::optional<std::size_t> percent_suffix(std::string_view s, std::size_t i) {
    const std::size_t from = gap_end(s, i);
    if (at(s, from) == '%')
        return from + 1;
    for (const std::string_view word : {"percent", "per cent"})
        if (const auto end = word_at(s, from, word))
            return end;
    return std::nullopt;
}

struct Scale {
    std::string_view word;
    double factor;
    bool attached_only; ///< "$5m" scales, "5 m" does not
};

constexpr std::array k_scales{
    Scale{"thousand", 1e3, false},  Scale{"million", 1e6, false}, Scale{"billion", 1e9, false},
    Scale{"trillion", 1e12, false}, Scale{"mn", 1e6, false},      Scale{"bn", 1e9, false},
    Scale{"tn", 1e12, false},       Scale{"k", 1e3, true},        Scale{"m", 1e6, true},
    Scale{"b", 1e9, true},          Scale{"t", 1e12, true},
};

std::optional<std::pair<std::size_t, double>> scale_suffix(std::string_view s, std::size_t i) {
    const std::size_t spaced = gap_end(s, i);
    for (const Scale& sc : k_scales) {
        if (const auto end = word_at(s, i, sc.word); end && !is_digit(at(s, *end)))
            return std::pair{*end, sc.factor};
        if (const auto end = word_at(s, spaced, sc.word); end && !sc.attached_only)
            return std::pair{*end, sc.factor};
    }
    return std::nullopt;
}

// ---- Markdown around the claims ------------------------------------------------------------

struct Citation {
    std::size_t end; ///< == start when there is none
    std::vector<unsigned> sources;
};

// "[3]" or "[1, 4]"; at most three digits per source so that "[2025]" stays a year.
Citation read_citation(std::string_view s, std::size_t i) {
    if (at(s, i) != '[')
        return {i, {}};
    std::vector<unsigned> sources;
    for (std::size_t k = i + 1;;) {
        const std::size_t end = digits_end(s, k);
        if (end == k || end - k > 3)
            return {i, {}};
        unsigned n = 0;
        std::from_chars(s.data() + k, s.data() + end, n);
        sources.push_back(n);
        if (at(s, end) == ']')
            return {end + 1, std::move(sources)};
        if (at(s, end) != ',')
            return {i, {}};
        k = gap_end(s, end + 1);
    }
}

// Skips what opens a line without being text: indentation, heading and quote markers, ordered
// list numbering ("1. ", "2) ").
std::size_t line_prefix_end(std::string_view s, std::size_t i) {
    while (is_space(at(s, i)) && at(s, i) != '\n')
        ++i;
    while (at(s, i) == '#' || at(s, i) == '>' || at(s, i) == ' ')
        ++i;
    const std::size_t digits = digits_end(s, i);
    if (digits != i && (at(s, digits) == '.' || at(s, digits) == ')') &&
        is_space(at(s, digits + 1)))
        return digits + 1;
    return i;
}

// A "[k]" that opens a line (after an optional bullet) labels an entry of a source list.
bool is_list_label(std::string_view s, std::size_t i) {
    auto skip_blanks_back = [&](std::size_t k) {
        while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
            --k;
        return k;
    };
    std::size_t k = skip_blanks_back(i);
    if (k > 0 && (s[k - 1] == '-' || s[k - 1] == '*' || s[k - 1] == '+'))
        k = skip_blanks_back(k - 1);
    return k == 0 || s[k - 1] == '\n';
}

std::size_t markup_end(std::string_view s, std::size_t i) {
    if (const std::size_t end = url_end(s, i); end != i)
        return end;
    if (const std::size_t end = link_target_end(s, i); end != i)
        return end;
    // A "[3]" before "(url)" is link text: stop at its ']' so the target is skipped next.
    const std::size_t end = read_citation(s, i).end;
    return end != i && at(s, end) == '(' ? end - 1 : end;
}

// ---- quotes ------------------------------------------------------------------------------

// Strips punctuation, quote marks and ellipses from both ends.
std::string_view trim_edges(std::string_view s) {
    constexpr std::string_view k_edge = " .,;:!?'\"";
    constexpr std::string_view k_ellipsis = "\u2026";
    while (true) {
        if (s.starts_with(k_ellipsis))
            s.remove_prefix(k_ellipsis.size());
        else if (s.ends_with(k_ellipsis))
            s.remove_suffix(k_ellipsis.size());
        else if (!s.empty() && k_edge.find(s.front()) != std::string_view::npos)
            s.remove_prefix(1);
        else if (!s.empty() && k_edge.find(s.back()) != std::string_view::npos)
            s.remove_suffix(1);
        else
            return s;
    }
}

// Lower case, one space between words, one style of quotes and apostrophes, no punctuation or
// quote marks at either end.
std::string normalize_passage(std::string_view s) {
    std::string unified = text::repair_utf8(s);
    constexpr std::array<std::pair<std::string_view, char>, 8> k_styles{{
        {"\u201C", '"'},
        {"\u201D", '"'},
        {"\u201E", '"'},
        {"\u00AB", '"'},
        {"\u00BB", '"'},
        {"\u2018", '\''},
        {"\u2019", '\''},
        {"\u201A", '\''},
    }};
    for (const auto& [from, to] : k_styles)
        for (auto p = unified.find(from); p != std::string::npos; p = unified.find(from, p + 1))
            unified.replace(p, from.size(), 1, to);
    return std::string(trim_edges(text::normalize_term(unified)));
}

std::size_t count_tokens(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        n += !is_space(s[i]) && (i == 0 || is_space(s[i - 1])) ? 1 : 0;
    return n;
}

// ---- dates -------------------------------------------------------------------------------

struct Month {
    std::string_view word;
    int number;
};

constexpr std::array k_months{
    Month{"January", 1},   Month{"February", 2}, Month{"March", 3},     Month{"April", 4},
    Month{"May", 5},       Month{"June", 6},     Month{"July", 7},      Month{"August", 8},
    Month{"September", 9}, Month{"October", 10}, Month{"November", 11}, Month{"December", 12},
    Month{"Sept", 9},      Month{"Jan", 1},      Month{"Feb", 2},       Month{"Mar", 3},
    Month{"Apr", 4},       Month{"Jun", 6},      Month{"Jul", 7},       Month{"Aug", 8},
    Month{"Sep", 9},       Month{"Oct", 10},     Month{"Nov", 11},      Month{"Dec", 12},
};

constexpr std::array<std::string_view, 7> k_weekdays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                     "Friday", "Saturday", "Sunday"};

// A capitalised month name or abbreviation ("Nov." included) at s[i]: its number and end.
std::optional<std::pair<int, std::size_t>> month_at(std::string_view s, std::size_t i) {
    if (!(at(s, i) >= 'A' && at(s, i) <= 'Z') || (i > 0 && is_alpha(s[i - 1])))
        return std::nullopt;
    for (const Month& m : k_months)
        if (s.substr(i).starts_with(m.word) && !is_alpha(at(s, i + m.word.size()))) {
            std::size_t end = i + m.word.size();
            if (m.word.size() <= 4 && at(s, end) == '.')
                ++end;
            return std::pair{m.number, end};
        }
    return std::nullopt;
}

// 1 or 2 digits from 1 to 31 standing alone at s[i]: the day and its end.
std::optional<std::pair<int, std::size_t>> day_at(std::string_view s, std::size_t i) {
    const std::size_t end = digits_end(s, i);
    if (end == i || end - i > 2 || is_word_char(at(s, end)))
        return std::nullopt;
    int day = 0;
    std::from_chars(s.data() + i, s.data() + end, day);
    if (day < 1 || day > 31)
        return std::nullopt;
    return std::pair{day, end};
}

// Four digits from 1000 to 2999 standing alone at s[i]: the year and its end.
std::optional<std::pair<int, std::size_t>> year_at(std::string_view s, std::size_t i) {
    const std::size_t end = digits_end(s, i);
    if (end - i != 4 || is_word_char(at(s, end)) || (s[i] != '1' && s[i] != '2'))
        return std::nullopt;
    int year = 0;
    std::from_chars(s.data() + i, s.data() + end, year);
    return std::pair{year, end};
}

// ---- the scanner -------------------------------------------------------------------------

/** A claim with what it is compared by. */
struct Fact {
    Claim claim;
    double value = 0;     ///< numbers, amounts, percentages
    std::string currency; ///< amounts: ISO 4217 code
    std::string exact;    ///< compared as text: a quote's or name's normalised words, a time
    int year = 0, month = 0, day = 0; ///< dates; 0 = not given
    std::size_t pos = 0;              ///< where it starts in the scanned text
};

// The body is read strictly; evidence is read leniently (numbers glued to letters count, as
// in "GPT-4o" or "Top10") and without quotes, whose support is looked up as plain text.
enum class Mode { body, evidence };

class Scanner {
    std::string_view m_s;
    Mode m_mode;
    std::size_t m_i = 0;
    std::vector<Fact> m_facts;

public:
    Scanner(std::string_view s, Mode mode) : m_s(s), m_mode(mode) {}

    std::vector<Fact> run() && {
        while (m_i < m_s.size()) {
            if (const std::size_t end = non_text_end(); end != m_i)
                m_i = end;
            else if (!(m_mode == Mode::body && scan_quote()) && !scan_number())
                skip_word_or_char();
        }
        return std::move(m_facts);
    }

private:
    bool strict() const { return m_mode == Mode::body; }

    // Where the markup at m_i ends (line prefixes, URLs, link targets, citation markers).
    std::size_t non_text_end() const {
        // Evidence is read sentence by sentence: a sentence's "1. " is no list numbering.
        if (strict() && (m_i == 0 || m_s[m_i - 1] == '\n'))
            if (const std::size_t end = line_prefix_end(m_s, m_i); end != m_i)
                return end;
        return markup_end(m_s, m_i);
    }

    void add(ClaimKind kind, std::size_t end, Fact fact) {
        fact.claim = {kind, std::string(m_s.substr(m_i, end - m_i))};
        fact.pos = m_i;
        if (kind == ClaimKind::date && !strict()) // "in 2025" is supported by "March 3, 2025"
            for (const int n : {fact.year, fact.day})
                if (n != 0) {
                    Fact part{};
                    part.claim = {ClaimKind::number, std::to_string(n)};
                    part.value = n;
                    part.pos = m_i;
                    m_facts.push_back(std::move(part));
                }
        m_facts.push_back(std::move(fact));
        m_i = end;
    }

    // "March 3, 2025", "March 3", "Nov. 3 2025", "March 2025" at m_i.
    bool scan_month_first_date() {
        const auto month = month_at(m_s, m_i);
        if (!month)
            return false;
        Fact fact{};
        fact.month = month->first;
        const std::size_t after = gap_end(m_s, month->second);
        std::size_t end = 0;
        if (const auto day = day_at(m_s, after)) {
            fact.day = day->first;
            end = day->second;
            std::size_t y = at(m_s, end) == ',' ? end + 1 : end;
            y = gap_end(m_s, y);
            if (const auto year = y != end ? year_at(m_s, y) : std::nullopt) {
                fact.year = year->first;
                end = year->second;
            }
        } else if (const auto year = year_at(m_s, after); year && after != month->second) {
            fact.year = year->first;
            end = year->second;
        } else {
            return false;
        }
        add(ClaimKind::date, end, std::move(fact));
        return true;
    }

    // "3 March 2025", "3 March" at m_i (a day already read up to day_end).
    bool scan_day_first_date(std::size_t day_end) {
        const auto day = day_at(m_s, m_i);
        const std::size_t after = gap_end(m_s, day_end);
        const auto month = after != day_end ? month_at(m_s, after) : std::nullopt;
        if (!day || !month)
            return false;
        Fact fact{};
        fact.day = day->first;
        fact.month = month->first;
        std::size_t end = month->second;
        const std::size_t y = gap_end(m_s, end);
        if (const auto year = y != end ? year_at(m_s, y) : std::nullopt) {
            fact.year = year->first;
            end = year->second;
        }
        add(ClaimKind::date, end, std::move(fact));
        return true;
    }

    // A passage of 3+ words between matching quotes, within one paragraph and 1000 bytes. A
    // straight quote opens only after a non-word character and before a non-space, and closes
    // after a non-space.
    bool scan_quote() {
        constexpr std::size_t k_max_passage = 1000; // keeps scanning linear on hostile text
        const std::string_view rest = m_s.substr(m_i);
        std::string_view closer;
        if (rest.starts_with('"') && (m_i == 0 || !is_word_char(m_s[m_i - 1])))
            closer = "\"";
        else if (rest.starts_with("\u201C"))
            closer = "\u201D";
        else
            return false;
        const std::size_t from = m_i + (closer == "\"" ? 1 : closer.size());
        const std::size_t found = m_s.substr(from, k_max_passage).find(closer);
        const std::size_t to = found == std::string_view::npos ? found : from + found;
        if (to == std::string_view::npos || to == from || is_space(m_s[from]) ||
            is_space(m_s[to - 1]))
            return false;
        const std::string_view passage = m_s.substr(from, to - from);
        if (passage.find("\n\n") != std::string_view::npos || count_tokens(passage) < 3)
            return false;
        Fact fact{};
        fact.exact = normalize_passage(passage);
        add(ClaimKind::quote, to + closer.size(), std::move(fact));
        return true;
    }

    // Digits glued to a word before them: "GPT-4o", "COVID-19", "B2B".
    bool glued_left(std::size_t i) const {
        const char prev = i >= 1 ? m_s[i - 1] : '\0';
        const char before = i >= 2 ? m_s[i - 2] : '\0';
        if (is_word_char(prev))
            return true;
        if (prev == '-') // "COVID-19" but not the range "10-15"
            return is_alpha(before) || before == '_';
        // the rest of a number that began inside a word: "k12,000"
        return std::string_view(".,:/").find(prev) != std::string_view::npos &&
               is_word_char(before);
    }

    bool scan_number() {
        const auto currency = currency_prefix(m_s, m_i);
        const std::size_t start = currency ? currency->end : m_i;
        if (!is_digit(at(m_s, start)))
            return false;
        if (strict() && !currency && glued_left(start)) {
            skip_identifier();
            return true;
        }
        const Numeral num = read_numeral(m_s, start);
        if (!currency && !num.literal && num.end == digits_end(m_s, start) &&
            scan_day_first_date(num.end))
            return true;
        Fact fact{};
        fact.value = num.value;
        std::size_t end = num.end;
        ClaimKind kind = ClaimKind::number;
        if (num.literal && matches(m_s, start, "dddd-dd-dd")) {
            kind = ClaimKind::date;
            std::from_chars(m_s.data() + start, m_s.data() + start + 4, fact.year);
            std::from_chars(m_s.data() + start + 5, m_s.data() + start + 7, fact.month);
            std::from_chars(m_s.data() + start + 8, m_s.data() + start + 10, fact.day);
        } else if (num.literal) {
            fact.exact = m_s.substr(start, end - start);
        } else if (const auto pct = percent_suffix(m_s, end)) {
            kind = ClaimKind::percentage;
            end = *pct;
        } else {
            if (const auto scale = scale_suffix(m_s, end)) {
                end = scale->first;
                fact.value *= scale->second;
            }
            end += at(m_s, end) == '+' ? 1 : 0;
            const auto suffix = currency ? std::optional<Match>{} : currency_suffix(m_s, end);
            if (suffix)
                end = suffix->end;
            if (const auto unit = currency ? currency : suffix) {
                kind = ClaimKind::amount;
                fact.currency = unit->meaning;
            }
        }
        if (strict() && kind == ClaimKind::number && !num.literal && is_word_char(at(m_s, end))) {
            skip_identifier(); // "5G", "3D", "1990s", "2nd"
            return true;
        }
        add(kind, end, std::move(fact));
        if (num.literal && at(m_s, m_i) == 'T')
            scan_time_of_timestamp();
        return true;
    }

    // "2025-11-03T14:00Z": the time after the 'T' is a claim of its own.
    void scan_time_of_timestamp() {
        const std::size_t end = date_time_end(m_s, m_i + 1);
        if (end == m_i + 1)
            return;
        ++m_i;
        Fact fact{};
        fact.exact = m_s.substr(m_i, end - m_i);
        add(ClaimKind::number, end, std::move(fact));
    }

    // A word with digits, dots and dashes inside: "4o-mini", "19", "3.5-turbo".
    void skip_identifier() {
        while (url_end(m_s, m_i) == m_i &&
               (is_word_char(at(m_s, m_i)) ||
                ((at(m_s, m_i) == '-' || at(m_s, m_i) == '.') && is_word_char(at(m_s, m_i + 1)))))
            ++m_i;
    }

    void skip_word_or_char() {
        if (scan_month_first_date())
            return;
        if (!is_alpha(m_s[m_i]))
            ++m_i;
        else if (strict())
            skip_identifier();
        else
            while (is_alpha(at(m_s, m_i)))
                ++m_i;
    }
};

// ---- support ----------------------------------------------------------------------------

bool same_date(const Fact& evidence, const Fact& claim) {
    return evidence.month == claim.month && (claim.day == 0 || evidence.day == claim.day) &&
           (claim.year == 0 || evidence.year == 0 || evidence.year == claim.year);
}

bool same_value(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

bool supports(const Fact& evidence, const Fact& claim) {
    if (claim.claim.kind == ClaimKind::date)
        return evidence.claim.kind == ClaimKind::date && same_date(evidence, claim);
    if (evidence.claim.kind == ClaimKind::date)
        return false;
    if (!claim.exact.empty() || !evidence.exact.empty())
        return claim.exact == evidence.exact;
    switch (claim.claim.kind) {
    case ClaimKind::amount:
        return evidence.claim.kind == ClaimKind::amount && evidence.currency == claim.currency &&
               same_value(evidence.value, claim.value);
    case ClaimKind::percentage:
        return evidence.claim.kind == ClaimKind::percentage &&
               same_value(evidence.value, claim.value);
    default: // a bare number is supported by the same value in any unit
        return same_value(evidence.value, claim.value);
    }
}

// A source's name in the body ("Channel 4 News", "Studio 8H") becomes spaces, so its digits
// are not read as claims; only names with a digit, standing as whole words, at most 64 names.
void blank_names(std::string& body, std::span<const std::string> names) {
    constexpr std::size_t k_max_names = 64;
    constexpr std::size_t k_max_name = 200;
    for (const std::string& name : names.first(std::min(names.size(), k_max_names))) {
        if (name.size() > k_max_name ||
            std::none_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        for (std::size_t pos = body.find(name); pos != std::string::npos;
             pos = body.find(name, pos + 1)) {
            if ((pos > 0 && is_word_char(body[pos - 1])) ||
                is_word_char(at(body, pos + name.size())))
                continue;
            std::fill_n(body.begin() + static_cast<std::ptrdiff_t>(pos), name.size(), ' ');
        }
    }
}

// ---- names -------------------------------------------------------------------------------

constexpr std::array<std::string_view, 20> k_titles{
    "Dr",  "Mr",   "Mrs",  "Ms",   "Prof", "Sen", "Rep", "Gov", "Gen",  "Rev",
    "Sir", "Dame", "Lord", "Lady", "Capt", "Col", "Lt",  "Sgt", "Pres", "Supt"};

constexpr std::array<std::string_view, 7> k_connectors{"of", "the", "de", "van", "&", "von", "der"};

// Common words that open a sentence with a capital without being part of a name.
constexpr std::array<std::string_view, 72> k_sentence_openers{
    "The",       "A",      "An",        "In",      "On",    "At",     "For",      "But",
    "And",       "Or",     "As",        "This",    "That",  "These",  "Those",    "With",
    "After",     "Before", "When",      "While",   "By",    "From",   "It",       "Its",
    "His",       "Her",    "Their",     "Our",     "We",    "He",     "She",      "They",
    "According", "Why",    "What",      "How",     "Who",   "Where",  "If",       "So",
    "Yet",       "Also",   "Meanwhile", "However", "Since", "Until",  "Under",    "Over",
    "Into",      "Some",   "Many",      "Most",    "One",   "Both",   "Each",     "Every",
    "Other",     "Not",    "No",        "Read",    "See",   "Here",   "There",    "Today",
    "Yesterday", "Last",   "Next",      "Earlier", "Later", "Update", "Searches", "Search"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& words, std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

// Non-ASCII punctuation that ends a word: curly quotes, guillemets, dashes, ellipsis.
std::size_t punctuation_at(std::string_view s, std::size_t i) {
    for (const std::string_view p : {"\u201C", "\u201D", "\u2018", "\u201E", "\u00AB", "\u00BB",
                                     "\u2013", "\u2014", "\u2026", "\u00A0", "\u202F"})
        if (s.substr(i).starts_with(p))
            return p.size();
    return 0;
}

bool is_name_byte(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80)
        return punctuation_at(s, i) == 0;
    return is_ascii_alnum(s[i]) || c == '\'' || c == '-';
}

enum class Token { cap, title, connector, other };

struct NameWord {
    std::size_t begin, end;
    Token token;
    bool opens_sentence;
};

Token classify(std::string_view w, std::string_view rest) {
    if (one_of(k_connectors, w))
        return Token::connector;
    if (w.size() < 2 || !(w[0] >= 'A' && w[0] <= 'Z'))
        return Token::other;
    if ((rest.starts_with('.') || w == "Sir" || w == "Dame" || w == "Lord" || w == "Lady") &&
        one_of(k_titles, w))
        return Token::title;
    if (std::any_of(w.begin(), w.end(), is_digit) || std::none_of(w.begin(), w.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
        }))
        return Token::other;
    if (std::any_of(k_months.begin(), k_months.end(),
                    [&](const Month& m) { return m.word == w; }) ||
        one_of(k_weekdays, w))
        return Token::other;
    return Token::cap;
}

// "Taylor Swift's" names "Taylor Swift".
std::size_t without_possessive(std::string_view s, std::size_t begin, std::size_t end) {
    for (const std::string_view p : {"'s", "\u2019s"})
        if (end - begin > p.size() && s.substr(begin, end - begin).ends_with(p))
            return end - p.size();
    return end;
}

class NameScanner {
    std::string_view m_s;
    std::vector<Fact> m_facts;
    std::vector<NameWord> m_run;

public:
    explicit NameScanner(std::string_view s) : m_s(s) {}

    std::vector<Fact> run() && {
        bool in_sources = false;
        for (std::size_t line = 0; line < m_s.size();) {
            const std::size_t nl = std::min(m_s.find('\n', line), m_s.size());
            const std::string_view text = m_s.substr(line, nl - line);
            const std::string_view trimmed = trim_blanks(text);
            if (trimmed.starts_with('#')) {
                std::string_view heading = trimmed;
                while (heading.starts_with('#'))
                    heading.remove_prefix(1);
                in_sources = text::ascii_lower(trim_blanks(heading)) == "sources";
            } else if (!in_sources && !(trimmed.starts_with("**") && trimmed.ends_with("**"))) {
                scan_line(line, nl);
            }
            line = nl + 1;
        }
        return std::move(m_facts);
    }

private:
    static std::string_view trim_blanks(std::string_view s) {
        while (!s.empty() && is_space(s.front()))
            s.remove_prefix(1);
        while (!s.empty() && is_space(s.back()))
            s.remove_suffix(1);
        return s;
    }

    void scan_line(std::size_t i, std::size_t end) {
        i = line_prefix_end(m_s, i);
        while (i < end && (m_s[i] == '-' || m_s[i] == '*' || m_s[i] == '+') &&
               is_space(at(m_s, i + 1)))
            i = line_prefix_end(m_s, i + 2);
        bool opens = true;
        std::size_t last_end = i; // where the previous word (and a title's dot) ended
        while (i < end) {
            if (const std::size_t skip = markup_end(m_s, i); skip != i) {
                flush();
                i = skip;
                continue;
            }
            const char c = m_s[i];
            const bool starts_word = (is_name_byte(m_s, i) && c != '\'' && c != '-') || c == '&';
            if (!starts_word) {
                if (c == '.' || c == '!' || c == '?')
                    opens = true;
                i += std::max<std::size_t>(1, punctuation_at(m_s, i));
                continue;
            }
            std::size_t w_end = i + 1;
            if (c != '&')
                while (w_end < end && is_name_byte(m_s, w_end))
                    ++w_end;
            while (w_end > i + 1 && (m_s[w_end - 1] == '\'' || m_s[w_end - 1] == '-'))
                --w_end;
            const std::string_view word = m_s.substr(i, w_end - i);
            const Token token = classify(word, m_s.substr(w_end, end - w_end));
            const std::string_view gap = m_s.substr(last_end, i - last_end);
            if (m_run.empty() || gap != " ")
                flush();
            if (token != Token::other && (token != Token::connector || !m_run.empty()))
                m_run.push_back({i, w_end, token, opens});
            else
                flush();
            opens = false;
            last_end = w_end;
            i = w_end;
            if (token == Token::title && at(m_s, i) == '.')
                last_end = ++i; // "Dr." does not end a sentence
        }
        flush();
    }

    void flush() {
        std::vector<NameWord> run = std::move(m_run);
        m_run.clear();
        auto trim_connectors = [&] {
            while (!run.empty() && run.back().token == Token::connector)
                run.pop_back();
            while (!run.empty() && run.front().token == Token::connector)
                run.erase(run.begin());
        };
        trim_connectors();
        if (!run.empty() && run.front().opens_sentence && run.front().token == Token::cap &&
            (one_of(k_sentence_openers, word(run.front())) ||
             (run.size() > 1 && run[1].token == Token::connector))) {
            run.erase(run.begin());
            trim_connectors();
        }
        const auto caps = std::count_if(run.begin(), run.end(),
                                        [](const NameWord& w) { return w.token == Token::cap; });
        const bool titled = !run.empty() && run.front().token == Token::title;
        if (caps < (titled ? 1 : 2))
            return;
        const std::size_t begin = run.front().begin;
        const std::size_t end = without_possessive(m_s, run.back().begin, run.back().end);
        std::size_t words_begin = begin;
        for (const NameWord& w : run)
            if (w.token != Token::title) {
                words_begin = w.begin;
                break;
            }
        Fact fact{};
        fact.claim = {ClaimKind::name, std::string(m_s.substr(begin, end - begin))};
        fact.exact = normalize_passage(m_s.substr(words_begin, end - words_begin));
        fact.pos = begin;
        m_facts.push_back(std::move(fact));
    }

    std::string_view word(const NameWord& w) const { return m_s.substr(w.begin, w.end - w.begin); }
};

// `needle` in `hay` as whole words (both normalised).
bool contains_words(std::string_view hay, std::string_view needle) {
    if (needle.empty())
        return false;
    for (auto p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1))
        if ((p == 0 || !is_word_char(hay[p - 1])) && !is_word_char(at(hay, p + needle.size())))
            return true;
    return false;
}

// A name the sources go by ("The Washington Post", an author) or part of one.
bool is_source_name(const Fact& name, std::span<const std::string> names) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
        return contains_words(normalize_passage(n), name.exact);
    });
}

// ---- tracing -----------------------------------------------------------------------------

struct IndexedSentence {
    std::size_t text; ///< index into the evidence texts
    std::string_view sentence;
    std::size_t offset;
    std::string norm;        ///< normalize_passage(sentence)
    std::vector<Fact> facts; ///< Scanner(sentence, evidence)
};

struct Index {
    std::vector<IndexedSentence> sentences; ///< texts in the order given, sentences in order
    std::vector<std::string> whole;         ///< normalize_passage of each text
};

Index index_texts(std::span<const EvidenceText> evidence) {
    Index index;
    for (std::size_t t = 0; t < evidence.size(); ++t) {
        index.whole.push_back(normalize_passage(evidence[t].text));
        for (const Sentence& s : split_sentences(evidence[t].text))
            index.sentences.push_back({t, s.text, s.offset, normalize_passage(s.text),
                                       Scanner(s.text, Mode::evidence).run()});
    }
    return index;
}

bool sentence_supports(const IndexedSentence& s, const Fact& claim) {
    switch (claim.claim.kind) {
    case ClaimKind::quote:
        return s.norm.find(claim.exact) != std::string::npos;
    case ClaimKind::name:
        return contains_words(s.norm, claim.exact);
    default:
        return std::any_of(s.facts.begin(), s.facts.end(),
                           [&](const Fact& f) { return supports(f, claim); });
    }
}

Origin origin_of(const EvidenceText& e) {
    return e.source > 0 || !e.url.empty() ? Origin::source : Origin::data;
}

Trace trace_one(const Fact& claim, const Index& index, std::span<const EvidenceText> evidence) {
    Trace t;
    t.claim = claim.claim;
    auto found = [&](const IndexedSentence& s) {
        const EvidenceText& e = evidence[s.text];
        t.origin = origin_of(e);
        t.source = e.source;
        t.page_text_id = e.page_text_id;
        t.url = e.url;
        t.sentence = std::string(s.sentence);
        t.offset = s.offset;
    };
    for (const IndexedSentence& s : index.sentences)
        if (sentence_supports(s, claim)) {
            found(s);
            return t;
        }
    if (claim.claim.kind != ClaimKind::quote)
        return t;
    // A quote across sentences: the text has it; point at the sentence where it starts.
    for (std::size_t k = 0; k < index.whole.size(); ++k) {
        if (index.whole[k].find(claim.exact) == std::string::npos)
            continue;
        // Its first words, up to where its first sentence ends.
        std::size_t cut = 24;
        for (const std::string_view end : {". ", "! ", "? "})
            cut = std::min(cut, claim.exact.find(end));
        const std::string_view head = std::string_view(claim.exact).substr(0, cut);
        const IndexedSentence* best = nullptr;
        for (const IndexedSentence& s : index.sentences) {
            if (s.text != k)
                continue;
            if (best == nullptr)
                best = &s; // the text's first sentence, failing a better one
            if (s.norm.find(head) != std::string::npos) {
                best = &s;
                break;
            }
        }
        if (best != nullptr) {
            found(*best);
        } else { // a text without sentences: cite it whole
            t.origin = origin_of(evidence[k]);
            t.source = evidence[k].source;
            t.page_text_id = evidence[k].page_text_id;
            t.url = evidence[k].url;
        }
        return t;
    }
    return t;
}

// The body is read as a reader sees it: the escapes that keep feed text inert in Markdown
// ("20\\*", "&lt;") would otherwise hide a claim or make a quote differ from its source.
// Quotes and names are read as written (a name inside a quote is the quote's); numbers,
// amounts, percentages and dates with the sources' names blanked. In order of appearance,
// each once.
std::vector<Fact> body_facts(std::string_view markdown_body,
                             std::span<const std::string> names = {}) {
    const std::string body = markdown::unescape(markdown_body);
    std::vector<Fact> scanned = Scanner(body, Mode::body).run();
    std::string masked = body;
    blank_names(masked, names);
    if (masked != body) {
        std::erase_if(scanned, [](const Fact& f) { return f.claim.kind != ClaimKind::quote; });
        for (Fact& f : Scanner(masked, Mode::body).run())
            if (f.claim.kind != ClaimKind::quote)
                scanned.push_back(std::move(f));
    }
    // A name inside a quote is checked with the quote.
    std::vector<std::pair<std::size_t, std::size_t>> quoted;
    for (const Fact& f : scanned)
        if (f.claim.kind == ClaimKind::quote)
            quoted.emplace_back(f.pos, f.pos + f.claim.text.size());
    for (Fact& f : NameScanner(body).run())
        if (!is_source_name(f, names) &&
            std::none_of(quoted.begin(), quoted.end(),
                         [&](const auto& q) { return f.pos >= q.first && f.pos < q.second; }))
            scanned.push_back(std::move(f));
    std::stable_sort(scanned.begin(), scanned.end(),
                     [](const Fact& a, const Fact& b) { return a.pos < b.pos; });
    std::vector<Fact> facts;
    std::set<std::pair<ClaimKind, std::string>> seen;
    for (Fact& f : scanned)
        if (seen.emplace(f.claim.kind, f.claim.text).second)
            facts.push_back(std::move(f));
    return facts;
}

void add_once(std::vector<std::string>& list, std::string item) {
    if (std::find(list.begin(), list.end(), item) == list.end())
        list.push_back(std::move(item));
}

// Evidence strings as texts of our own data, without sources.
std::vector<EvidenceText> plain_texts(std::span<const std::string> evidence) {
    std::vector<EvidenceText> texts;
    for (const std::string& e : evidence)
        texts.push_back({0, 0, "", e});
    return texts;
}

} // namespace

std::string_view to_string(ClaimKind kind) noexcept {
    switch (kind) {
    case ClaimKind::number:
        return "number";
    case ClaimKind::amount:
        return "amount";
    case ClaimKind::percentage:
        return "percentage";
    case ClaimKind::quote:
        return "quote";
    case ClaimKind::date:
        return "date";
    case ClaimKind::name:
        return "name";
    }
    return "number";
}

std::string_view to_string(Origin origin) noexcept {
    switch (origin) {
    case Origin::source:
        return "source";
    case Origin::data:
        return "data";
    case Origin::none:
        break;
    }
    return "";
}

std::vector<Claim> extract_claims(std::string_view body) {
    std::vector<Claim> claims;
    for (Fact& f : body_facts(body))
        claims.push_back(std::move(f.claim));
    return claims;
}

bool is_supported(const Claim& claim, std::span<const std::string> evidence) {
    const std::vector<EvidenceText> texts = plain_texts(evidence);
    const Index index = index_texts(texts);
    Fact fact{};
    fact.claim = claim;
    if (claim.kind == ClaimKind::quote || claim.kind == ClaimKind::name) {
        std::string_view words = claim.text;
        if (claim.kind == ClaimKind::name)
            if (const auto dot = words.find(". ");
                dot != words.npos && one_of(k_titles, words.substr(0, dot)))
                words.remove_prefix(dot + 2);
        fact.exact = normalize_passage(words);
        return trace_one(fact, index, texts).traced();
    }
    const std::vector<Fact> parsed = body_facts(claim.text);
    if (parsed.empty()) // not a claim this module would extract: look for it verbatim
        return std::any_of(evidence.begin(), evidence.end(), [&](const std::string& e) {
            return e.find(claim.text) != std::string::npos;
        });
    return trace_one(parsed.front(), index, texts).traced();
}

std::vector<Trace> trace_claims(std::string_view body, std::span<const EvidenceText> evidence,
                                std::span<const std::string> names) {
    const Index index = index_texts(evidence);
    std::vector<Trace> out;
    for (const Fact& f : body_facts(body, names))
        out.push_back(trace_one(f, index, evidence));
    return out;
}

std::vector<std::string> untraced(std::span<const Trace> traces) {
    std::vector<std::string> out;
    for (const Trace& t : traces)
        if (!t.traced())
            out.push_back(t.claim.text);
    return out;
}

std::vector<std::string> unverified_claims(std::string_view body,
                                           std::span<const std::string> evidence,
                                           std::span<const std::string> names) {
    const std::vector<EvidenceText> texts = plain_texts(evidence);
    return untraced(trace_claims(body, texts, names));
}

std::vector<std::string> citation_problems(std::string_view body, std::size_t source_count) {
    std::vector<bool> cited(source_count, false);
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < body.size();) {
        if (const std::size_t end = std::max(url_end(body, i), link_target_end(body, i));
            end != i) {
            i = end;
            continue;
        }
        const Citation c = read_citation(body, i);
        if (c.end == i || at(body, c.end) == '(' || is_list_label(body, i)) {
            ++i;
            continue;
        }
        for (const unsigned k : c.sources) {
            if (k >= 1 && k <= source_count)
                cited[k - 1] = true;
            else
                add_once(problems, fmt::format("[{}] cites no source", k));
        }
        i = c.end;
    }
    for (std::size_t k = 0; k < source_count; ++k)
        if (!cited[k])
            problems.push_back(fmt::format("source [{}] is never cited", k + 1));
    return problems;
}

} // namespace trend::draft::grounding
