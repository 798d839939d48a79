// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/store/store.hpp"

#include <functional>
#include <string>
#include <string_view>

/** Tells the editors that a draft is ready: a signed JSON POST to [notify] webhook_url. */
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

/** Delay before delivery attempt n+1 after n failures: 2^(n-1) s, at most 10 min. */
[[nodiscard]] Seconds retry_delay(int failures);

inline constexpr int k_max_attempts = 6;

/**
 * Delivers pending notifications one at a time, as transfers on the loop; each failure is
 * recorded and retried with backoff up to k_max_attempts, then given up ('failed'). Drafting
 * never waits for it. Lives on the io_context thread.
 */
class Notifier final {
    store::Store& m_store;
    const config::NotifyConfig& m_config;
    const Clock& m_clock;
    fetch::HttpClient& m_http;
    bool m_busy = false;

public:
    Notifier(store::Store& store, const config::NotifyConfig& config, const Clock& clock,
             fetch::HttpClient& http);

    [[nodiscard]] bool enabled() const noexcept { return !m_config.webhook_url.empty(); }
    [[nodiscard]] bool busy() const noexcept { return m_busy; }

    /** Starts the next due delivery; `done(true)` when it finished (delivered or not),
     *  `done(false)` at once when nothing is due. */
    void run_next(std::function<void(bool)> done);

private:
    void record(const store::NotificationJob& job, const fetch::Response& r, bool ok,
                Timestamp now);
};

} // namespace trend::notify
