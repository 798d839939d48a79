// SPDX-License-Identifier: MIT
#pragma once

#include "trend/fetch/http_client.hpp"

#include <optional>
#include <string>

namespace trend::fetch {

/** Why a response cannot be parsed: polls.outcome and polls.error. */
struct Failure {
    std::string outcome; ///< not_modified, http_error, timeout, too_large, truncated, ...
    std::string error;   ///< "" for not_modified
};

/** The failure of a response before parsing, or nullopt when its body should be parsed:
 *  transport failures, 304 (not_modified), non-2xx (http_error, with Retry-After if given),
 *  and a redirect to Google's /sorry/ CAPTCHA page (blocked). */
[[nodiscard]] std::optional<Failure> failure_of(const Response& r);

} // namespace trend::fetch
