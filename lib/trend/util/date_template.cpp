// SPDX-License-Identifier: MIT
#include "trend/util/date_template.hpp"

#include <fmt/format.h>

#include <chrono>

namespace trend::util {

namespace {

constexpr std::string_view k_default_format = "%Y/%m/%d";

struct Placeholder {
    int days_back = 0;
    std::string_view format;
};

/** Reads "name[:format]" (the text between the braces). */
std::optional<Placeholder> read_placeholder(std::string_view inside, std::string* error) {
    const std::size_t colon = inside.find(':');
    const std::string_view name = inside.substr(0, colon);
    Placeholder p;
    if (name == "today")
        p.days_back = 0;
    else if (name == "yesterday")
        p.days_back = 1;
    else {
        if (error != nullptr)
            *error = fmt::format("unknown placeholder {{{}}} (known: {{today}}, {{yesterday}})",
                                 inside);
        return std::nullopt;
    }
    p.format = colon == std::string_view::npos ? k_default_format : inside.substr(colon + 1);
    for (std::size_t i = 0; i < p.format.size(); ++i) {
        if (p.format[i] != '%')
            continue;
        const char f = i + 1 < p.format.size() ? p.format[i + 1] : '\0';
        if (f != 'Y' && f != 'm' && f != 'd' && f != '%') {
            if (error != nullptr)
                *error = fmt::format("{{{}}}: %{} is not a date field (use %Y, %m, %d)", inside,
                                     f == '\0' ? std::string() : std::string(1, f));
            return std::nullopt;
        }
        ++i;
    }
    if (p.format.empty()) {
        if (error != nullptr)
            *error = fmt::format("{{{}}}: empty format", inside);
        return std::nullopt;
    }
    return p;
}

std::string format_day(std::string_view format, std::chrono::year_month_day day) {
    std::string out;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 == format.size()) {
            out += format[i];
            continue;
        }
        switch (format[++i]) {
        case 'Y':
            out += fmt::format("{:04}", static_cast<int>(day.year()));
            break;
        case 'm':
            out += fmt::format("{:02}", static_cast<unsigned>(day.month()));
            break;
        case 'd':
            out += fmt::format("{:02}", static_cast<unsigned>(day.day()));
            break;
        default:
            out += format[i];
        }
    }
    return out;
}

/** Calls `on_text(text)` and `on_placeholder(inside)` in order; returns an error text for an
 *  unbalanced brace. */
template <typename Text, typename Hole>
std::optional<std::string> walk(std::string_view url, Text on_text, Hole on_placeholder) {
    std::size_t i = 0;
    while (i < url.size()) {
        const std::size_t open = url.find_first_of("{}", i);
        if (open == std::string_view::npos) {
            on_text(url.substr(i));
            break;
        }
        on_text(url.substr(i, open - i));
        if (url[open] == '}')
            return "'}' without '{'";
        const std::size_t close = url.find_first_of("{}", open + 1);
        if (close == std::string_view::npos || url[close] == '{')
            return "'{' never closed";
        on_placeholder(url.substr(open + 1, close - open - 1));
        i = close + 1;
    }
    return std::nullopt;
}

} // namespace

bool has_date_placeholder(std::string_view url) {
    return url.find('{') != std::string_view::npos || url.find('}') != std::string_view::npos;
}

std::optional<std::string> date_placeholder_error(std::string_view url) {
    std::optional<std::string> first;
    auto structure = walk(
        url, [](std::string_view) {},
        [&](std::string_view inside) {
            std::string why;
            if (!first && !read_placeholder(inside, &why))
                first = std::move(why);
        });
    return structure ? structure : first;
}

std::string expand_date_placeholders(std::string_view url, Timestamp now, int days_back) {
    const auto today = std::chrono::floor<std::chrono::days>(now);
    std::string out;
    (void)walk(
        url, [&](std::string_view text) { out += text; },
        [&](std::string_view inside) {
            const auto p = read_placeholder(inside, nullptr);
            if (!p) {
                out += fmt::format("{{{}}}", inside);
                return;
            }
            const std::chrono::year_month_day day{today -
                                                  std::chrono::days{p->days_back + days_back}};
            out += format_day(p->format, day);
        });
    return out;
}

} // namespace trend::util
