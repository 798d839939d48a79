// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/feed/parser.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/fetch/outcome.hpp"
#include "trend/pipeline/ingest.hpp"
#include "trend/pipeline/write_queue.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace trend::pipeline {

/** The request for a feed document: the daemon's user agent, timeouts and size cap, and an
 *  Accept header for feeds. Used by the poller and by `trendctl parse URL`. */
[[nodiscard]] fetch::Request feed_request(const config::DaemonConfig& daemon, std::string url);

/** Whether a poll reached the database. */
enum class PollEnd {
    recorded,   ///< its polls row (and everything it caused) is committed
    not_stored, ///< the database refused it (the error says why)
    cancelled,  ///< shutdown or a reload stopped the transfer: nobody's fault, not recorded
};

/** What one poll of one feed came to. */
struct PollSummary {
    std::string feed;
    PollEnd end = PollEnd::recorded;
    fetch::Outcome outcome = fetch::Outcome::ok; ///< how the fetch and parse went
    std::string error;
    int items = 0;
    std::optional<Seconds> retry_after;
    IngestStats stats;

    /** The feed answered as it should and the answer is stored. */
    [[nodiscard]] bool succeeded() const noexcept {
        return end == PollEnd::recorded && fetch::is_success(outcome);
    }
    /** The outcome as metrics and `trendctl poll` spell it: polls.outcome, or "store_error",
     *  or "cancelled". */
    [[nodiscard]] std::string_view outcome_name() const noexcept {
        return end == PollEnd::cancelled    ? "cancelled"
               : end == PollEnd::not_stored ? "store_error"
                                            : fetch::to_string(outcome);
    }
};

/**
 * Fetches a feed, parses it and records the poll through the Ingestor: the whole path from a
 * configured feed to rows. Writes go through the WriteQueue, so a locked database delays the
 * recording (the poll's `done` waits with it), never the loop. Owned by and used on the event
 * loop thread.
 *
 * Besides one GET per poll:
 *  - a URL with day placeholders (`{yesterday}`, util/date_template.hpp) is expanded from the
 *    clock at each poll; when that day answers 404 (a list not published yet), the day before
 *    is fetched instead;
 *  - a hacker-news feed on a Firebase story list fetches the list, then its first `max_items`
 *    stories, at most `max_fetches_per_host` at once (pipeline/firebase.hpp);
 *  - every answer that is not a failure updates the feed's health (pipeline/health.hpp): one
 *    warning when it goes quiet or breaks, one notice when that ends.
 */
class Poller final {
    fetch::HttpClient& m_http;
    store::Store& m_store;
    Ingestor& m_ingestor;
    WriteQueue& m_writes;
    const Clock& m_clock;
    std::map<std::string, FeedRef> m_feeds;

public:
    Poller(fetch::HttpClient& http, store::Store& store, Ingestor& ingestor, WriteQueue& writes,
           const Clock& clock)
        : m_http(http), m_store(store), m_ingestor(ingestor), m_writes(writes), m_clock(clock) {}

    /** Creates/updates the feeds rows of the config and disables the ones it no longer has. */
    void sync_feeds(const config::Config& config);

    /** Starts polling `feed`; `done` runs on the loop when the poll is recorded (or could not
     *  be). */
    void poll(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
              std::function<void(PollSummary)> done);

private:
    /** A poll's answer, ready to record. */
    struct Fetched {
        fetch::Response response;
        std::string url; ///< what was fetched (placeholders expanded)
        /** Set when the answer was already parsed (a Firebase list and its items). */
        std::optional<feed::ParseResult> parsed;
    };

    /** The answer of a Firebase list: its items are fetched, then it is recorded. */
    void fetch_items(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
                     Timestamp started, Fetched list, std::function<void(PollSummary)> done);
    void record(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
                Timestamp started, Fetched fetched, const std::function<void(PollSummary)>& done);
    /** Updates the feed's health after an answer (its own write, after the poll's). */
    void check_health(const config::FeedConfig& feed, const feed::Snapshot* snapshot,
                      bool not_modified, Timestamp at);
};

} // namespace trend::pipeline
