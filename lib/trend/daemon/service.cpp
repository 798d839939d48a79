// SPDX-License-Identifier: MIT
#include "trend/daemon/service.hpp"

#include "trend/daemon/app.hpp"
#include "trend/daemon/draft_worker.hpp"
#include "trend/daemon/ingest.hpp"
#include "trend/daemon/poller.hpp"
#include "trend/detect/rule.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/log/log.hpp"
#include "trend/store/store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <systemd/sd-daemon.h>

#include <cmath>
#include <map>
#include <random>

namespace trend::daemon {

namespace asio = boost::asio;

Seconds next_poll_delay(Seconds interval, int failures_in_row, std::optional<Seconds> retry_after,
                        Seconds cap, double unit) {
    double base = static_cast<double>(interval.count());
    if (failures_in_row > 0) {
        const double first = std::max(base, 60.0);
        base = std::min(first * std::pow(2.0, std::min(failures_in_row - 1, 30)),
                        static_cast<double>(cap.count()));
    }
    double delay = base * (0.9 + 0.2 * unit);
    if (retry_after)
        delay = std::max(delay, static_cast<double>(retry_after->count()));
    return Seconds{std::max<long long>(1, std::llround(delay))};
}

namespace {

/** The schedule of one feed. */
struct FeedState {
    config::FeedConfig feed;
    std::unique_ptr<asio::steady_timer> timer;
    int failures_in_row = 0;
    bool in_flight = false;
    std::string last_outcome;
};

class Service final {
    asio::io_context m_io;
    asio::signal_set m_signals{m_io, SIGINT, SIGTERM, SIGHUP};
    asio::steady_timer m_watchdog{m_io};
    config::Config m_config;
    std::filesystem::path m_config_path;
    SystemClock m_clock;
    store::Store m_store;
    Ingestor m_ingestor;
    fetch::HttpClient m_http{m_io};
    Poller m_poller;
    DraftWorker m_drafts;
    std::map<std::string, FeedState> m_feeds;
    std::mt19937_64 m_random{std::random_device{}()};
    std::chrono::microseconds m_watchdog_usec{0};
    bool m_stopping = false;
    int m_exit = k_exit_ok;

public:
    Service(config::Config config, std::filesystem::path config_path)
        : m_config(std::move(config)), m_config_path(std::move(config_path)),
          m_store(m_config.daemon.database),
          m_ingestor(m_store, detect::compile_rules(m_config.rules)),
          m_poller(m_http, m_store, m_ingestor, m_clock), m_drafts(m_store, m_config, m_clock) {}

    int run() {
        if (const int n = m_store.requeue_interrupted_drafts(); n > 0)
            log::notice("draft", "{} draft(s) interrupted by a crash are queued again", n);
        m_poller.sync_feeds(m_config);
        schedule_all(/*first=*/true);
        wait_for_signal();
        start_watchdog();
        // Drafts left by a crash or queued while we were down come first.
        asio::post(m_io, [this] { run_drafts(); });
        log::notice("trendd", "started: {} feeds, {} rules, database {}", m_feeds.size(),
                    m_config.rules.size(), m_config.daemon.database.string());
        sd_notify(0, "READY=1");
        update_status();
        m_io.run();
        return m_exit;
    }

private:
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(m_random); }

    void schedule_all(bool first) {
        for (const config::FeedConfig& f : m_config.feeds) {
            if (!f.enabled)
                continue;
            FeedState& st = m_feeds[f.name];
            const bool changed = !st.timer || st.feed.url != f.url || st.feed.interval != f.interval;
            st.feed = f;
            if (!st.timer)
                st.timer = std::make_unique<asio::steady_timer>(m_io);
            if (changed && !st.in_flight) {
                // Spread the first polls over the first half-minute (or interval) so a
                // hundred feeds do not fire in the same second.
                const double spread = std::min(30.0, static_cast<double>(f.interval.count()));
                arm(st, first ? Seconds{static_cast<long long>(spread * unit())} : Seconds{0});
            }
        }
        for (auto it = m_feeds.begin(); it != m_feeds.end();) {
            const bool kept = std::any_of(m_config.feeds.begin(), m_config.feeds.end(),
                                          [&](const auto& f) { return f.name == it->first && f.enabled; });
            if (kept) {
                ++it;
            } else {
                it->second.timer->cancel();
                it = m_feeds.erase(it);
            }
        }
    }

    void arm(FeedState& st, Seconds delay) {
        st.timer->expires_after(delay);
        st.timer->async_wait([this, name = st.feed.name](boost::system::error_code ec) {
            if (ec || m_stopping)
                return;
            poll(name);
        });
    }

    void poll(const std::string& name) {
        auto it = m_feeds.find(name);
        if (it == m_feeds.end() || it->second.in_flight)
            return;
        it->second.in_flight = true;
        m_poller.poll(it->second.feed, m_config.daemon, [this, name](const PollSummary& s) {
            on_polled(name, s);
        });
    }

    void on_polled(const std::string& name, const PollSummary& s) {
        auto it = m_feeds.find(name);
        if (it == m_feeds.end() || m_stopping)
            return; // removed by a reload, or shutting down
        FeedState& st = it->second;
        st.in_flight = false;
        st.last_outcome = s.outcome;
        const bool ok = s.outcome == "ok" || s.outcome == "not_modified";
        st.failures_in_row = ok ? 0 : st.failures_in_row + 1;
        const Seconds delay = next_poll_delay(st.feed.interval, st.failures_in_row, s.retry_after,
                                              m_config.daemon.backoff_max, unit());
        if (!ok)
            log::warning("poll", "{}: {} failure(s) in a row, next try in {}", name,
                         st.failures_in_row, format_duration(delay));
        arm(st, delay);
        if (!s.stats.drafts.empty())
            asio::post(m_io, [this] { run_drafts(); });
        update_status();
    }

    void run_drafts() {
        // The built-in drafter takes milliseconds: one job per loop turn keeps polls flowing.
        if (m_stopping)
            return;
        if (m_drafts.run_one())
            asio::post(m_io, [this] { run_drafts(); });
        update_status();
    }

    void update_status() {
        int failing = 0;
        for (const auto& [name, st] : m_feeds)
            failing += st.failures_in_row > 0 ? 1 : 0;
        const std::string status =
            fmt::format("STATUS={} feeds ({} failing), {} drafts pending", m_feeds.size(), failing,
                        m_store.pending_drafts());
        sd_notify(0, status.c_str());
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

    void reload() {
        const auto now_usec = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now().time_since_epoch());
        sd_notify(0, fmt::format("RELOADING=1\nMONOTONIC_USEC={}", now_usec.count()).c_str());
        if (m_config_path.empty()) {
            log::warning("config", "reload: running on built-in defaults, nothing to re-read");
        } else {
            config::LoadResult r = config::load(m_config_path);
            if (!r.config) {
                for (const auto& e : r.errors)
                    log::error("config", "reload refused: {}", e.str());
                log::error("config", "reload refused: keeping the running configuration");
            } else {
                apply(std::move(*r.config));
            }
        }
        sd_notify(0, "READY=1");
        update_status();
    }

    void apply(config::Config next) {
        if (next.daemon.database != m_config.daemon.database)
            log::warning("config", "reload: a new database path takes effect at restart");
        next.daemon.database = m_config.daemon.database;
        m_config = std::move(next);
        log::set_level(m_config.daemon.log_level);
        m_ingestor.set_rules(detect::compile_rules(m_config.rules));
        m_poller.sync_feeds(m_config);
        schedule_all(/*first=*/false);
        log::notice("config", "reloaded {}: {} feeds, {} rules", m_config_path.string(),
                    m_feeds.size(), m_config.rules.size());
    }

    void stop(int sig) {
        log::notice("trendd", "signal {}: stopping", sig);
        sd_notify(0, "STOPPING=1");
        m_stopping = true;
        m_signals.cancel();
        m_watchdog.cancel();
        for (auto& [name, st] : m_feeds)
            st.timer->cancel();
        // Transfers in flight are abandoned; the transaction in hand (if any) has already
        // committed, since every handler runs to completion on this thread.
        m_http.cancel_all();
        m_io.stop();
    }
};

} // namespace

int run_service(config::Config config, const std::filesystem::path& config_path) {
    Service service(std::move(config), config_path);
    return service.run();
}

} // namespace trend::daemon
