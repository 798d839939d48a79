// SPDX-License-Identifier: MIT
#include "trend/cli/context.hpp"
#include "trend/cli/render.hpp"
#include "trend/fetch/outcome.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>

namespace trend::cli {

namespace {

/** poll, reload, metrics: commands the running daemon carries out. */
int cmd_live(Globals& g, const std::string& cmd, const std::string& feed) {
    control::Reply r;
    try {
        r = g.ask(cmd, feed, cmd == "poll" ? std::max(g.timeout_s, 120.0) : 0);
    } catch (const control::Unreachable& e) {
        throw CommandError(fmt::format("trendd is not running ({})", e.what()), k_exit_not_running);
    } catch (const control::NoAnswer& e) {
        throw CommandError(fmt::format("trendd runs but did not answer ({})", e.what()),
                           k_exit_failed, "busy");
    }
    if (!r.ok)
        throw CommandError(fmt::format("{}: {}", r.error, r.message), k_exit_failed, r.error);
    rapidjson::Document d;
    d.Parse(r.data_json.c_str());
    if (g.json && cmd != "metrics") {
        std::printf("%s\n", r.data_json.c_str());
    } else if (cmd == "metrics") {
        std::fputs(d["text"].GetString(), stdout);
    } else if (cmd == "reload") {
        std::printf("reloaded: %s feeds, %s rules\n", json_string(d, "feeds").c_str(),
                    json_string(d, "rules").c_str());
    }
    if (cmd != "poll")
        return k_exit_ok;
    bool all_ok = true;
    for (const auto& m : d["polled"].GetObject()) {
        const std::string outcome = m.value.GetString();
        const auto o = fetch::outcome_from_string(outcome);
        all_ok = all_ok && o && fetch::is_success(*o);
        if (!g.json)
            std::printf("%s: %s\n", m.name.GetString(), outcome.c_str());
    }
    return all_ok ? k_exit_ok : k_exit_failed;
}

} // namespace

/** Commands the running daemon carries out, over the control socket. */
void add_daemon_commands(CLI::App& app, Globals& g, Command& run) {
    auto feed = std::make_shared<std::string>();
    auto* poll = app.add_subcommand("poll", "poll one feed (or all) now and wait for the outcome");
    poll->add_option("feed", *feed, "feed name (default: every enabled feed)");
    poll->callback([&g, &run, feed] { run = [&g, feed] { return cmd_live(g, "poll", *feed); }; });
    app.add_subcommand("reload", "re-read the configuration (refused if it has errors)")
        ->callback([&g, &run] { run = [&g] { return cmd_live(g, "reload", ""); }; });
    app.add_subcommand("metrics", "Prometheus metrics of the running daemon")->callback([&g, &run] {
        run = [&g] { return cmd_live(g, "metrics", ""); };
    });
}

} // namespace trend::cli
