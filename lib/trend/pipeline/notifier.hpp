// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/pipeline/retry.hpp"
#include "trend/pipeline/write_queue.hpp"
#include "trend/store/store.hpp"

#include <functional>

namespace trend::pipeline {

/** Webhook deliveries: 1 s, 2 s, 4 s ... at most 10 min, Retry-After up to an hour, given up
 *  after 6 attempts. */
inline constexpr RetryPolicy k_webhook_retry{.first = Seconds{1},
                                             .max = Seconds{600},
                                             .retry_after_max = Seconds{3600},
                                             .max_attempts = 6};

/**
 * Delivers pending webhook notifications (notify/webhook.hpp: payload and signature) one at a
 * time, as transfers on the loop; each failure is recorded and retried under
 * k_webhook_retry, then given up ('failed'). Drafting never waits for it. Lives on the
 * io_context thread.
 */
class Notifier final {
    store::Store& m_store;
    WriteQueue& m_writes;
    const config::NotifyConfig& m_config;
    const Clock& m_clock;
    fetch::HttpClient& m_http;
    bool m_busy = false;

public:
    Notifier(store::Store& store, WriteQueue& writes, const config::NotifyConfig& config,
             const Clock& clock, fetch::HttpClient& http)
        : m_store(store), m_writes(writes), m_config(config), m_clock(clock), m_http(http) {}

    [[nodiscard]] bool enabled() const noexcept { return !m_config.webhook_url.empty(); }
    [[nodiscard]] bool busy() const noexcept { return m_busy; }

    /** Starts the next due delivery; `done(true)` when it finished (delivered or not),
     *  `done(false)` at once when nothing is due. */
    void run_next(std::function<void(bool)> done);

private:
    void record(const store::NotificationJob& job, const fetch::Response& r, bool ok,
                Timestamp now);
};

} // namespace trend::pipeline
