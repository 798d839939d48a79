// SPDX-License-Identifier: MIT
#include "trend/util/time.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <span>
#include <vector>

namespace trend {

namespace {

bool is_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/** Digits only: from_chars alone would take "-1" inside a date. */
bool parse_int(std::string_view s, int& out) {
    if (!is_digits(s))
        return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}

std::tm to_tm(Timestamp t) {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return tm;
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

bool has_alpha(std::string_view s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return lower(c) >= 'a' && lower(c) <= 'z'; });
}

constexpr std::size_t k_max_date_tokens = 8;

bool is_weekday(std::string_view w) {
    static constexpr std::array<std::string_view, 7> k_days{
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    return std::any_of(k_days.begin(), k_days.end(), [&](std::string_view day) {
        return iequals(w, day) || iequals(w, day.substr(0, 3));
    });
}

/** The words of an RFC 822 or asctime date: split at white space and commas, and at '-' inside
 *  RFC 850's "01-Oct-26"; a leading weekday and a trailing comment "(UTC)" dropped. nullopt
 *  when there are too many or the text is too long to be a date. */
std::optional<std::vector<std::string_view>> date_tokens(std::string_view s) {
    if (s.empty() || s.size() > 64)
        return std::nullopt;
    if (const std::size_t paren = s.find('('); paren != std::string_view::npos) {
        if (s.back() != ')' || s.find_first_of("()", paren + 1) != s.size() - 1)
            return std::nullopt;
        s = s.substr(0, paren);
    }
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_blank(s[i]) || s[i] == ',') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && !is_blank(s[j]) && s[j] != ',')
            ++j;
        std::string_view word = s.substr(i, j - i);
        i = j;
        // "01-Oct-26" is three words; "-0700" is one.
        if (word.front() != '-' && has_alpha(word) && word.find('-') != std::string_view::npos) {
            for (std::size_t from = 0; from <= word.size();) {
                const std::size_t dash = std::min(word.find('-', from), word.size());
                out.push_back(word.substr(from, dash - from));
                from = dash + 1;
            }
        } else {
            out.push_back(word);
        }
        if (out.size() > k_max_date_tokens)
            return std::nullopt;
    }
    if (!out.empty() && is_weekday(out.front()))
        out.erase(out.begin());
    return out;
}

std::optional<unsigned> month_of(std::string_view w) {
    static constexpr std::array<std::string_view, 12> k_months{
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    for (std::size_t i = 0; i < k_months.size(); ++i)
        if (iequals(w, k_months[i]) || iequals(w, k_months[i].substr(0, 3)))
            return static_cast<unsigned>(i + 1);
    return std::nullopt;
}

bool parse_day(std::string_view w, unsigned& day) {
    int d = 0;
    if (w.empty() || w.size() > 2 || !parse_int(w, d))
        return false;
    day = static_cast<unsigned>(d);
    return true;
}

// RFC 5322 section 4.3: a two-digit year 00-49 is 20xx, 50-99 is 19xx.
std::optional<int> year_of(std::string_view w) {
    int y = 0;
    if ((w.size() != 2 && w.size() != 4) || !parse_int(w, y))
        return std::nullopt;
    if (w.size() == 2)
        y += y < 50 ? 2000 : 1900;
    return y;
}

std::optional<Seconds> time_of_day(std::string_view w) {
    int h = 0, m = 0, sec = 0;
    if ((w.size() != 5 && w.size() != 8) || w[2] != ':' || !parse_int(w.substr(0, 2), h) ||
        !parse_int(w.substr(3, 2), m))
        return std::nullopt;
    if (w.size() == 8 && (w[5] != ':' || !parse_int(w.substr(6, 2), sec)))
        return std::nullopt;
    if (h > 23 || m > 59 || sec > 60)
        return std::nullopt;
    return Seconds{h * 3600 + m * 60 + sec};
}

/** "+hhmm", "-hh:mm" or "+hh", in minutes east of UTC. */
std::optional<int> numeric_offset(std::string_view w) {
    if (w.size() < 3 || (w[0] != '+' && w[0] != '-'))
        return std::nullopt;
    const int sign = w[0] == '-' ? -1 : 1;
    w.remove_prefix(1);
    int h = 0, m = 0;
    const bool ok =
        (w.size() == 2 && parse_int(w, h)) ||
        (w.size() == 4 && parse_int(w.substr(0, 2), h) && parse_int(w.substr(2), m)) ||
        (w.size() == 5 && w[2] == ':' && parse_int(w.substr(0, 2), h) && parse_int(w.substr(3), m));
    if (!ok || h > 23 || m > 59)
        return std::nullopt;
    return sign * (h * 60 + m);
}

/** A numeric offset or a zone name, in minutes east of UTC. */
std::optional<int> zone_offset(std::string_view w) {
    if (auto numeric = numeric_offset(w))
        return numeric;
    struct Zone {
        std::string_view name;
        int minutes;
    };
    static constexpr std::array<Zone, 26> k_zones{{
        {"UT", 0},      {"UTC", 0},     {"GMT", 0},    {"Z", 0},      {"EST", -300}, {"EDT", -240},
        {"CST", -360},  {"CDT", -300},  {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420},
        {"AKST", -540}, {"AKDT", -480}, {"HST", -600}, {"WET", 0},    {"WEST", 60},  {"BST", 60},
        {"MET", 60},    {"MEST", 120},  {"CET", 60},   {"CEST", 120}, {"MESZ", 120}, {"EET", 120},
        {"EEST", 180},  {"JST", 540},
    }};
    for (const Zone& z : k_zones)
        if (iequals(w, z.name))
            return z.minutes;
    // RFC 822's military zones: A-I and K-M are 1-12 hours west, N-Y 1-12 hours east.
    if (w.size() == 1) {
        const char c = lower(w[0]);
        if (c >= 'a' && c <= 'i')
            return -60 * (c - 'a' + 1);
        if (c >= 'k' && c <= 'm')
            return -60 * (c - 'k' + 10);
        if (c >= 'n' && c <= 'y')
            return 60 * (c - 'n' + 1);
    }
    return std::nullopt;
}

// Years 1000-9998: whatever the offset, the time still has a four-digit year in UTC, so it
// formats and reads back as ISO 8601.
std::optional<Timestamp> make_time(int y, unsigned mo, unsigned d, Seconds time_of_day,
                                   int offset_minutes) {
    using namespace std::chrono;
    const year_month_day ymd{year{y}, month{mo}, day{d}};
    if (!ymd.ok() || y < 1000 || y > 9998)
        return std::nullopt;
    return sys_days{ymd} + time_of_day - minutes{offset_minutes};
}

} // namespace

Timestamp SystemClock::now() const {
    return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now());
}

Instant SystemClock::precise_now() const {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
}

std::string format_iso(Timestamp t) {
    // Civil time by std::chrono and a compiled format: the store formats a time per row.
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    return fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z"), int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

std::string format_hhmm(Timestamp t) {
    const std::tm tm = to_tm(t);
    return fmt::format("{:02}:{:02}", tm.tm_hour, tm.tm_min);
}

std::optional<Timestamp> parse_iso(std::string_view s) {
    // YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|+HH:MM|-HH:MM]
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':')
        return std::nullopt;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (!parse_int(s.substr(0, 4), y) || !parse_int(s.substr(5, 2), mo) ||
        !parse_int(s.substr(8, 2), d) || !parse_int(s.substr(11, 2), h) ||
        !parse_int(s.substr(14, 2), mi) || !parse_int(s.substr(17, 2), se))
        return std::nullopt;
    std::string_view rest = s.substr(19);
    if (!rest.empty() && rest[0] == '.') {
        std::size_t i = 1;
        while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9')
            ++i;
        if (i == 1)
            return std::nullopt;
        rest.remove_prefix(i);
    }
    int offset_minutes = 0;
    if (rest == "Z" || rest.empty()) {
        // UTC
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
        int oh = 0, om = 0;
        if (!parse_int(rest.substr(1, 2), oh) || !parse_int(rest.substr(4, 2), om))
            return std::nullopt;
        offset_minutes = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
        return std::nullopt;
    }
    using namespace std::chrono;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || se > 60)
        return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} - minutes{offset_minutes};
}

std::optional<Timestamp> parse_rfc822(std::string_view text) {
    const auto tokens = date_tokens(text);
    if (!tokens)
        return std::nullopt;
    const std::span<const std::string_view> t = *tokens;
    // day month year time [zone]
    if (t.size() < 4 || t.size() > 5)
        return std::nullopt;
    unsigned day = 0;
    const auto month = month_of(t[1]);
    const auto year = year_of(t[2]);
    const auto time = time_of_day(t[3]);
    const auto offset = t.size() == 5 ? zone_offset(t[4]) : std::optional<int>{0};
    if (!parse_day(t[0], day) || !month || !year || !time || !offset)
        return std::nullopt;
    return make_time(*year, *month, day, *time, *offset);
}

std::optional<Timestamp> parse_asctime(std::string_view text) {
    const auto tokens = date_tokens(text);
    if (!tokens)
        return std::nullopt;
    const std::span<const std::string_view> t = *tokens;
    // month day time [zone] year
    if (t.size() < 4 || t.size() > 5 || t.back().size() != 4)
        return std::nullopt;
    unsigned day = 0;
    const auto month = month_of(t[0]);
    const auto time = time_of_day(t[2]);
    const auto year = year_of(t.back());
    const auto offset = t.size() == 5 ? zone_offset(t[3]) : std::optional<int>{0};
    if (!month || !parse_day(t[1], day) || !time || !year || !offset)
        return std::nullopt;
    return make_time(*year, *month, day, *time, *offset);
}

std::optional<Timestamp> parse_w3cdtf(std::string_view s) {
    // YYYY-MM-DD [(T|t|' ')hh:mm[:ss[.f+]][zone]], zone = Z | z | (+|-)hh[[:]mm]
    int y = 0, mo = 0, d = 0;
    if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !parse_int(s.substr(0, 4), y) ||
        !parse_int(s.substr(5, 2), mo) || !parse_int(s.substr(8, 2), d))
        return std::nullopt;
    std::string_view rest = s.substr(10);
    if (rest.empty())
        return make_time(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), Seconds{0}, 0);
    if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ')
        return std::nullopt;
    rest.remove_prefix(1);
    const std::size_t zone_at = rest.find_first_of("Zz+-");
    std::string_view clock = rest.substr(0, zone_at);
    const std::string_view zone = zone_at == std::string_view::npos ? "" : rest.substr(zone_at);
    if (const std::size_t dot = clock.find('.'); dot != std::string_view::npos) {
        const std::string_view fraction = clock.substr(dot + 1);
        if (!is_digits(fraction) || fraction.size() > 9)
            return std::nullopt;
        clock = clock.substr(0, dot);
        if (clock.size() != 8)
            return std::nullopt;
    }
    const auto time = time_of_day(clock);
    std::optional<int> offset = 0;
    if (zone == "Z" || zone == "z" || zone.empty())
        offset = 0;
    else
        offset = numeric_offset(zone);
    if (!time || !offset)
        return std::nullopt;
    return make_time(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), *time, *offset);
}

std::optional<Timestamp> parse_feed_date(std::string_view text) {
    while (!text.empty() && is_blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back()))
        text.remove_suffix(1);
    if (text.size() >= 5 && text[4] == '-')
        return parse_w3cdtf(text);
    if (auto t = parse_rfc822(text))
        return t;
    return parse_asctime(text);
}

// format_duration spells every duration up to this with numbers of at most 9 digits, which
// parse_duration reads back (found by fuzz_time: "999999999d9d" did not read back).
constexpr long long k_max_duration_seconds = 999'999'999;

std::optional<Seconds> parse_duration(std::string_view s) {
    if (s.empty())
        return std::nullopt;
    long long total = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9')
            ++j;
        if (j == i || j == s.size() || j - i > 9)
            return std::nullopt;
        long long n = 0;
        std::from_chars(s.data() + i, s.data() + j, n);
        long long unit = 0;
        switch (s[j]) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        case 'w':
            unit = 7 * 86400;
            break;
        default:
            return std::nullopt;
        }
        total += n * unit;
        if (total > k_max_duration_seconds) // also keeps a long list of terms from overflowing
            return std::nullopt;
        i = j + 1;
    }
    return Seconds{total};
}

std::string format_duration(Seconds d) {
    long long s = d.count();
    if (s == 0)
        return "0s";
    std::string out;
    if (s < 0) {
        out += '-';
        s = -s;
    }
    static constexpr std::array<std::pair<long long, char>, 4> k_units{
        {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};
    for (const auto& [unit, letter] : k_units) {
        if (s >= unit) {
            out += fmt::format("{}{}", s / unit, letter);
            s %= unit;
        }
    }
    return out;
}

} // namespace trend
