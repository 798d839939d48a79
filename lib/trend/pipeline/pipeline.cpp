// SPDX-License-Identifier: MIT
#include "trend/pipeline/pipeline.hpp"

#include "trend/detect/rule.hpp"
#include "trend/log/log.hpp"

namespace trend::pipeline {

namespace {

/** Pages are read only by a program with the network and under [enrich] enabled. */
store::PagePolicy page_policy(const config::Config& c, bool network) {
    return {.enabled = network && c.enrich.enabled,
            .wait = c.enrich.wait,
            .max_pages = c.enrich.max_pages_per_story};
}

} // namespace

Pipeline::Pipeline(boost::asio::io_context& io, config::Config config, const Clock& clock,
                   PipelineOptions options, std::function<void()> on_progress)
    : m_config(std::move(config)), m_clock(clock),
      m_store(m_config.daemon.database, options.durability), m_writes(io),
      m_ingestor(m_store, detect::compile_rules(m_config.rules)),
      m_http(options.network ? std::make_unique<fetch::HttpClient>(io) : nullptr),
      m_drafts(m_store, m_writes, m_config, m_clock, m_http.get()),
      m_backlog(io, m_store, m_drafts, nullptr, m_clock, std::move(on_progress)) {
    m_store.set_busy_timeout(options.busy_timeout);
    if (m_http) {
        m_poller.emplace(*m_http, m_store, m_ingestor, m_writes, m_clock);
        m_notifier.emplace(m_store, m_writes, m_config.notify, m_clock, *m_http);
        m_backlog.set_notifier(&*m_notifier);
        m_pages.emplace(io, *m_http, m_store, m_writes, m_config, m_clock,
                        [this] { m_backlog.kick(); });
        m_backlog.set_pages(&*m_pages);
    }
    m_store.set_page_policy(page_policy(m_config, m_http != nullptr));
    if (options.owner) {
        m_writes.submit("queue the drafts a crash interrupted", [this] {
            if (const int n = m_store.requeue_interrupted_drafts(); n > 0)
                log::notice("draft", "{} draft(s) interrupted by a crash are queued again", n);
            if (const int n = m_store.requeue_interrupted_pages(); n > 0)
                log::notice("enrich", "{} page(s) interrupted by a crash are queued again", n);
        });
        m_drafts.sweep_temp_files();
    }
    if (m_poller)
        m_poller->sync_feeds(m_config);
}

void Pipeline::reconfigure(config::Config next) {
    next.daemon.database = m_config.daemon.database;
    m_config = std::move(next);
    m_ingestor.set_rules(detect::compile_rules(m_config.rules));
    m_store.set_page_policy(page_policy(m_config, m_http != nullptr));
    if (m_poller)
        m_poller->sync_feeds(m_config);
}

void Pipeline::poll(const config::FeedConfig& feed, std::function<void(PollSummary)> done) {
    if (!m_poller)
        throw std::logic_error("Pipeline::poll without the network");
    m_poller->poll(feed, m_config.daemon, std::move(done));
}

void Pipeline::stop() {
    m_backlog.stop();
    m_writes.stop();
    if (m_http)
        m_http->cancel_all();
}

} // namespace trend::pipeline
