// SPDX-License-Identifier: MIT
#include "trend/pipeline/page_reader.hpp"

#include "trend/log/log.hpp"
#include "trend/util/url.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <openssl/sha.h>

#include <algorithm>

#include <zlib.h>

namespace trend::pipeline {

namespace asio = boost::asio;

namespace {

std::string sha256_hex(std::string_view body) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
    std::string out;
    out.reserve(2 * sizeof digest);
    for (const unsigned char b : digest)
        out += fmt::format("{:02x}", b);
    return out;
}

std::string zlib_compress(std::string_view body) {
    uLongf size = compressBound(static_cast<uLong>(body.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                  reinterpret_cast<const Bytef*>(body.data()), static_cast<uLong>(body.size()),
                  Z_BEST_COMPRESSION) != Z_OK)
        return {};
    out.resize(size);
    return out;
}

store::PageOutcome outcome_of(extract::Outcome o) {
    // extract::Outcome's values are the first ones of PageOutcome, in the same order.
    return store::k_page_outcomes[static_cast<std::size_t>(o)];
}

/** The outcome of a transfer that yielded no page to extract, if it did not. */
std::optional<store::PageOutcome> page_failure(const fetch::Response& r) {
    using fetch::Transport;
    using store::PageOutcome;
    switch (r.transport) {
    case Transport::complete:
        if (r.http_status >= 200 && r.http_status <= 299)
            return std::nullopt;
        return PageOutcome::http_error;
    case Transport::timeout:
        return PageOutcome::timeout;
    case Transport::too_large:
        return PageOutcome::too_large;
    case Transport::truncated:
        return PageOutcome::truncated;
    case Transport::redirect_loop:
        return PageOutcome::redirect_loop;
    case Transport::blocked_address:
        return PageOutcome::blocked_address;
    case Transport::network_error:
    case Transport::cancelled:
        break;
    }
    return PageOutcome::network_error;
}

/** Worth another attempt later: the server or the network failed us, not the page. */
bool retryable(store::PageOutcome o, long http_status) {
    switch (o) {
    case store::PageOutcome::http_error:
        return http_status == 429 || http_status >= 500;
    case store::PageOutcome::timeout:
    case store::PageOutcome::truncated:
    case store::PageOutcome::network_error:
    case store::PageOutcome::robots_unreachable:
        return true;
    default:
        return false;
    }
}

store::PageTextRecord text_record(const extract::Article& a) {
    store::PageTextRecord t;
    t.canonical_url = a.canonical_url;
    t.title = a.title;
    t.byline = a.byline;
    t.published_at = a.published_at;
    t.site_name = a.site_name;
    t.lang = a.lang;
    t.image = a.image;
    t.description = a.description;
    t.text = a.text;
    t.word_count = static_cast<std::int64_t>(a.word_count);
    t.method = std::string(extract::to_string(a.method));
    return t;
}

} // namespace

fetch::Request page_request(const std::string& url, const config::Config& config) {
    fetch::Request r;
    r.url = url;
    r.user_agent = config.daemon.user_agent;
    r.connect_timeout =
        std::min<std::chrono::milliseconds>(config.daemon.connect_timeout, config.enrich.timeout);
    r.total_timeout = config.enrich.timeout;
    r.max_body_bytes = config.enrich.max_page_bytes;
    r.max_redirects = config.enrich.max_redirects;
    r.refuse_private_addresses = !config.enrich.allow_private_addresses;
    r.headers.push_back("Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
    return r;
}

void read_page_now(fetch::HttpClient& http, const config::Config& config, const std::string& url,
                   std::function<void(PageReading)> done) {
    const auto web = util::web_url(url);
    if (!web) {
        PageReading r;
        r.error = "not an http(s) URL";
        done(std::move(r));
        return;
    }
    fetch::Request robots = page_request(web->origin + "/robots.txt", config);
    robots.max_body_bytes = fetch::k_robots_max_bytes;
    robots.headers.clear();
    http.start(std::move(robots), [&http, &config, url, path = web->path_and_query,
                                   done = std::move(done)](fetch::Response rr) mutable {
        const fetch::RobotsAnswer a = fetch::robots_answer(rr);
        PageReading r;
        if (a.state == fetch::RobotsState::refused) {
            r.outcome = store::PageOutcome::blocked_address;
            r.error = a.error;
        } else if (a.state == fetch::RobotsState::unreachable) {
            r.outcome = store::PageOutcome::robots_unreachable;
            r.error = a.error;
        } else if (!fetch::allowed(a.robots, k_robots_agent, path)) {
            r.outcome = store::PageOutcome::robots_disallowed;
            r.error = "disallowed by the site's robots.txt";
        } else {
            http.start(
                page_request(url, config), [url, done = std::move(done)](fetch::Response resp) {
                    PageReading out;
                    if (const auto failed = page_failure(resp)) {
                        out.outcome = *failed;
                        out.error = resp.error.empty() ? fmt::format("HTTP {}", resp.http_status)
                                                       : resp.error;
                    } else {
                        out.article = extract::extract(
                            {resp.body, resp.effective_url.empty() ? url : resp.effective_url,
                             resp.content_type});
                        out.outcome = outcome_of(out.article->outcome);
                        out.error = out.article->reason;
                    }
                    out.response = std::move(resp);
                    done(std::move(out));
                });
            return;
        }
        done(std::move(r));
    });
}

/** One page attempt, from its claim to its stored result. */
struct PageReader::Job {
    store::PageCandidate page;
    int attempts = 0;
    fetch::Response response;
    std::optional<extract::Article> article;
    std::string sha256;
    std::string html_zlib;
    store::PageResult result;
};

PageReader::PageReader(asio::io_context& io, fetch::HttpClient& http, store::Store& store,
                       WriteQueue& writes, const config::Config& config, const Clock& clock,
                       std::function<void()> on_page_done)
    : m_io(io), m_http(http), m_store(store), m_writes(writes), m_config(config), m_clock(clock),
      m_on_page_done(std::move(on_page_done)), m_pacer(clock, config.enrich.per_host_spacing),
      m_timer(io) {}

PageReader::~PageReader() {
    *m_alive = false;
    m_worker.join();
}

void PageReader::stop() {
    m_stopped = true;
    m_timer.cancel();
}

std::optional<Timestamp> PageReader::next_due() {
    if (!enabled())
        return std::nullopt;
    return m_store.next_page_due(m_only);
}

void PageReader::pump() {
    if (m_stopped || !enabled())
        return;
    m_pacer.set_spacing(m_config.enrich.per_host_spacing);
    const Timestamp now = m_clock.now();
    std::vector<store::PageCandidate> candidates;
    try {
        candidates = m_store.page_candidates(now, 4 * k_max_page_fetches, m_only);
    } catch (const std::exception& e) {
        log::error("enrich", "cannot read the page queue: {}", e.what());
    }
    m_next_wake.reset();
    for (const store::PageCandidate& c : candidates) {
        if (m_active >= k_max_page_fetches)
            break;
        if (m_busy_hosts.count(c.host) != 0)
            continue;
        if (!m_pacer.ready(c.host)) {
            if (const auto at = m_pacer.ready_at(c.host))
                m_next_wake = m_next_wake ? std::min(*m_next_wake, *at) : *at;
            continue;
        }
        const auto web = util::web_url(c.url);
        if (!web) {
            start_page(c, nullptr);
            continue;
        }
        if (const CachedRobots* robots = known_robots(web->origin, now))
            start_page(c, robots);
        else
            fetch_robots(web->origin, c.host);
    }
    m_pacer.prune();
    arm();
}

const PageReader::CachedRobots* PageReader::known_robots(const std::string& origin, Timestamp now) {
    if (const auto it = m_robots.find(origin); it != m_robots.end() && it->second.expires_at > now)
        return &it->second;
    try {
        if (const auto r = m_store.robots(origin); r && r->expires_at > now) {
            CachedRobots& c = m_robots[origin];
            c.state = r->state;
            c.robots = fetch::robots_of(r->state, r->body);
            c.expires_at = r->expires_at;
            return &c;
        }
    } catch (const std::exception& e) {
        log::warning("enrich", "cannot read the robots.txt kept for {}: {}", origin, e.what());
    }
    return nullptr;
}

void PageReader::fetch_robots(const std::string& origin, const std::string& host) {
    fetch::Request req = page_request(origin + "/robots.txt", m_config);
    req.max_body_bytes = fetch::k_robots_max_bytes;
    req.headers.clear();
    m_pacer.start(host);
    m_busy_hosts.insert(host);
    ++m_active;
    ++m_stats.robots_fetches;
    m_http.start(std::move(req), [this, alive = m_alive, origin, host](fetch::Response r) {
        if (!*alive)
            return;
        m_pacer.finish(host);
        if (r.transport == fetch::Transport::cancelled) {
            m_busy_hosts.erase(host);
            --m_active;
            return;
        }
        const fetch::RobotsAnswer a = fetch::robots_answer(r);
        const Timestamp now = m_clock.now();
        CachedRobots& c = m_robots[origin];
        c.state = a.state;
        c.robots = a.robots;
        c.expires_at = now + a.ttl;
        if (a.state != fetch::RobotsState::ok)
            log::info("enrich", "{}/robots.txt: {} ({})", origin, fetch::to_string(a.state),
                      a.error);
        store::RobotsRecord rec{origin,
                                a.state,
                                now,
                                c.expires_at,
                                r.http_status ? std::optional<long>(r.http_status) : std::nullopt,
                                a.body,
                                a.error};
        m_writes.submit(
            fmt::format("keep the robots.txt of {}", origin),
            [this, rec] { m_store.store_robots(rec); },
            [this, host] {
                m_busy_hosts.erase(host);
                --m_active;
                pump();
            },
            [this, host](const std::exception&) {
                m_busy_hosts.erase(host);
                --m_active;
                pump();
            });
    });
}

void PageReader::start_page(const store::PageCandidate& c, const CachedRobots* robots) {
    auto job = std::make_shared<Job>();
    job->page = c;
    job->result.page_id = c.id;
    m_busy_hosts.insert(c.host);
    ++m_active;
    const auto web = util::web_url(c.url);
    // What robots.txt (or the URL itself) says before any request for the page.
    std::optional<store::PageOutcome> refused;
    std::string why;
    if (!web) {
        refused = store::PageOutcome::network_error;
        why = "not an http(s) URL";
    } else if (robots->state == fetch::RobotsState::refused) {
        refused = store::PageOutcome::blocked_address;
        why = "the host's address is not public";
    } else if (robots->state == fetch::RobotsState::unreachable) {
        refused = store::PageOutcome::robots_unreachable;
        why = "the site's robots.txt could not be read: not fetched for now";
    } else if (!fetch::allowed(robots->robots, k_robots_agent, web->path_and_query)) {
        refused = store::PageOutcome::robots_disallowed;
        why = "disallowed by the site's robots.txt";
    }
    m_writes.submit(
        fmt::format("claim page {}", c.id),
        [this, job] {
            if (const auto n = m_store.claim_page(job->page.id, m_clock.now()))
                job->attempts = *n;
        },
        [this, job, refused, why] {
            if (m_stopped || job->attempts == 0) { // taken by another process, or shutting down
                if (job->attempts != 0)
                    m_writes.submit(fmt::format("give page {} back", job->page.id),
                                    [this, job] { m_store.release_page(job->page.id); });
                m_busy_hosts.erase(job->page.host);
                --m_active;
                asio::post(m_io, [this, alive = m_alive] {
                    if (*alive)
                        pump();
                });
                return;
            }
            if (refused) {
                job->result.outcome = *refused;
                job->result.error = why;
                record(job);
                return;
            }
            m_pacer.start(job->page.host);
            m_http.start(page_request(job->page.url, m_config),
                         [this, alive = m_alive, job](fetch::Response r) {
                             if (*alive)
                                 on_fetched(job, std::move(r));
                         });
        },
        [this, job](const std::exception&) {
            m_busy_hosts.erase(job->page.host);
            --m_active;
        });
}

void PageReader::on_fetched(std::shared_ptr<Job> job, fetch::Response r) {
    m_pacer.finish(job->page.host);
    if (r.transport == fetch::Transport::cancelled) {
        // Shutdown: the page stays 'fetching' and is queued again at the next start.
        m_busy_hosts.erase(job->page.host);
        --m_active;
        return;
    }
    store::PageResult& res = job->result;
    res.final_url = r.effective_url;
    if (r.http_status != 0)
        res.http_status = r.http_status;
    res.bytes = r.bytes;
    res.content_type = r.content_type;
    res.duration_ms = r.duration.count();
    m_stats.bytes += r.bytes;
    job->response = std::move(r);
    if (const auto failed = page_failure(job->response)) {
        res.outcome = *failed;
        res.error = job->response.error.empty() ? fmt::format("HTTP {}", job->response.http_status)
                                                : job->response.error;
        record(job);
        return;
    }
    // The heavy part off the loop: extraction, digest, compression.
    const bool keep_html = m_config.enrich.keep_html;
    // The loop has nothing else to wait for meanwhile (trendd --once): keep it running.
    asio::post(
        m_worker, [this, alive = m_alive, job, keep_html, guard = asio::make_work_guard(m_io)] {
            const auto started = std::chrono::steady_clock::now();
            const fetch::Response& resp = job->response;
            job->article = extract::extract(
                {resp.body, resp.effective_url.empty() ? job->page.url : resp.effective_url,
                 resp.content_type});
            job->sha256 = sha256_hex(resp.body);
            if (keep_html)
                job->html_zlib = zlib_compress(resp.body);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            asio::post(m_io, [this, alive, job, seconds] {
                if (!*alive)
                    return;
                ++m_stats.extractions;
                m_stats.extraction_seconds += seconds;
                on_extracted(job);
            });
        });
}

void PageReader::on_extracted(std::shared_ptr<Job> job) {
    store::PageResult& res = job->result;
    const extract::Article& a = *job->article;
    res.outcome = outcome_of(a.outcome);
    res.sha256 = std::move(job->sha256);
    res.html_zlib = std::move(job->html_zlib);
    res.error = a.reason;
    if (a.outcome == extract::Outcome::article)
        res.text = text_record(a);
    job->response.body.clear();
    job->response.body.shrink_to_fit();
    record(job);
}

void PageReader::record(std::shared_ptr<Job> job) {
    store::PageResult& res = job->result;
    const Timestamp now = m_clock.now();
    res.fetched_at = now;
    if (retryable(res.outcome, res.http_status.value_or(0))) {
        if (k_page_retry.allows_another(job->attempts))
            res.retry_at =
                now + k_page_retry.delay(job->attempts, job->response.retry_after, random_unit());
        else
            res.gave_up = true;
    }
    ++m_stats.by_outcome[static_cast<std::size_t>(res.outcome)];
    if (res.outcome == store::PageOutcome::article)
        log::info("enrich", "page {}: {} words ({})", job->page.url,
                  res.text ? res.text->word_count : 0, res.text ? res.text->method : "");
    else
        log::info("enrich", "page {}: {}{}{}", job->page.url, store::to_string(res.outcome),
                  res.error.empty() ? "" : ": ", res.error);
    // Posted, never inline: a write may finish inside submit(), and pump() must not run
    // inside the pump() that started this job (its list of candidates would be stale).
    auto revisions = std::make_shared<std::vector<store::QueuedRevision>>();
    const auto done = [this, job, revisions] {
        for (const store::QueuedRevision& r : *revisions)
            log::notice("draft",
                        "draft {} (spike {}): its story gained {} new page(s) while the spike is "
                        "open; revision {} queued",
                        r.draft_id, r.spike_id, r.new_urls.size(), r.revision);
        m_busy_hosts.erase(job->page.host);
        --m_active;
        asio::post(m_io, [this, alive = m_alive] {
            if (!*alive)
                return;
            if (m_on_page_done)
                m_on_page_done();
            pump();
        });
    };
    m_writes.submit(
        fmt::format("record page {}", job->page.id),
        [this, job, revisions, now] {
            auto tx = m_store.begin();
            m_store.record_page(job->result);
            if (job->result.outcome == store::PageOutcome::article)
                *revisions = m_store.revise_drafts_of_page(
                    job->page.id, store::draft_cooldowns(m_config.rules), now);
            tx.commit();
        },
        done,
        [done, revisions](const std::exception&) {
            revisions->clear(); // rolled back
            done();
        });
}

void PageReader::arm() {
    if (m_stopped)
        return;
    std::optional<Timestamp> due;
    try {
        due = m_store.next_page_due(m_only);
    } catch (const std::exception&) {
    }
    // A page in flight pumps when it ends; otherwise wake for a host's spacing or a retry.
    const Instant now = m_clock.precise_now();
    std::optional<Instant> at = m_next_wake;
    if (due && *due > m_clock.now())
        at = at ? std::min(*at, Instant(*due + Seconds{1})) : Instant(*due + Seconds{1});
    else if (due && !at && m_active == 0)
        at = now + Seconds{1};
    if (!at)
        return;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*at - now);
    m_timer.expires_after(std::max(wait, std::chrono::milliseconds{10}));
    m_timer.async_wait([this](boost::system::error_code ec) {
        if (!ec)
            pump();
    });
}

} // namespace trend::pipeline
