// SPDX-License-Identifier: MIT
#include "trend/pipeline/backlog.hpp"

#include "trend/log/log.hpp"

#include <boost/asio/post.hpp>

namespace trend::pipeline {

namespace asio = boost::asio;

void Backlog::kick() {
    if (m_stopped)
        return;
    if (m_pages != nullptr)
        m_pages->pump();
    pump_drafts();
    pump_notifications();
}

void Backlog::drain(Seconds horizon, std::function<void()> on_settled,
                    std::optional<store::Id> only) {
    m_horizon = horizon;
    m_on_settled = std::move(on_settled);
    m_only = only;
    if (only) {
        m_notifier = nullptr;
        if (m_pages != nullptr)
            m_pages->restrict_to(*only);
    }
    // From the loop: settling calls `on_settled` (which stops the loop) and must not happen
    // before the caller runs the loop (a timer of the page reader would keep it running).
    asio::post(m_io, [this] { kick(); });
}

void Backlog::stop() {
    m_stopped = true;
    m_timer.cancel();
    if (m_pages != nullptr)
        m_pages->stop();
}

void Backlog::pump_drafts() {
    if (m_stopped || m_drafts.busy())
        return;
    m_drafts.run_next(
        [this](bool handled) {
            if (m_on_progress)
                m_on_progress();
            if (handled)
                asio::post(m_io, [this] { pump_drafts(); });
            else
                arm();
        },
        m_only);
}

void Backlog::pump_notifications() {
    if (m_stopped || m_notifier == nullptr || m_notifier->busy())
        return;
    m_notifier->run_next([this](bool handled) {
        if (handled)
            asio::post(m_io, [this] { pump_notifications(); });
        else
            arm();
    });
}

void Backlog::arm() {
    if (m_stopped)
        return;
    // A job in flight calls back when it ends, and that re-arms: waking now would only find
    // the pump busy (and spin once a second while an LLM call takes its time).
    if (m_drafts.busy() || (m_notifier != nullptr && m_notifier->busy()))
        return;
    // A page in flight calls back too; while one is, draining is not over.
    if (m_horizon && m_pages != nullptr && m_pages->busy())
        return;
    std::optional<Timestamp> next;
    try {
        next = m_store.next_due(m_notifier != nullptr && m_notifier->enabled(), m_only);
        if (m_horizon && m_pages != nullptr)
            if (const auto pages = m_pages->next_due(); pages && (!next || *pages < *next))
                next = std::max(*pages, m_clock.now());
    } catch (const std::exception& e) {
        log::error("draft", "cannot read the queues: {}", e.what());
    }
    const Timestamp now = m_clock.now();
    if (m_horizon && (!next || *next > now + *m_horizon)) {
        m_timer.cancel();
        if (auto settled = std::exchange(m_on_settled, {}))
            settled();
        return;
    }
    if (!next)
        return;
    // Time stored in the database has second resolution: wake at least a second later.
    const auto wait = std::max(Seconds{1}, *next - now);
    m_timer.expires_after(wait);
    m_timer.async_wait([this](boost::system::error_code ec) {
        if (!ec)
            kick();
    });
}

} // namespace trend::pipeline
