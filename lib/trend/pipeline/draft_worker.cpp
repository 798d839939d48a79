// SPDX-License-Identifier: MIT
#include "trend/pipeline/draft_worker.hpp"

#include "trend/config/secrets.hpp"
#include "trend/draft/article.hpp"
#include "trend/draft/coverage.hpp"
#include "trend/draft/grounding.hpp"
#include "trend/draft/slug.hpp"
#include "trend/log/log.hpp"
#include "trend/store/database.hpp"
#include "trend/store/queries.hpp"
#include "trend/util/fs.hpp"
#include "trend/util/json.hpp"

#include <cassert>
#include <filesystem>

namespace trend::pipeline {

namespace {

std::string json_array(const std::vector<std::string>& items) {
    rapidjson::StringBuffer buf;
    json::Writer w(buf);
    w.StartArray();
    for (const std::string& s : items)
        json::put(w, s);
    w.EndArray();
    return buf.GetString();
}

} // namespace

/** One LLM job in flight, shared by the callbacks of its transfers. */
struct DraftWorker::LlmCall {
    store::DraftJob job;
    draft::Story story;
    std::vector<draft::Source> sources;
    std::vector<std::string> facts;
    draft::openai::Prompt prompt;
    bool revalidated = false; ///< a reply that did not validate was already retried
    bool completed = false;
    std::function<void(bool)> done;
};

DraftWorker::DraftWorker(store::Store& store, WriteQueue& writes, const config::Config& config,
                         const Clock& clock, fetch::HttpClient* http)
    : m_store(store), m_writes(writes), m_config(config), m_clock(clock), m_http(http) {}

void DraftWorker::sweep_temp_files() {
    if (const int n = util::remove_stale_temp_files(m_config.daemon.drafts_dir); n > 0)
        log::notice("draft", "removed {} temp file(s) of writes interrupted by a crash", n);
}

DraftRun DraftWorker::run_pending(int limit) {
    assert(m_http == nullptr && "run_pending drafts synchronously: built-in only");
    const DraftRun before = m_totals;
    for (int i = 0; i < limit; ++i) {
        bool handled = false;
        run_next([&](bool h) { handled = h; });
        if (!handled)
            break;
    }
    return {m_totals.written - before.written, m_totals.failed - before.failed};
}

void DraftWorker::run_next(std::function<void(bool)> done, std::optional<store::Id> only) {
    if (m_busy) {
        done(false);
        return;
    }
    std::optional<store::DraftJob> job;
    try {
        job = m_store.claim_draft(m_clock.now(), only);
    } catch (const std::exception& e) {
        // A locked database is an analyst's transaction: the job stays queued for the next turn.
        if (store::is_busy(e))
            log::info("draft", "the database is locked; draft jobs wait for the next turn");
        else
            log::error("draft", "cannot take a draft job: {}", e.what());
    }
    if (!job) {
        done(false);
        return;
    }
    util::crash_point("draft-after-claim");
    std::shared_ptr<LlmCall> call;
    try {
        draft::Story story = m_store.load_story(job->spike_id);
        store::DraftJob j = *job;
        if (j.slug.empty()) {
            j.slug = draft::slugify(story.term);
            if (m_store.slug_taken(j.slug, j.id)) {
                // Room for the suffix first: slugify would cut it off a long slug again.
                const std::string suffix = fmt::format("-{}", j.spike_id);
                j.slug = draft::slugify(story.term, 80 - suffix.size()) + suffix;
            }
            m_store.set_draft_slug(j.id, j.slug);
        }
        if (m_http != nullptr && m_config.drafter.kind == config::DrafterKind::openai) {
            call = std::make_shared<LlmCall>();
            call->job = std::move(j);
            call->story = std::move(story);
        } else {
            finish_builtin(j, story, "");
        }
    } catch (const std::exception& e) {
        call.reset();
        if (store::is_busy(e)) {
            // Not the job's fault: give it back without counting the attempt.
            log::notice("draft", "draft {}: the database is locked; the job waits", job->id);
            m_writes.submit(fmt::format("give draft job {} back to the queue", job->id),
                            [this, id = job->id] { m_store.release_draft(id, m_clock.now()); });
        } else {
            const Timestamp now = m_clock.now();
            std::optional<Timestamp> retry;
            if (k_local_draft_retry.allows_another(job->attempts))
                retry = now + k_local_draft_retry.delay(job->attempts, std::nullopt, random_unit());
            fail(*job, e.what(), retry);
        }
    }
    if (!call) {
        done(true);
        return;
    }
    call->done = std::move(done);
    m_busy = true;
    guarded(call, [&] { start_llm(call); });
}

template <typename Step>
void DraftWorker::guarded(const std::shared_ptr<LlmCall>& call, Step step) {
    try {
        step();
    } catch (const std::exception& e) {
        // A database or disk error mid-job: try again in a minute. A reply already paid for
        // stays stored and is used then.
        fail(call->job, e.what(), m_clock.now() + Seconds{60});
        complete(call);
    }
}

void DraftWorker::complete(const std::shared_ptr<LlmCall>& call) {
    if (call->completed)
        return;
    call->completed = true;
    m_busy = false;
    call->done(true);
}

void DraftWorker::start_llm(std::shared_ptr<LlmCall> call) {
    call->sources = draft::sources_of(draft::select_articles(call->story.articles));
    call->facts = draft::story_facts(call->story);
    call->prompt = draft::openai::build_prompt(call->story, call->sources, call->facts,
                                               m_config.drafter.language);
    if (!call->job.raw_reply.empty()) {
        log::notice("draft", "draft {}: using the reply received before a restart (no new call)",
                    call->job.id);
        process_reply(call, call->job.raw_reply);
        return;
    }
    call_llm(std::move(call));
}

void DraftWorker::call_llm(std::shared_ptr<LlmCall> call) {
    const config::OpenAIConfig& cfg = m_config.drafter.openai;
    m_api_key = config::read_secret(cfg.api_key_env, "openai-api-key");
    const double spent = m_store.spent_on_day(m_clock.now());
    const double worst = draft::openai::worst_case_usd(call->prompt, cfg);
    if (spent + worst > cfg.max_usd_per_day) {
        llm_failed(call,
                   fmt::format("daily spending cap of ${:.2f} reached: ${:.4f} spent today, this "
                               "call could cost up to ${:.4f}; no call made",
                               cfg.max_usd_per_day, spent, worst),
                   false, std::nullopt);
        return;
    }
    fetch::Request req;
    std::string base = cfg.base_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    req.url = base + "/chat/completions";
    req.method = "POST";
    req.body = draft::openai::request_body(call->prompt, cfg);
    req.headers = {"Content-Type: application/json", "Accept: application/json"};
    if (!m_api_key.empty())
        req.headers.push_back("Authorization: Bearer " + m_api_key);
    req.user_agent = m_config.daemon.user_agent;
    req.total_timeout = cfg.timeout;
    req.max_body_bytes = 8 * 1024 * 1024;
    req.max_redirects = 0; // a redirect would carry the key elsewhere
    log::info("draft", "draft {}: calling {} ({}), attempt {}", call->job.id, cfg.model, base,
              call->job.attempts);
    m_http->start(std::move(req), [this, call](fetch::Response r) {
        guarded(call, [&] { on_llm_reply(call, std::move(r)); });
    });
}

void DraftWorker::on_llm_reply(std::shared_ptr<LlmCall> call, fetch::Response r) {
    using draft::openai::scrub;
    if (r.transport == fetch::Transport::cancelled) {
        // Shutting down: the job stays 'drafting' and is redone at the next start.
        call->completed = true;
        m_busy = false;
        return;
    }
    if (r.transport != fetch::Transport::complete) {
        llm_failed(call, scrub(r.error, m_api_key), true, std::nullopt);
        return;
    }
    if (r.http_status != 200) {
        const auto f = draft::openai::classify_http_failure(r.http_status, r.body);
        llm_failed(call, scrub(f.message, m_api_key), f.retryable, r.retry_after);
        return;
    }
    // Paid for: keep it before anything else can go wrong.
    draft::openai::Usage usage;
    std::string model = m_config.drafter.openai.model;
    auto parsed = draft::openai::parse_completion(r.body);
    if (auto* c = std::get_if<draft::openai::Completion>(&parsed)) {
        usage = c->usage;
        if (!c->model.empty())
            model = c->model;
    }
    const std::string raw = scrub(r.body, m_api_key);
    const double usd = draft::openai::cost_usd(usage, m_config.drafter.openai);
    const Timestamp at = m_clock.now();
    // Until it is stored the reply lives in the job: a locked database delays the rest of the
    // job, it never makes us pay twice.
    call->job.raw_reply = raw;
    m_writes.submit(
        fmt::format("keep the LLM reply of draft {}", call->job.id),
        [this, call, raw, model, usage, usd, at] {
            m_store.record_llm_reply(call->job.id, raw, model, usage.prompt_tokens,
                                     usage.completion_tokens, usage.cached_tokens, usd, at);
        },
        [this, call, raw] {
            guarded(call, [&] {
                util::crash_point("llm-after-reply");
                process_reply(call, raw);
            });
        },
        [this, call](const std::exception& e) {
            fail(call->job, fmt::format("cannot keep the LLM reply: {}", e.what()),
                 m_clock.now() + Seconds{60});
            complete(call);
        });
}

void DraftWorker::process_reply(std::shared_ptr<LlmCall> call, const std::string& raw) {
    std::string reason;
    std::string model;
    std::optional<draft::openai::ModelDraft> md;
    auto parsed = draft::openai::parse_completion(raw);
    if (auto* err = std::get_if<std::string>(&parsed)) {
        reason = *err;
    } else {
        const auto& c = std::get<draft::openai::Completion>(parsed);
        model = c.model;
        auto m = draft::openai::parse_model_draft(c.content);
        if (auto* e = std::get_if<std::string>(&m))
            reason = *e;
        else
            md = std::move(std::get<draft::openai::ModelDraft>(m));
    }
    if (!md) {
        if (!call->revalidated) {
            call->revalidated = true;
            call->job.raw_reply.clear();
            m_writes.submit(fmt::format("forget the invalid LLM reply of draft {}", call->job.id),
                            [this, id = call->job.id] { m_store.clear_raw_reply(id); });
            log::warning("draft", "draft {}: the reply did not validate ({}); asking once more",
                         call->job.id, reason);
            call_llm(call);
            return;
        }
        llm_failed(call, "the reply did not validate twice: " + reason, false, std::nullopt);
        return;
    }
    try {
        const draft::Draft base = draft::draft_builtin(call->story);
        draft::Draft d;
        d.title = md->title;
        d.summary = md->summary;
        d.tags = md->tags.empty() ? base.tags : md->tags;
        d.body = draft::openai::finish_body(*md, call->sources, call->story);
        d.sources = call->sources;
        d.cover = base.cover;
        d.facts = call->facts;
        const auto citations = draft::grounding::citation_problems(md->body, call->sources.size());
        finish(call->job, call->story, d, config::DrafterKind::openai,
               model.empty() ? m_config.drafter.openai.model : model, citations, "");
    } catch (const std::exception& e) {
        // The reply is paid for and stored: retry writing it, never call again.
        fail(call->job, e.what(), m_clock.now() + Seconds{60});
    }
    complete(call);
}

void DraftWorker::llm_failed(std::shared_ptr<LlmCall> call, const std::string& reason,
                             bool retryable, std::optional<Seconds> retry_after) {
    const config::OpenAIConfig& cfg = m_config.drafter.openai;
    const store::DraftJob& job = call->job;
    try {
        const RetryPolicy policy = llm_retry_policy(cfg);
        if (retryable && policy.allows_another(job.attempts)) {
            const Seconds delay = policy.delay(job.attempts, retry_after, random_unit());
            log::warning("draft", "draft {}: attempt {} of {} failed: {}; retry in {}", job.id,
                         job.attempts, cfg.max_attempts, reason, format_duration(delay));
            record_failure(job, reason, m_clock.now() + delay);
        } else if (cfg.fallback == config::Fallback::builtin) {
            log::error("draft", "draft {}: {}; falling back to the built-in drafter", job.id,
                       reason);
            finish_builtin(job, call->story, reason);
        } else {
            fail(job, reason, std::nullopt);
        }
    } catch (const std::exception& e) {
        log::error("draft", "draft {}: {}", job.id, e.what());
    }
    complete(call);
}

void DraftWorker::finish_builtin(const store::DraftJob& job, const draft::Story& story,
                                 const std::string& fallback_reason) {
    finish(job, story, draft::draft_builtin(story), config::DrafterKind::builtin, "", {},
           fallback_reason);
}

void DraftWorker::finish(const store::DraftJob& job, const draft::Story& story,
                         const draft::Draft& drafted, config::DrafterKind drafter,
                         const std::string& model, const std::vector<std::string>& extra_problems,
                         const std::string& note) {
    draft::Draft d = drafted;
    d.body = draft::with_update(std::move(d.body), story, d.sources);
    const std::vector<draft::grounding::Trace> ledger = draft::grounding::trace_claims(
        d.body, draft::evidence_texts(story, d), draft::source_names(story));
    std::vector<std::string> unverified = draft::grounding::untraced(ledger);
    unverified.insert(unverified.end(), extra_problems.begin(), extra_problems.end());

    draft::FrontMatter fm;
    fm.title = d.title;
    fm.slug = job.slug;
    fm.date = draft::story_started_at(story);
    fm.status = unverified.empty() ? "draft" : "needs_review";
    fm.revision = story.revision;
    fm.summary = d.summary;
    fm.tags = d.tags;
    fm.cover = d.cover;
    fm.generator = "trendd " TRENDD_VERSION;
    fm.trend = {story.term,
                story.geo,
                story.traffic,
                story.traffic_label,
                story.timeline.empty() ? story.detected_at : story.timeline.front().at,
                story.rule,
                story.spike_id,
                rule_threshold(story.rule),
                story.reason};
    fm.sources = d.sources;
    fm.word_count = draft::count_words(d.body);
    const std::size_t cjk_words = draft::count_cjk_words(d.body);
    fm.reading_time_minutes = draft::reading_time_minutes(fm.word_count, cjk_words);
    fm.cjk = draft::is_cjk_draft(story.term, fm.word_count, cjk_words);
    fm.drafter = config::to_string(drafter);
    fm.unverified = unverified;
    const bool llm = drafter == config::DrafterKind::openai;
    if (llm) {
        fm.model = model;
        const store::DraftRecord usage = m_store.draft_usage(job.id);
        fm.generation_costs = draft::GenerationCosts{
            usage.prompt_tokens.value_or(0), usage.completion_tokens.value_or(0),
            usage.cached_tokens, usage.cost_usd.value_or(0)};
    }
    const std::string markdown = draft::render_document(fm, d.body);

    const std::filesystem::path dir = m_config.daemon.drafts_dir;
    std::filesystem::create_directories(dir);
    // A revision replaces its draft's file, whatever date the new coverage suggests.
    const std::filesystem::path path = story.revision > 1 && !job.path.empty()
                                           ? std::filesystem::path(job.path)
                                           : dir / draft::draft_file_name(fm.date, job.slug);
    util::write_file_atomic(path, markdown);
    util::crash_point("draft-after-file");

    auto r = std::make_shared<store::DraftRecord>();
    r->status = fm.status;
    r->drafter = config::to_string(drafter);
    r->model = llm ? model : "";
    r->slug = job.slug;
    r->path = path.string();
    r->title = fm.title;
    r->summary = fm.summary;
    r->markdown = markdown;
    r->word_count = static_cast<std::int64_t>(fm.word_count);
    r->unverified_json = json_array(unverified);
    r->last_error = note;
    r->revision = story.revision;
    for (const draft::grounding::Trace& t : ledger)
        r->evidence.push_back({std::string(draft::grounding::to_string(t.claim.kind)), t.claim.text,
                               std::string(draft::grounding::to_string(t.origin)), t.source,
                               t.page_text_id, t.url, t.sentence,
                               static_cast<std::int64_t>(t.offset)});
    std::vector<std::string> urls;
    for (const draft::Source& s : d.sources)
        urls.push_back(s.url);
    r->source_urls_json = json_array(urls);
    urls.clear();
    for (const draft::StoryArticle& a : story.articles)
        if (a.page)
            urls.push_back(a.url);
    r->page_urls_json = json_array(urls);
    const bool notify = !m_config.notify.webhook_url.empty();
    const std::string summary = fmt::format(
        "{} ({}, {}, {} words{}{})", path.string(), fm.drafter, fm.status, fm.word_count,
        unverified.empty() ? "" : fmt::format(", {} unverified", unverified.size()),
        story.revision > 1 ? fmt::format(", revision {}", story.revision) : "");
    m_writes.submit(
        fmt::format("store draft {}", job.id),
        [this, id = job.id, r, notify] {
            auto tx = m_store.begin();
            m_store.complete_draft(id, *r, m_clock.now());
            if (notify)
                m_store.queue_notification(id, m_clock.now());
            util::crash_point("draft-before-commit");
            tx.commit();
        },
        [this, id = job.id, summary] {
            ++m_totals.written;
            log::notice("draft", "draft {} written: {}", id, summary);
        },
        [this, job](const std::exception& e) {
            fail(job, fmt::format("cannot store the draft: {}", e.what()),
                 m_clock.now() + Seconds{60});
        });
}

std::optional<std::int64_t> DraftWorker::rule_threshold(const std::string& rule) const {
    for (const config::RuleConfig& r : m_config.rules)
        if (r.name == rule && r.min_traffic > 0)
            return r.min_traffic;
    return std::nullopt;
}

void DraftWorker::fail(const store::DraftJob& job, const std::string& reason,
                       std::optional<Timestamp> retry) {
    log::error("draft", "draft {} (spike {}) attempt {} failed: {}{}", job.id, job.spike_id,
               job.attempts, reason, retry ? "; will retry" : "");
    record_failure(job, reason, retry);
    if (!retry)
        ++m_totals.failed;
}

void DraftWorker::record_failure(const store::DraftJob& job, const std::string& reason,
                                 std::optional<Timestamp> retry) {
    m_writes.submit(fmt::format("record the failure of draft {}", job.id),
                    [this, id = job.id, reason, retry] {
                        m_store.fail_draft(id, reason, retry, m_clock.now());
                    });
}

} // namespace trend::pipeline
