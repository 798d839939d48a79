// SPDX-License-Identifier: MIT
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>

namespace trend::pipeline {

/**
 * Concurrency limits for polls: at most `total` transfers at once and at most `per_host` to
 * one host; polls over the limit wait in FIFO order (a poll whose host is full does not hold
 * up polls of other hosts). Pure bookkeeping, no I/O; not thread-safe.
 */
class FetchLimiter final {
    int m_total;
    int m_per_host;
    int m_active = 0;
    std::map<std::string, int> m_by_host;
    std::deque<std::pair<std::string, std::string>> m_waiting; ///< (key, host)

public:
    FetchLimiter(int total, int per_host) : m_total(total), m_per_host(per_host) {}

    void set_limits(int total, int per_host) {
        m_total = total;
        m_per_host = per_host;
    }

    /** Takes a slot for `host` now (true) or queues `key` (false). */
    bool acquire(const std::string& key, const std::string& host);

    /** Returns the slot of a finished transfer to `host`. */
    void release(const std::string& host);

    /** The next queued (key, host) that may start now (its slot taken), if any. */
    std::optional<std::pair<std::string, std::string>> next();

    /** Forgets a queued key (a feed removed by a reload). */
    void forget(const std::string& key);

    [[nodiscard]] int active() const noexcept { return m_active; }
    [[nodiscard]] std::size_t waiting() const noexcept { return m_waiting.size(); }

private:
    bool fits(const std::string& host) const;
    void take(const std::string& host);
};

} // namespace trend::pipeline
