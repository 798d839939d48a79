// SPDX-License-Identifier: MIT
#include "trend/daemon/app.hpp"

#include "trend/config/config.hpp"
#include "trend/control/client.hpp"
#include "trend/daemon/service.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/log/log.hpp"
#include "trend/pipeline/pipeline.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

namespace trend::daemon {

namespace {

struct Options {
    std::string config_path;
    bool check_config = false;
    bool once = false;
};

/** Loads the config named on the command line, or the default file, or (when there is no
 *  default file and none was named) the built-in defaults. Prints every problem. */
std::optional<config::Config> load_config(const Options& opt) {
    config::LoadResult r = config::load_named_or_default(opt.config_path, opt.check_config);
    if (r.config && r.config->source.empty())
        log::notice("config", "no {} found: running on built-in defaults",
                    config::default_path().string());
    // --check-config prints the bare "FILE:LINE: what" lines; a starting daemon logs them
    // with their priority, so `journalctl -p err` shows why a start failed.
    for (const auto& w : r.warnings) {
        if (opt.check_config)
            std::fprintf(stderr, "%s\n", w.str().c_str());
        else
            log::warning("config", "{}", w.str());
    }
    for (const auto& e : r.errors) {
        if (opt.check_config)
            std::fprintf(stderr, "%s\n", e.str().c_str());
        else
            log::error("config", "{}", e.str());
    }
    return std::move(r.config);
}

/** How long --once waits for a retry (an LLM's Retry-After, a webhook's backoff). */
constexpr Seconds k_once_retry_horizon{120};

/** --once: every enabled feed polled concurrently, then every queued draft written. */
int run_once(const config::Config& cfg) {
    // The daemon owns the queues while it runs: taking its jobs here would draft them twice.
    if (control::answers(cfg.daemon.control_socket))
        throw std::runtime_error(fmt::format("trendd is running (it answers on {}): use "
                                             "`trendctl poll` instead of --once",
                                             cfg.daemon.control_socket.string()));
    SystemClock clock;
    boost::asio::io_context io;
    pipeline::Pipeline pipeline(io, cfg, clock);
    int polled = 0;
    int failed = 0;
    for (const config::FeedConfig& feed : cfg.feeds) {
        if (!feed.enabled)
            continue;
        ++polled;
        pipeline.poll(feed, [&failed](const pipeline::PollSummary& s) {
            if (!s.succeeded())
                ++failed;
        });
    }
    io.run();
    // Then every draft and webhook that is due, waiting for retries due within two minutes.
    pipeline.drain(k_once_retry_horizon, [&io] { io.stop(); });
    io.restart();
    io.run();
    const pipeline::DraftRun drafted = pipeline.drafts().totals();
    log::info("trendd",
              "once: {} feeds polled ({} failed), {} drafts written ({} failed), {} pending",
              polled, failed, drafted.written, drafted.failed,
              pipeline.store().pending_drafts());
    return k_exit_ok;
}

} // namespace

int trendd_main(int argc, char** argv) {
    log::init_from_environment();
    CLI::App app{"trendd: turns trend spikes into explainer drafts", "trendd"};
    Options opt;
    app.add_option("-c,--config", opt.config_path,
                   "configuration file (default "
                   "/etc/trendd/trendd.toml)");
    app.add_flag("--check-config", opt.check_config,
                 "validate the configuration and exit (0 ok, "
                 "78 errors)");
    app.add_flag("--once", opt.once, "poll every enabled feed once, detect, draft, exit");
    app.set_version_flag("--version", "trendd " TRENDD_VERSION);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? k_exit_ok : k_exit_usage;
    }

    fetch::global_init();
    std::optional<config::Config> cfg = load_config(opt);
    if (!cfg)
        return k_exit_config;
    if (opt.check_config) {
        std::printf("%s: ok (%zu feeds, %zu rules, drafter %s)\n", cfg->source.c_str(),
                    cfg->feeds.size(), cfg->rules.size(), config::to_string(cfg->drafter.kind));
        return k_exit_ok;
    }
    log::set_level(cfg->daemon.log_level);
    try {
        if (opt.once)
            return run_once(*cfg);
        const std::filesystem::path source = cfg->source; // "" = built-in defaults
        return run_service(std::move(*cfg), source);
    } catch (const store::SchemaError& e) {
        log::error("trendd", "{}", e.what());
        return k_exit_data; // permanent: systemd must not restart in a loop
    } catch (const store::DatabaseError& e) {
        log::error("trendd", "{}", e.what());
        return k_exit_failure;
    } catch (const std::exception& e) {
        log::error("trendd", "fatal: {}", e.what());
        return k_exit_failure;
    }
}

} // namespace trend::daemon
