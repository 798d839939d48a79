// SPDX-License-Identifier: MIT
#include "trend/notify/webhook.hpp"

#include "trend/config/secrets.hpp"
#include "trend/log/log.hpp"
#include "trend/store/queries.hpp"
#include "trend/util/json.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace trend::notify {

namespace {

/** Slack reads &, < and > in `text` as markup (<!channel> pings everyone): escape them. */
std::string slack_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

using json::put;

DraftEvent load_event(SQLite::Database& db, std::int64_t draft_id) {
    const store::Rows r = store::select(
        db,
        "SELECT d.id, d.spike_id, t.display, coalesce(d.title, ''), coalesce(d.slug, ''), "
        "d.status, coalesce(d.path, ''), json_array_length(coalesce(d.unverified, '[]')) "
        "FROM drafts d JOIN spikes s ON s.id = d.spike_id JOIN terms t ON t.id = s.term_id "
        "WHERE d.id = ?",
        {draft_id});
    if (r.rows.empty())
        throw std::runtime_error(fmt::format("no draft {}", draft_id));
    const auto& row = r.rows[0];
    auto text = [&](std::size_t i) { return std::get<std::string>(row[i]); };
    auto num = [&](std::size_t i) { return std::get<std::int64_t>(row[i]); };
    return {num(0), num(1), text(2), text(3), text(4), text(5), text(6), static_cast<int>(num(7))};
}

} // namespace

std::string payload_json(const DraftEvent& e) {
    rapidjson::StringBuffer buf;
    json::Writer w(buf);
    w.StartObject();
    w.Key("event");
    put(w, "draft");
    w.Key("text");
    put(w, fmt::format("New {} explainer for “{}”: {}{}",
                       e.status == "needs_review" ? "draft (needs review)" : "draft",
                       slack_escape(e.term), slack_escape(e.title),
                       e.unverified > 0 ? fmt::format(" ({} unverified claims)", e.unverified)
                                        : std::string()));
    w.Key("draft_id");
    w.Int64(e.draft_id);
    w.Key("spike_id");
    w.Int64(e.spike_id);
    w.Key("term");
    put(w, e.term);
    w.Key("title");
    put(w, e.title);
    w.Key("slug");
    put(w, e.slug);
    w.Key("status");
    put(w, e.status);
    w.Key("path");
    put(w, e.path);
    w.Key("unverified");
    w.Int(e.unverified);
    w.EndObject();
    return buf.GetString();
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i)
        hex += fmt::format("{:02x}", mac[i]);
    return hex;
}

Seconds retry_delay(int failures) {
    return std::min(Seconds{600}, Seconds{1LL << std::min(std::max(failures - 1, 0), 20)});
}

Notifier::Notifier(store::Store& store, const config::NotifyConfig& config, const Clock& clock,
                   fetch::HttpClient& http)
    : m_store(store), m_config(config), m_clock(clock), m_http(http) {}

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
    DraftEvent event;
    try {
        event = load_event(m_store.db(), job->draft_id);
    } catch (const std::exception& e) {
        m_store.notification_failed(job->id, 0, e.what(), std::nullopt);
        done(true);
        return;
    }
    fetch::Request req;
    req.url = m_config.webhook_url;
    req.method = "POST";
    req.body = payload_json(event);
    req.headers = {"Content-Type: application/json"};
    // The timestamp is signed with the body: a captured request cannot be replayed later.
    const std::string timestamp = std::to_string(m_clock.now().time_since_epoch().count());
    req.headers.push_back("X-Trendd-Timestamp: " + timestamp);
    // Read at each delivery: a rotated secret needs no restart.
    const std::string secret = config::read_secret(m_config.secret_env, "webhook-secret");
    if (!secret.empty())
        req.headers.push_back("X-Trendd-Signature: sha256=" +
                              hmac_sha256_hex(secret, timestamp + "." + req.body));
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
        m_store.notification_delivered(job.id, r.http_status, now);
        log::info("notify", "draft {} announced to the webhook", job.draft_id);
        return;
    }
    const std::string error =
        r.transport == fetch::Transport::complete ? fmt::format("HTTP {}", r.http_status) : r.error;
    const bool again = job.attempts < k_max_attempts;
    std::optional<Timestamp> retry;
    if (again) // Retry-After is honoured up to an hour
        retry = now + std::max(retry_delay(job.attempts),
                               std::min(r.retry_after.value_or(Seconds{0}), Seconds{3600}));
    m_store.notification_failed(job.id, r.http_status, error, retry);
    log::error("notify", "webhook for draft {} failed (attempt {}): {}{}", job.draft_id,
               job.attempts, error, again ? "" : "; giving up");
}

} // namespace trend::notify
