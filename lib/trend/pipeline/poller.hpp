// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/pipeline/ingest.hpp"
#include "trend/fetch/http_client.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace trend::pipeline {

/** What one poll of one feed came to. */
struct PollSummary {
    std::string feed;
    /** As stored in polls.outcome, or two that are not stored: "store_error" (the database
     *  refused it) and "cancelled" (shutdown or reload stopped the transfer). */
    std::string outcome;
    std::string error;
    int items = 0;
    std::optional<Seconds> retry_after;
    IngestStats stats;
};

/**
 * Fetches a feed, parses it and records the poll through the Ingestor: the whole path from a
 * configured feed to rows. Owned by and used on the event loop thread.
 */
class Poller final {
    fetch::HttpClient& m_http;
    store::Store& m_store;
    Ingestor& m_ingestor;
    const Clock& m_clock;
    std::map<std::string, FeedRef> m_feeds;

public:
    Poller(fetch::HttpClient& http, store::Store& store, Ingestor& ingestor, const Clock& clock)
        : m_http(http), m_store(store), m_ingestor(ingestor), m_clock(clock) {}

    /** Creates/updates the feeds rows of the config and disables the ones it no longer has. */
    void sync_feeds(const config::Config& config);

    /** Starts polling `feed`; `done` runs on the loop when the poll is recorded. */
    void poll(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
              std::function<void(PollSummary)> done);

private:
    PollSummary record(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
                       Timestamp started, fetch::Response response);
};

} // namespace trend::pipeline
