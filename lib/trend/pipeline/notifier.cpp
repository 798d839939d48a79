// SPDX-License-Identifier: MIT
#include "trend/pipeline/notifier.hpp"

#include "trend/config/secrets.hpp"
#include "trend/log/log.hpp"
#include "trend/notify/webhook.hpp"

#include <fmt/format.h>

namespace trend::pipeline {

void Notifier::run_next(std::function<void(bool)> done) {
    if (!enabled() || m_busy) {
        done(false);
        return;
    }
    std::optional<store::NotificationJob> job;
    try {
        job = m_store.claim_notification(m_clock.now());
    } catch (const std::exception& e) {
        log::error("notify", "cannot take a webhook job: {}", e.what());
    }
    if (!job) {
        done(false);
        return;
    }
    notify::DraftEvent event;
    try {
        const store::DraftSummary d = m_store.draft_summary(job->draft_id);
        event = {d.draft_id, d.spike_id, d.term, d.title, d.slug, d.status, d.path, d.unverified};
    } catch (const std::exception& e) {
        m_writes.submit(fmt::format("give up the webhook of draft {}", job->draft_id),
                        [this, id = job->id, error = std::string(e.what())] {
                            m_store.notification_failed(id, 0, error, std::nullopt);
                        });
        done(true);
        return;
    }
    fetch::Request req;
    req.url = m_config.webhook_url;
    req.method = "POST";
    req.body = notify::payload_json(event);
    req.headers = {"Content-Type: application/json"};
    // The timestamp is signed with the body: a captured request cannot be replayed later.
    const std::string timestamp = std::to_string(m_clock.now().time_since_epoch().count());
    req.headers.push_back("X-Trendd-Timestamp: " + timestamp);
    // Read at each delivery: a rotated secret needs no restart.
    const std::string secret = config::read_secret(m_config.secret_env, "webhook-secret");
    if (!secret.empty())
        req.headers.push_back("X-Trendd-Signature: sha256=" +
                              notify::hmac_sha256_hex(secret, timestamp + "." + req.body));
    req.total_timeout = std::chrono::seconds(15);
    req.max_body_bytes = 64 * 1024;
    req.max_redirects = 0;
    req.user_agent = "trendd/" TRENDD_VERSION;
    m_busy = true;
    m_http.start(std::move(req), [this, job = *job, done = std::move(done)](fetch::Response r) {
        m_busy = false;
        if (r.transport == fetch::Transport::cancelled)
            return; // shutting down: it stays pending and goes out after the restart
        const Timestamp now = m_clock.now();
        const bool ok = r.transport == fetch::Transport::complete && r.http_status >= 200 &&
                        r.http_status < 300;
        try {
            record(job, r, ok, now);
        } catch (const std::exception& e) {
            log::error("notify", "webhook for draft {}: cannot record the outcome: {}",
                       job.draft_id, e.what());
        }
        done(true);
    });
}

void Notifier::record(const store::NotificationJob& job, const fetch::Response& r, bool ok,
                      Timestamp now) {
    if (ok) {
        m_writes.submit(fmt::format("record the webhook delivery of draft {}", job.draft_id),
                        [this, id = job.id, status = r.http_status, now] {
                            m_store.notification_delivered(id, status, now);
                        });
        log::info("notify", "draft {} announced to the webhook", job.draft_id);
        return;
    }
    const std::string error =
        r.transport == fetch::Transport::complete ? fmt::format("HTTP {}", r.http_status) : r.error;
    const bool again = k_webhook_retry.allows_another(job.attempts);
    std::optional<Timestamp> retry;
    if (again)
        retry = now + k_webhook_retry.delay(job.attempts, r.retry_after, random_unit());
    m_writes.submit(fmt::format("record the failed webhook delivery of draft {}", job.draft_id),
                    [this, id = job.id, status = r.http_status, error, retry] {
                        m_store.notification_failed(id, status, error, retry);
                    });
    log::error("notify", "webhook for draft {} failed (attempt {}): {}{}", job.draft_id,
               job.attempts, error, again ? "" : "; giving up");
}

} // namespace trend::pipeline
