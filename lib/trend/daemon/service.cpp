// SPDX-License-Identifier: MIT
#include "trend/daemon/service.hpp"

#include "trend/control/server.hpp"
#include "trend/daemon/app.hpp"
#include "trend/pipeline/backlog.hpp"
#include "trend/pipeline/draft_worker.hpp"
#include "trend/pipeline/fetch_limiter.hpp"
#include "trend/pipeline/ingest.hpp"
#include "trend/pipeline/poller.hpp"
#include "trend/daemon/status.hpp"
#include "trend/detect/rule.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/log/log.hpp"
#include "trend/store/store.hpp"
#include "trend/util/json.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <curl/curl.h>
#include <systemd/sd-daemon.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include <unistd.h>

namespace trend::daemon {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

Seconds next_poll_delay(Seconds interval, int failures_in_row, std::optional<Seconds> retry_after,
                        Seconds cap, double unit) {
    double base = static_cast<double>(interval.count());
    if (failures_in_row > 0) {
        // Backing off never means polling more often than a healthy feed does.
        const double first = std::max(base, 60.0);
        base = std::max(base, std::min(first * std::pow(2.0, std::min(failures_in_row - 1, 30)),
                                       static_cast<double>(cap.count())));
    }
    double delay = base * (0.9 + 0.2 * unit);
    // Retry-After is honoured up to the cap: one odd header must not park a feed for years.
    if (retry_after)
        delay = std::max(delay, static_cast<double>(std::min(*retry_after, cap).count()));
    return Seconds{std::max<long long>(1, std::llround(delay))};
}

namespace {

std::string host_of(const std::string& url) {
    CURLU* h = curl_url();
    std::string host;
    char* p = nullptr;
    if (h != nullptr && curl_url_set(h, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
        curl_url_get(h, CURLUPART_HOST, &p, 0) == CURLUE_OK && p != nullptr)
        host = p;
    curl_free(p);
    curl_url_cleanup(h);
    return host; // "" for file://: all local files share one "host"
}

/** The schedule and recent history of one feed. */
struct FeedState {
    config::FeedConfig feed;
    std::string host;
    std::unique_ptr<asio::steady_timer> timer;
    bool in_flight = false;
    bool waiting = false;
    std::optional<Timestamp> next_poll_at;
    std::optional<Timestamp> last_poll_at;
    std::string last_outcome;
    std::string last_error;
    int last_items = 0;
    int failures_in_row = 0;
    Seconds backoff{0};
    std::map<std::string, long long> polls_by_outcome;
};

/** A `poll` request on the control socket, answered when its feeds are done. */
struct PollWaiter {
    std::set<std::string> pending;
    std::map<std::string, std::string> outcomes;
    control::Server::Respond respond;
};

class Service final {
    asio::io_context m_io;
    asio::signal_set m_signals{m_io, SIGINT, SIGTERM, SIGHUP};
    asio::steady_timer m_watchdog{m_io};
    asio::steady_timer m_tick{m_io};
    config::Config m_config;
    std::filesystem::path m_config_path;
    SystemClock m_clock;
    Timestamp m_started_at;
    store::Store m_store;
    pipeline::Ingestor m_ingestor;
    fetch::HttpClient m_http{m_io};
    pipeline::Poller m_poller;
    pipeline::DraftWorker m_drafts;
    notify::Notifier m_notifier;
    pipeline::Backlog m_backlog;
    pipeline::FetchLimiter m_limiter;
    std::unique_ptr<control::Server> m_control;
    std::map<std::string, FeedState> m_feeds;
    std::vector<PollWaiter> m_poll_waiters;
    std::mt19937_64 m_random{std::random_device{}()};
    std::chrono::microseconds m_watchdog_usec{0};
    SteadyClock::time_point m_tick_due;
    double m_lag = 0, m_lag_max = 0;
    bool m_stopping = false;

public:
    Service(config::Config config, std::filesystem::path config_path)
        : m_config(std::move(config)), m_config_path(std::move(config_path)),
          m_started_at(m_clock.now()), m_store(m_config.daemon.database),
          m_ingestor(m_store, detect::compile_rules(m_config.rules)),
          m_poller(m_http, m_store, m_ingestor, m_clock),
          m_drafts(m_store, m_config, m_clock, &m_http),
          m_notifier(m_store, m_config.notify, m_clock, m_http),
          m_backlog(m_io, m_store, m_drafts, &m_notifier, m_clock, [this] { update_status(); }),
          m_limiter(m_config.daemon.max_concurrent_fetches, m_config.daemon.max_fetches_per_host) {}

    int run() {
        m_control = std::make_unique<control::Server>(
            m_io, m_config.daemon.control_socket,
            [this](const control::Request& r, control::Server::Respond respond) {
                on_request(r, std::move(respond));
            });
        if (const int n = m_store.requeue_interrupted_drafts(); n > 0)
            log::notice("draft", "{} draft(s) interrupted by a crash are queued again", n);
        m_drafts.sweep_temp_files();
        m_poller.sync_feeds(m_config);
        schedule_all(/*first=*/true);
        wait_for_signal();
        start_watchdog();
        tick();
        // Drafts left by a crash or queued while we were down come first.
        asio::post(m_io, [this] { m_backlog.kick(); });
        log::notice("trendd", "started: {} feeds, {} rules, database {}, control socket {}",
                    m_feeds.size(), m_config.rules.size(), m_config.daemon.database.string(),
                    m_config.daemon.control_socket.string());
        sd_notify(0, "READY=1");
        update_status();
        // A handler that throws (a database error where nobody expected one) is logged and the
        // loop goes on: one bad moment must not stop the daemon.
        for (;;) {
            try {
                m_io.run();
                return k_exit_ok;
            } catch (const std::exception& e) {
                log::error("trendd", "unexpected error in the event loop, continuing: {}",
                           e.what());
            }
        }
    }

private:
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(m_random); }

    // ---- scheduling ---------------------------------------------------------------------------

    void schedule_all(bool first) {
        for (const config::FeedConfig& f : m_config.feeds) {
            if (!f.enabled)
                continue;
            FeedState& st = m_feeds[f.name];
            const bool changed =
                !st.timer || st.feed.url != f.url || st.feed.interval != f.interval;
            st.feed = f;
            st.host = host_of(f.url);
            if (!st.timer)
                st.timer = std::make_unique<asio::steady_timer>(m_io);
            if (changed && !st.in_flight && !st.waiting) {
                // Spread the first polls over the first half-minute (or interval) so a
                // hundred feeds do not fire in the same second.
                const double spread = std::min(30.0, static_cast<double>(f.interval.count()));
                arm(st, first ? Seconds{static_cast<long long>(spread * unit())} : Seconds{0});
            }
        }
        for (auto it = m_feeds.begin(); it != m_feeds.end();) {
            const bool kept =
                std::any_of(m_config.feeds.begin(), m_config.feeds.end(),
                            [&](const auto& f) { return f.name == it->first && f.enabled; });
            if (kept) {
                ++it;
                continue;
            }
            it->second.timer->cancel();
            m_limiter.forget(it->first);
            finish_waiters(it->first, "removed"); // a `poll` waiting for it gets its answer
            it = m_feeds.erase(it);
        }
    }

    void arm(FeedState& st, Seconds delay) {
        st.next_poll_at = m_clock.now() + delay;
        st.timer->expires_after(delay);
        st.timer->async_wait([this, name = st.feed.name](boost::system::error_code ec) {
            if (!ec && !m_stopping)
                request_poll(name);
        });
    }

    /** A feed is due: poll it now, or queue it behind the concurrency limits. */
    void request_poll(const std::string& name) {
        auto it = m_feeds.find(name);
        if (it == m_feeds.end() || it->second.in_flight || it->second.waiting)
            return;
        FeedState& st = it->second;
        st.timer->cancel();
        st.next_poll_at.reset();
        if (m_limiter.acquire(name, st.host))
            start_poll(st, st.host);
        else
            st.waiting = true;
    }

    /** `host` is the one the limiter counted (a reload may have changed the feed's since). */
    void start_poll(FeedState& st, const std::string& host) {
        st.waiting = false;
        st.in_flight = true;
        m_poller.poll(st.feed, m_config.daemon,
                      [this, name = st.feed.name, host](const pipeline::PollSummary& s) {
                          m_limiter.release(host);
                          on_polled(name, s);
                          start_waiting();
                      });
    }

    void start_waiting() {
        while (!m_stopping) {
            const auto next = m_limiter.next();
            if (!next)
                return;
            auto it = m_feeds.find(next->first);
            if (it == m_feeds.end()) {
                m_limiter.release(next->second); // the feed was removed while it waited
                continue;
            }
            start_poll(it->second, next->second);
        }
    }

    void on_polled(const std::string& name, const pipeline::PollSummary& s) {
        if (m_stopping)
            return;
        finish_waiters(name, s.outcome);
        auto it = m_feeds.find(name);
        if (it == m_feeds.end())
            return; // removed by a reload while in flight
        FeedState& st = it->second;
        st.in_flight = false;
        st.last_poll_at = m_clock.now();
        st.last_outcome = s.outcome;
        st.last_error = s.error;
        st.last_items = s.items;
        ++st.polls_by_outcome[s.outcome];
        const bool ok = s.outcome == "ok" || s.outcome == "not_modified";
        st.failures_in_row = ok ? 0 : st.failures_in_row + 1;
        const Seconds delay = next_poll_delay(st.feed.interval, st.failures_in_row, s.retry_after,
                                              m_config.daemon.backoff_max, unit());
        st.backoff = ok ? Seconds{0} : delay;
        if (!ok)
            log::warning("poll", "{}: {} failure(s) in a row, next try in {}", name,
                         st.failures_in_row, format_duration(delay));
        arm(st, delay);
        if (!s.stats.drafts.empty())
            m_backlog.kick();
        update_status();
    }

    // ---- systemd ------------------------------------------------------------------------------

    void update_status() noexcept {
        try {
            int failing = 0;
            for (const auto& [name, st] : m_feeds)
                failing += st.failures_in_row > 0 ? 1 : 0;
            const std::string status =
                fmt::format("STATUS={} feeds ({} failing), {} drafts pending", m_feeds.size(),
                            failing, m_store.pending_drafts());
            sd_notify(0, status.c_str());
        } catch (const std::exception& e) {
            log::warning("trendd", "cannot update the status line: {}", e.what());
        }
    }

    void start_watchdog() {
        std::uint64_t usec = 0;
        if (sd_watchdog_enabled(0, &usec) <= 0)
            return;
        m_watchdog_usec = std::chrono::microseconds(usec);
        ping_watchdog();
    }

    void ping_watchdog() {
        // Driven by the loop: a stuck loop stops pinging and systemd restarts us.
        sd_notify(0, "WATCHDOG=1");
        m_watchdog.expires_after(m_watchdog_usec / 2);
        m_watchdog.async_wait([this](boost::system::error_code ec) {
            if (!ec && !m_stopping)
                ping_watchdog();
        });
    }

    /** A 1 s tick that measures how late the loop runs it (loop lag, for metrics). */
    void tick() {
        m_tick_due = SteadyClock::now() + std::chrono::seconds(1);
        m_tick.expires_at(m_tick_due);
        m_tick.async_wait([this](boost::system::error_code ec) {
            if (ec || m_stopping)
                return;
            m_lag = std::chrono::duration<double>(SteadyClock::now() - m_tick_due).count();
            m_lag_max = std::max(m_lag_max, m_lag);
            tick();
        });
    }

    // ---- signals and control ------------------------------------------------------------------

    void wait_for_signal() {
        m_signals.async_wait([this](boost::system::error_code ec, int sig) {
            if (ec)
                return;
            if (sig == SIGHUP) {
                reload();
                wait_for_signal();
            } else {
                stop(sig);
            }
        });
    }

    /** Re-reads the config; returns the errors when it was refused. */
    std::vector<std::string> reload() {
        const auto now_usec = std::chrono::duration_cast<std::chrono::microseconds>(
            SteadyClock::now().time_since_epoch());
        sd_notify(0, fmt::format("RELOADING=1\nMONOTONIC_USEC={}", now_usec.count()).c_str());
        std::vector<std::string> errors;
        if (m_config_path.empty()) {
            log::warning("config", "reload: running on built-in defaults, nothing to re-read");
        } else {
            config::LoadResult r = config::load(m_config_path);
            if (!r.config) {
                for (const auto& e : r.errors) {
                    log::error("config", "reload refused: {}", e.str());
                    errors.push_back(e.str());
                }
                log::error("config", "reload refused: keeping the running configuration");
            } else {
                apply(std::move(*r.config));
            }
        }
        sd_notify(0, "READY=1");
        update_status();
        return errors;
    }

    void apply(config::Config next) {
        if (next.daemon.database != m_config.daemon.database)
            log::warning("config", "reload: a new database path takes effect at restart");
        if (next.daemon.control_socket != m_config.daemon.control_socket)
            log::warning("config", "reload: a new control socket takes effect at restart");
        next.daemon.database = m_config.daemon.database;
        next.daemon.control_socket = m_config.daemon.control_socket;
        m_config = std::move(next);
        log::set_level(m_config.daemon.log_level);
        m_limiter.set_limits(m_config.daemon.max_concurrent_fetches,
                             m_config.daemon.max_fetches_per_host);
        m_ingestor.set_rules(detect::compile_rules(m_config.rules));
        m_poller.sync_feeds(m_config);
        schedule_all(/*first=*/false);
        log::notice("config", "reloaded {}: {} feeds, {} rules", m_config_path.string(),
                    m_feeds.size(), m_config.rules.size());
    }

    void on_request(const control::Request& r, control::Server::Respond respond) {
        try {
            if (r.cmd == "status") {
                respond(control::ok_reply(status_json(snapshot())));
            } else if (r.cmd == "metrics") {
                respond(
                    control::ok_reply("{\"text\":" + json::quote(metrics_text(snapshot())) + "}"));
            } else if (r.cmd == "reload") {
                const auto errors = reload();
                if (errors.empty())
                    respond(control::ok_reply(fmt::format("{{\"feeds\":{},\"rules\":{}}}",
                                                          m_feeds.size(), m_config.rules.size())));
                else
                    respond(control::error_reply("invalid-config",
                                                 fmt::format("{}", fmt::join(errors, "\n"))));
            } else if (r.cmd == "poll") {
                poll_now(r.feed, respond);
            }
        } catch (const std::exception& e) {
            log::error("control", "{} failed: {}", r.cmd, e.what());
            respond(control::error_reply("internal", e.what()));
        }
    }

    void poll_now(const std::string& feed, const control::Server::Respond& respond) {
        PollWaiter w;
        if (!feed.empty()) {
            if (m_feeds.count(feed) == 0) {
                respond(control::error_reply("unknown-feed",
                                             fmt::format("no enabled feed \"{}\"", feed)));
                return;
            }
            w.pending.insert(feed);
        } else {
            for (const auto& [name, st] : m_feeds)
                w.pending.insert(name);
        }
        if (w.pending.empty()) {
            respond(control::ok_reply("{\"polled\":{}}"));
            return;
        }
        w.respond = respond;
        const std::set<std::string> names = w.pending;
        m_poll_waiters.push_back(std::move(w));
        for (const std::string& name : names)
            request_poll(name);
    }

    void finish_waiters(const std::string& name, const std::string& outcome) {
        for (auto it = m_poll_waiters.begin(); it != m_poll_waiters.end();) {
            if (it->pending.erase(name) != 0)
                it->outcomes[name] = outcome;
            if (!it->pending.empty()) {
                ++it;
                continue;
            }
            std::string data = "{\"polled\":{";
            bool first = true;
            for (const auto& [n, o] : it->outcomes) {
                data += fmt::format("{}{}:{}", first ? "" : ",", json::quote(n), json::quote(o));
                first = false;
            }
            it->respond(control::ok_reply(data + "}}"));
            it = m_poll_waiters.erase(it);
        }
    }

    DaemonStatus snapshot() {
        DaemonStatus s;
        s.version = TRENDD_VERSION;
        s.pid = static_cast<long>(::getpid());
        s.started_at = m_started_at;
        s.now = m_clock.now();
        s.config_path = m_config_path.string();
        s.database = m_config.daemon.database.string();
        std::error_code ec;
        s.database_bytes =
            static_cast<std::int64_t>(std::filesystem::file_size(m_config.daemon.database, ec));
        for (const auto& [name, st] : m_feeds)
            s.feeds.push_back({name, st.feed.url, st.feed.geo, st.feed.interval, st.in_flight,
                               st.waiting, st.last_poll_at, st.next_poll_at, st.last_outcome,
                               st.last_error, st.last_items, st.failures_in_row, st.backoff,
                               st.polls_by_outcome});
        s.totals = store::totals(m_store.db());
        s.drafts_by_status = store::select(m_store.db(), "SELECT status, count(*) FROM drafts "
                                                         "GROUP BY status ORDER BY status");
        s.loop_lag_seconds = m_lag;
        s.loop_lag_max_seconds = m_lag_max;
        s.fetches_active = m_limiter.active();
        s.fetches_waiting = m_limiter.waiting();
        return s;
    }

    void stop(int sig) {
        log::notice("trendd", "signal {}: stopping", sig);
        sd_notify(0, "STOPPING=1");
        m_stopping = true;
        m_signals.cancel();
        m_watchdog.cancel();
        m_tick.cancel();
        m_backlog.stop();
        m_control->stop();
        for (auto& [name, st] : m_feeds)
            st.timer->cancel();
        // Transfers in flight are abandoned; no transaction is open, since every handler runs
        // to completion on this thread.
        m_http.cancel_all();
        m_io.stop();
    }
};

} // namespace

int run_service(config::Config config, const std::filesystem::path& config_path) {
    try {
        Service service(std::move(config), config_path);
        return service.run();
    } catch (const control::ServerError& e) {
        log::error("trendd", "{}", e.what());
        return k_exit_failure;
    }
}

} // namespace trend::daemon
