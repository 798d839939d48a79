// SPDX-License-Identifier: MIT
#include "trend/draft/grounding.hpp"

#include "trend/draft/markdown.hpp"
#include "trend/draft/scan.hpp"
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

// ---- the scanner -------------------------------------------------------------------------

/** A claim with what it is compared by. */
struct Fact {
    Claim claim;
    double value = 0;     ///< numbers, amounts, percentages
    std::string currency; ///< amounts: ISO 4217 code
    std::string exact;    ///< compared as text: a quote's normalised passage, a date, a time
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
        if (m_i == 0 || m_s[m_i - 1] == '\n')
            if (const std::size_t end = line_prefix_end(m_s, m_i); end != m_i)
                return end;
        return markup_end(m_s, m_i);
    }

    void add(ClaimKind kind, std::size_t end, Fact fact) {
        fact.claim = {kind, std::string(m_s.substr(m_i, end - m_i))};
        m_facts.push_back(std::move(fact));
        m_i = end;
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
        Fact fact{};
        fact.value = num.value;
        std::size_t end = num.end;
        ClaimKind kind = ClaimKind::number;
        if (num.literal) {
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
        if (!is_alpha(m_s[m_i]))
            ++m_i;
        else if (strict())
            skip_identifier();
        else
            while (is_alpha(at(m_s, m_i)))
                ++m_i;
    }
};

// ---- support -------------------------------------------------------------------------------

struct Evidence {
    std::vector<Fact> facts;
    std::vector<std::string> passages; ///< normalised texts, for quotes
};

Evidence index_evidence(std::span<const std::string> texts) {
    Evidence e;
    for (const std::string& t : texts) {
        for (Fact& f : Scanner(t, Mode::evidence).run())
            e.facts.push_back(std::move(f));
        e.passages.push_back(normalize_passage(t));
    }
    return e;
}

bool same_value(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

bool supports(const Fact& evidence, const Fact& claim) {
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

bool supported(const Evidence& evidence, const Fact& claim) {
    if (claim.claim.kind == ClaimKind::quote)
        return std::any_of(evidence.passages.begin(), evidence.passages.end(),
                           [&](const std::string& p) { return p.find(claim.exact) != p.npos; });
    return std::any_of(evidence.facts.begin(), evidence.facts.end(),
                       [&](const Fact& f) { return supports(f, claim); });
}

// The body is read as a reader sees it: the escapes that keep feed text inert in Markdown
// ("20\\*", "&lt;") would otherwise hide a claim or make a quote differ from its source.
std::vector<Fact> body_facts(std::string_view markdown_body) {
    const std::string body = markdown::unescape(markdown_body);
    std::vector<Fact> facts;
    std::set<std::pair<ClaimKind, std::string>> seen;
    for (Fact& f : Scanner(body, Mode::body).run())
        if (seen.emplace(f.claim.kind, f.claim.text).second)
            facts.push_back(std::move(f));
    return facts;
}

void add_once(std::vector<std::string>& list, std::string item) {
    if (std::find(list.begin(), list.end(), item) == list.end())
        list.push_back(std::move(item));
}

} // namespace

std::vector<Claim> extract_claims(std::string_view body) {
    std::vector<Claim> claims;
    for (Fact& f : body_facts(body))
        claims.push_back(std::move(f.claim));
    return claims;
}

bool is_supported(const Claim& claim, std::span<const std::string> evidence) {
    const Evidence index = index_evidence(evidence);
    if (claim.kind == ClaimKind::quote) {
        Fact fact{};
        fact.claim = claim;
        fact.exact = normalize_passage(claim.text);
        return supported(index, fact);
    }
    const std::vector<Fact> parsed = body_facts(claim.text);
    if (parsed.empty()) // not a claim this module would extract: look for it verbatim
        return std::any_of(evidence.begin(), evidence.end(), [&](const std::string& e) {
            return e.find(claim.text) != std::string::npos;
        });
    return supported(index, parsed.front());
}

std::vector<std::string> unverified_claims(std::string_view body,
                                           std::span<const std::string> evidence) {
    const Evidence index = index_evidence(evidence);
    std::vector<std::string> out;
    for (Fact& f : body_facts(body))
        if (!supported(index, f))
            out.push_back(std::move(f.claim.text));
    return out;
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
