// SPDX-License-Identifier: MIT
#include "trend/daemon/control_handler.hpp"

#include "trend/log/log.hpp"
#include "trend/util/json.hpp"

#include <fmt/format.h>

namespace trend::daemon {

void ControlHandler::handle(const control::Request& r,
                            const control::Server::Respond& respond) noexcept {
    try {
        if (r.cmd == "status") {
            respond(control::ok_reply(status_json(m_daemon.status())));
        } else if (r.cmd == "metrics") {
            const std::string text = metrics_text(m_daemon.status());
            respond(control::ok_reply(json::object([&](json::Writer& w) {
                w.Key("text");
                json::put(w, text);
            })));
        } else if (r.cmd == "reload") {
            const auto errors = m_daemon.reload();
            if (!errors.empty()) {
                respond(control::error_reply("invalid-config", fmt::format("{}", fmt::join(errors, "\n"))));
                return;
            }
            const auto [feeds, rules] = m_daemon.size();
            respond(control::ok_reply(json::object([&](json::Writer& w) {
                w.Key("feeds");
                w.Uint64(feeds);
                w.Key("rules");
                w.Uint64(rules);
            })));
        } else if (r.cmd == "poll") {
            const std::vector<std::string> names = m_daemon.poll_now(r.feed);
            if (names.empty() && !r.feed.empty()) {
                respond(control::error_reply("unknown-feed",
                                             fmt::format("no enabled feed \"{}\"", r.feed)));
                return;
            }
            PollWaiter w{{names.begin(), names.end()}, {}, respond};
            m_waiters.push_back(std::move(w));
            polled("", ""); // answers at once when there was nothing to poll
        } else {
            respond(control::error_reply("unknown-command",
                                         fmt::format("unknown command \"{}\"", r.cmd)));
        }
    } catch (const std::exception& e) {
        log::error("control", "{} failed: {}", r.cmd, e.what());
        try {
            respond(control::error_reply("internal", e.what()));
        } catch (...) {
        }
    }
}

void ControlHandler::polled(const std::string& feed, std::string_view outcome) {
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        if (it->pending.erase(feed) != 0)
            it->outcomes[feed] = outcome;
        if (!it->pending.empty()) {
            ++it;
            continue;
        }
        it->respond(control::ok_reply(json::object([&](json::Writer& w) {
            w.Key("polled");
            w.StartObject();
            for (const auto& [name, o] : it->outcomes) {
                json::put_key(w, name);
                json::put(w, o);
            }
            w.EndObject();
        })));
        it = m_waiters.erase(it);
    }
}

} // namespace trend::daemon
