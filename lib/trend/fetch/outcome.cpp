// SPDX-License-Identifier: MIT
#include "trend/fetch/outcome.hpp"

#include <fmt/format.h>

namespace trend::fetch {

std::optional<Failure> failure_of(const Response& r) {
    switch (r.transport) {
    case Transport::complete:
        break;
    case Transport::timeout:
        return Failure{"timeout", r.error};
    case Transport::too_large:
        return Failure{"too_large", r.error};
    case Transport::truncated:
        return Failure{"truncated", r.error};
    case Transport::redirect_loop:
        return Failure{"redirect_loop", r.error};
    case Transport::network_error:
        return Failure{"network_error", r.error};
    case Transport::cancelled:
        return Failure{"network_error", "cancelled at shutdown"};
    }
    if (r.http_status == 304)
        return Failure{"not_modified", ""};
    if (r.http_status != 0 && (r.http_status < 200 || r.http_status > 299)) {
        std::string error = fmt::format("HTTP {}", r.http_status);
        if (r.retry_after)
            error += fmt::format(" (Retry-After {}s)", r.retry_after->count());
        return Failure{"http_error", std::move(error)};
    }
    if (r.effective_url.find("google.com/sorry") != std::string::npos)
        return Failure{"blocked", "redirected to Google's CAPTCHA page (" + r.effective_url + ")"};
    return std::nullopt;
}

} // namespace trend::fetch
