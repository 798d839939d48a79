// SPDX-License-Identifier: MIT
#include "trend/daemon/service.hpp"

#include "trend/control/metrics_listener.hpp"
#include "trend/control/server.hpp"
#include "trend/daemon/app.hpp"
#include "trend/daemon/control_handler.hpp"
#include "trend/daemon/memory.hpp"
#include "trend/daemon/scheduler.hpp"
#include "trend/daemon/status.hpp"
#include "trend/log/log.hpp"
#include "trend/pipeline/pipeline.hpp"
#include "trend/pipeline/retry.hpp"
#include "trend/util/fs.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <set>

#include <unistd.h>

namespace trend::daemon {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace {

/** When the daemon gives back the memory its start used (memory.hpp): once every feed has been
 *  polled (or this long after the start, if some feed is held back), then once an hour, for
 *  what a reload, a draft or a burst of polls touched once. */
constexpr std::chrono::seconds k_trim_after_start{120};
constexpr std::chrono::hours k_trim_every{1};

class Service final : public Controlled {
    asio::io_context m_io;
    asio::signal_set m_signals{m_io, SIGINT, SIGTERM, SIGHUP};
    asio::steady_timer m_poll_timer{m_io};
    asio::steady_timer m_watchdog{m_io};
    asio::steady_timer m_tick{m_io};
    asio::steady_timer m_trim{m_io};
    /** The feeds not yet polled since the start: when the last one is, the start is over. */
    std::set<std::string> m_first_round;
    /** systemd reads the STATUS line only when it started us with a notification socket. */
    bool m_notify = std::getenv("NOTIFY_SOCKET") != nullptr;
    std::filesystem::path m_config_path;
    SystemClock m_clock;
    Timestamp m_started_at;
    pipeline::Pipeline m_pipeline;
    Scheduler m_scheduler;
    ControlHandler m_control_handler{*this};
    std::unique_ptr<control::Server> m_control;
    std::unique_ptr<control::MetricsListener> m_metrics; ///< only with [metrics] listen
    std::chrono::microseconds m_watchdog_usec{0};
    SteadyClock::time_point m_tick_due;
    double m_lag = 0, m_lag_max = 0;
    bool m_stopping = false;

public:
    Service(config::Config config, std::filesystem::path config_path)
        : m_config_path(std::move(config_path)), m_started_at(m_clock.now()),
          m_pipeline(m_io, std::move(config), m_clock,
                     {.busy_timeout = pipeline::k_loop_busy_timeout}, [this] { update_status(); }),
          m_scheduler(m_clock, &pipeline::random_unit) {}

    int run() {
        const config::Config& cfg = m_pipeline.config();
        m_control = std::make_unique<control::Server>(
            m_io, cfg.daemon.control_socket,
            [this](const control::Request& r, control::Server::Respond respond) {
                m_control_handler.handle(r, respond);
            });
        if (cfg.metrics.enabled())
            m_metrics = std::make_unique<control::MetricsListener>(
                m_io, cfg.metrics.address, cfg.metrics.port,
                [this] { return metrics_text(status()); });
        m_scheduler.configure(cfg, history(), /*start=*/true);
        for (const auto& [name, st] : m_scheduler.feeds())
            m_first_round.insert(name);
        wait_for_signal();
        start_watchdog();
        tick();
        schedule_trim(k_trim_after_start);
        // Drafts left by a crash or queued while we were down come first.
        asio::post(m_io, [this] { m_pipeline.kick(); });
        asio::post(m_io, [this] { poll_due(); });
        log::notice("trendd", "started: {} feeds, {} rules, database {}, control socket {}{}",
                    m_scheduler.feeds().size(), cfg.rules.size(), cfg.daemon.database.string(),
                    cfg.daemon.control_socket.string(),
                    m_metrics ? ", metrics on http://" + cfg.metrics.str() + "/metrics" : "");
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

    // ---- Controlled -----------------------------------------------------------------------

    DaemonStatus status() override {
        const config::Config& cfg = m_pipeline.config();
        DaemonStatus s;
        s.version = TRENDD_VERSION;
        s.pid = static_cast<long>(::getpid());
        s.started_at = m_started_at;
        s.now = m_clock.now();
        s.config_path = m_config_path.string();
        s.database = cfg.daemon.database.string();
        s.database_bytes = util::database_size(cfg.daemon.database);
        for (const auto& [name, st] : m_scheduler.feeds())
            s.feeds.push_back(st);
        s.totals = m_pipeline.store().totals();
        s.drafts_by_status = m_pipeline.store().drafts_by_status();
        s.health = m_pipeline.store().feed_health_states();
        if (auto problem = util::writable_directory_problem(cfg.daemon.drafts_dir))
            s.problems.push_back("drafts_dir: " + *problem);
        s.writes_waiting = m_pipeline.writes().pending();
        if (const auto since = m_pipeline.writes().waiting_since();
            since && s.now - *since >= Seconds{5})
            s.problems.push_back(fmt::format("{} database write(s) waiting: the database has "
                                             "been locked by another connection since {}",
                                             s.writes_waiting, format_iso(*since)));
        s.loop_lag_seconds = m_lag;
        s.loop_lag_max_seconds = m_lag_max;
        s.fetches_active = m_scheduler.active();
        s.fetches_waiting = m_scheduler.waiting();
        if (const pipeline::PageReader* pages = m_pipeline.pages()) {
            const pipeline::PageStats& ps = pages->stats();
            s.pages_enabled = pages->enabled();
            s.pages_by_outcome = ps.by_outcome;
            s.page_bytes = ps.bytes;
            s.page_extractions = ps.extractions;
            s.page_extraction_seconds = ps.extraction_seconds;
        }
        try {
            s.page_health = m_pipeline.store().page_health();
        } catch (const std::exception& e) {
            s.problems.push_back(fmt::format("cannot read the page queue: {}", e.what()));
        }
        return s;
    }

    std::vector<std::string> reload() override {
        const auto now_usec = std::chrono::duration_cast<std::chrono::microseconds>(
            SteadyClock::now().time_since_epoch());
        sd_notify(0, fmt::format("RELOADING=1\nMONOTONIC_USEC={}", now_usec.count()).c_str());
        std::vector<std::string> errors;
        if (m_config_path.empty()) {
            log::warning("config", "reload: running on built-in defaults, nothing to re-read");
        } else {
            config::LoadResult r = config::load(m_config_path);
            for (const auto& e : r.errors) {
                log::error("config", "reload refused: {}", e.str());
                errors.push_back(e.str());
            }
            if (r.config)
                apply(std::move(*r.config));
            else
                log::error("config", "reload refused: keeping the running configuration");
        }
        sd_notify(0, "READY=1");
        update_status();
        return errors;
    }

    std::vector<std::string> poll_now(const std::string& feed) override {
        std::vector<std::string> names;
        for (const auto& [name, st] : m_scheduler.feeds())
            if ((feed.empty() || feed == name) && m_scheduler.poll_soon(name))
                names.push_back(name);
        asio::post(m_io, [this] { poll_due(); });
        return names;
    }

    std::pair<std::size_t, std::size_t> size() const override {
        return {m_scheduler.feeds().size(), m_pipeline.config().rules.size()};
    }

private:
    Scheduler::History history() {
        return [this](const std::string& feed) { return m_pipeline.store().feed_poll_state(feed); };
    }

    // ---- polling --------------------------------------------------------------------------

    /** Starts every poll that is due and the limits allow, then sleeps until the next. */
    void poll_due() {
        if (m_stopping)
            return;
        for (const std::string& name : m_scheduler.take_due())
            start_poll(name);
        arm_poll_timer();
    }

    void arm_poll_timer() {
        const auto next = m_scheduler.next_due();
        if (!next) {
            m_poll_timer.cancel();
            return;
        }
        const auto wait = std::max(std::chrono::milliseconds{0}, *next - m_clock.precise_now());
        m_poll_timer.expires_after(wait);
        m_poll_timer.async_wait([this](boost::system::error_code ec) {
            if (!ec)
                poll_due();
        });
    }

    void start_poll(const std::string& name) {
        const FeedSchedule* st = m_scheduler.find(name);
        try {
            m_pipeline.poll(st->feed,
                            [this, name](const pipeline::PollSummary& s) { on_polled(name, s); });
        } catch (const std::exception& e) {
            // The feed keeps its schedule (as a failure) and frees its slot.
            log::error("poll", "{}: cannot start the poll: {}", name, e.what());
            pipeline::PollSummary s;
            s.feed = name;
            s.end = pipeline::PollEnd::not_stored;
            s.error = e.what();
            on_polled(name, s);
        }
    }

    void on_polled(const std::string& name, const pipeline::PollSummary& s) {
        if (m_stopping)
            return;
        m_control_handler.polled(name, s.outcome_name());
        if (m_first_round.erase(name) > 0 && m_first_round.empty())
            trim(); // every feed polled once: what only the start needed can go
        const std::optional<Seconds> delay = m_scheduler.finished(name, s);
        if (delay && !s.succeeded() && s.end != pipeline::PollEnd::cancelled)
            log::warning("poll", "{}: {} failure(s) in a row, next try in {}", name,
                         m_scheduler.find(name)->failures_in_row, format_duration(*delay));
        if (!s.stats.drafts.empty())
            m_pipeline.kick();
        update_status();
        poll_due(); // a freed slot may let a held poll start
    }

    // ---- configuration --------------------------------------------------------------------

    void apply(config::Config next) {
        const config::DaemonConfig& now = m_pipeline.config().daemon;
        if (next.daemon.database != now.database)
            log::warning("config", "reload: a new database path takes effect at restart");
        if (next.daemon.control_socket != now.control_socket)
            log::warning("config", "reload: a new control socket takes effect at restart");
        next.daemon.control_socket = now.control_socket;
        if (next.metrics != m_pipeline.config().metrics)
            log::warning("config", "reload: a new [metrics] listen takes effect at restart");
        next.metrics = m_pipeline.config().metrics;
        log::set_level(next.daemon.log_level);
        m_pipeline.reconfigure(std::move(next));
        const config::Config& cfg = m_pipeline.config();
        std::vector<std::string> before;
        for (const auto& [name, st] : m_scheduler.feeds())
            before.push_back(name);
        m_scheduler.configure(cfg, history(), /*start=*/false);
        // A `poll` waiting for a feed the reload removed gets its answer.
        for (const std::string& name : before)
            if (m_scheduler.find(name) == nullptr)
                m_control_handler.polled(name, "removed");
        poll_due();
        log::notice("config", "reloaded {}: {} feeds, {} rules", m_config_path.string(),
                    m_scheduler.feeds().size(), cfg.rules.size());
    }

    // ---- systemd --------------------------------------------------------------------------

    void update_status() noexcept {
        if (!m_notify)
            return; // nobody reads it: spare the query (after every poll)
        try {
            int failing = 0;
            for (const auto& [name, st] : m_scheduler.feeds())
                failing += st.failures_in_row > 0 ? 1 : 0;
            const std::string status = fmt::format(
                "STATUS={} feeds ({} failing), {} drafts pending", m_scheduler.feeds().size(),
                failing, m_pipeline.store().pending_drafts());
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

    // ---- memory ---------------------------------------------------------------------------

    void schedule_trim(std::chrono::seconds after) {
        m_trim.expires_after(after);
        m_trim.async_wait([this](boost::system::error_code ec) {
            if (!ec && !m_stopping)
                trim();
        });
    }

    void trim() {
        m_first_round.clear();
        const std::size_t kib = trim_memory();
        log::debug("trendd", "gave back {} KiB of file pages not in use", kib);
        schedule_trim(k_trim_every);
    }

    // ---- signals --------------------------------------------------------------------------

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

    void stop(int sig) {
        log::notice("trendd", "signal {}: stopping", sig);
        sd_notify(0, "STOPPING=1");
        m_stopping = true;
        m_signals.cancel();
        m_poll_timer.cancel();
        m_watchdog.cancel();
        m_tick.cancel();
        m_trim.cancel();
        m_control->stop();
        if (m_metrics)
            m_metrics->stop();
        // Transfers in flight are abandoned; no transaction is open, since every handler runs
        // to completion on this thread.
        m_pipeline.stop();
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
    } catch (const control::ListenError& e) {
        log::error("trendd", "{}", e.what());
        return k_exit_failure;
    }
}

} // namespace trend::daemon
