// SPDX-License-Identifier: MIT
#include "trend/util/time.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>

namespace trend {

namespace {

/** Digits only: from_chars alone would take "-1" inside a date. */
bool parse_int(std::string_view s, int& out) {
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
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

} // namespace

Timestamp SystemClock::now() const {
    return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now());
}

std::string format_iso(Timestamp t) {
    const std::tm tm = to_tm(t);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
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
    // libcurl's date parser reads every RFC 822/850/1123 spelling, 1- or 2-digit days and
    // numeric offsets; it needs a NUL-terminated copy.
    if (text.empty() || text.size() > 64)
        return std::nullopt;
    const std::string copy{text};
    const time_t t = curl_getdate(copy.c_str(), nullptr);
    // libcurl also reads digits run together ("2026010:00:00" is the year 2026010): only what
    // format_iso can write back (1970 to 9999) is a date.
    constexpr time_t k_year_10000 = 253402300800;
    if (t < 0 || t >= k_year_10000)
        return std::nullopt;
    return Timestamp{Seconds{t}};
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
