// SPDX-License-Identifier: MIT
#include "trend/fetch/outcome.hpp"

#include <fmt/format.h>

namespace trend::fetch {

namespace {

constexpr std::array<std::string_view, k_outcomes.size()> k_names{
    "ok",        "not_modified",  "http_error",  "timeout",       "too_large",
    "truncated", "redirect_loop", "parse_error", "network_error", "blocked"};

} // namespace

std::string_view to_string(Outcome o) noexcept {
    return k_names[static_cast<std::size_t>(o)];
}

std::optional<Outcome> outcome_from_string(std::string_view s) noexcept {
    for (std::size_t i = 0; i < k_names.size(); ++i)
        if (k_names[i] == s)
            return k_outcomes[i];
    return std::nullopt;
}

std::optional<Failure> failure_of(const Response& r) {
    switch (r.transport) {
    case Transport::complete:
        break;
    case Transport::timeout:
        return Failure{Outcome::timeout, r.error};
    case Transport::too_large:
        return Failure{Outcome::too_large, r.error};
    case Transport::truncated:
        return Failure{Outcome::truncated, r.error};
    case Transport::redirect_loop:
        return Failure{Outcome::redirect_loop, r.error};
    case Transport::network_error:
    case Transport::blocked_address:
        return Failure{Outcome::network_error, r.error};
    case Transport::cancelled:
        return Failure{Outcome::network_error, "cancelled at shutdown"};
    }
    if (r.http_status == 304)
        return Failure{Outcome::not_modified, ""};
    if (r.http_status != 0 && (r.http_status < 200 || r.http_status > 299)) {
        std::string error = fmt::format("HTTP {}", r.http_status);
        if (r.retry_after)
            error += fmt::format(" (Retry-After {}s)", r.retry_after->count());
        return Failure{Outcome::http_error, std::move(error)};
    }
    if (r.effective_url.find("google.com/sorry") != std::string::npos)
        return Failure{Outcome::blocked,
                       "redirected to Google's CAPTCHA page (" + r.effective_url + ")"};
    return std::nullopt;
}

} // namespace trend::fetch
