// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

/** What trendd tells the editors when a draft is ready: the webhook's JSON payload and its
 *  signature. Pure; pipeline/notifier.hpp delivers it. */
namespace trend::notify {

/** What the webhook says about a draft. */
struct DraftEvent {
    std::int64_t draft_id = 0;
    std::int64_t spike_id = 0;
    std::string term;
    std::string title;
    std::string slug;
    std::string status; ///< draft | needs_review
    std::string path;
    int unverified = 0;
};

/** {"event":"draft","text":"<Slack-compatible line>",...every DraftEvent field}; `text` has
 *  &, < and > escaped as Slack requires, the other fields are as stored. Pure. */
[[nodiscard]] std::string payload_json(const DraftEvent& e);

/** Lowercase hex of HMAC-SHA256(secret, data). A delivery sends X-Trendd-Timestamp: <unix
 *  seconds> and X-Trendd-Signature: "sha256=" + this of "<timestamp>.<body>", so a receiver
 *  can refuse replays of an old request. */
[[nodiscard]] std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

} // namespace trend::notify
