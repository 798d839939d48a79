// SPDX-License-Identifier: MIT
#include "trend/pipeline/write_queue.hpp"

#include "trend/log/log.hpp"
#include "trend/store/database.hpp"

namespace trend::pipeline {

namespace {

constexpr std::chrono::milliseconds k_first_retry{100};
constexpr std::chrono::milliseconds k_max_retry{2000};
/** A write waiting longer than this is worth a warning (once). */
constexpr Seconds k_warn_after{5};

} // namespace

WriteQueue::WriteQueue(boost::asio::io_context& io) : m_timer(io) {}

void WriteQueue::submit(std::string what, std::function<void()> write, std::function<void()> then,
                        Failed failed) {
    if (m_stopped)
        return;
    m_queue.push_back({std::move(what), std::move(write), std::move(then), std::move(failed), {}});
    // A write submitted from a `then` of the write in progress joins the line; drain() is
    // already running it down.
    if (!m_draining && m_queue.size() == 1)
        drain();
}

std::optional<Timestamp> WriteQueue::waiting_since() const {
    if (m_queue.empty())
        return std::nullopt;
    return m_queue.front().busy_since;
}

void WriteQueue::stop() {
    m_stopped = true;
    m_timer.cancel();
    if (!m_queue.empty())
        log::error("store", "stopping with {} write(s) still waiting for a locked database; "
                            "the first: {}",
                   m_queue.size(), m_queue.front().what);
    m_queue.clear();
}

void WriteQueue::drain() {
    m_draining = true;
    while (!m_queue.empty() && !m_stopped) {
        Entry& head = m_queue.front();
        std::function<void()> next;
        try {
            head.write();
            if (head.busy_since)
                log::notice("store", "{}: written once the database was free", head.what);
            next = std::move(head.then);
        } catch (const std::exception& e) {
            if (store::is_busy(e)) {
                const Timestamp now = SystemClock{}.now();
                if (!head.busy_since)
                    head.busy_since = now;
                if (!head.warned && now - *head.busy_since >= k_warn_after) {
                    head.warned = true;
                    log::warning("store", "the database is locked by another connection: {} "
                                          "waits (and {} write(s) behind it); retrying",
                                 head.what, m_queue.size() - 1);
                }
                retry_later();
                m_draining = false;
                return;
            }
            if (head.failed)
                next = [failed = std::move(head.failed), error = std::runtime_error(e.what())] {
                    failed(error);
                };
            else
                log::error("store", "cannot {}: {}", head.what, e.what());
        }
        const std::string what = std::move(head.what);
        m_queue.pop_front();
        m_backoff = std::chrono::milliseconds{0};
        if (!next)
            continue;
        try {
            next();
        } catch (const std::exception& e) {
            log::error("store", "after {}: {}", what, e.what());
        }
    }
    m_draining = false;
}

void WriteQueue::retry_later() {
    m_backoff = m_backoff.count() == 0 ? k_first_retry : std::min(m_backoff * 2, k_max_retry);
    m_timer.expires_after(m_backoff);
    m_timer.async_wait([this](boost::system::error_code ec) {
        if (!ec && !m_draining)
            drain();
    });
}

} // namespace trend::pipeline
