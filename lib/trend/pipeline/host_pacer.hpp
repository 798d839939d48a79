// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace trend::pipeline {

/**
 * Politeness toward the hosts whose pages trendd reads: at most one request at a time to a
 * host, and the next one no sooner than `spacing` after the previous one ended (robots.txt
 * included). Pure bookkeeping on an injected Clock; not thread-safe.
 */
class HostPacer final {
    struct Host {
        bool busy = false;
        Instant free_at{}; ///< when the next request may start
    };

    const Clock& m_clock;
    std::chrono::milliseconds m_spacing;
    std::map<std::string, Host> m_hosts;

public:
    HostPacer(const Clock& clock, std::chrono::milliseconds spacing)
        : m_clock(clock), m_spacing(spacing) {}

    /** A new spacing applies from the next request that ends. */
    void set_spacing(std::chrono::milliseconds spacing) noexcept { m_spacing = spacing; }

    /** Whether a request to `host` may start now. */
    [[nodiscard]] bool ready(const std::string& host) const;

    /** When a request to `host` may start (now or later); nullopt while one is in flight (its
     *  end decides). */
    [[nodiscard]] std::optional<Instant> ready_at(const std::string& host) const;

    /** A request to `host` starts. Throws std::logic_error unless ready(host). */
    void start(const std::string& host);

    /** The request to `host` ended (whatever its outcome). */
    void finish(const std::string& host);

    /** Requests in flight, all hosts. */
    [[nodiscard]] int busy() const noexcept;

    /** Forgets the hosts that are idle and whose spacing has passed: they are ready anyway. */
    void prune();
};

} // namespace trend::pipeline
