// SPDX-License-Identifier: MIT
#include "trend/daemon/draft_worker.hpp"

#include "trend/draft/article.hpp"
#include "trend/draft/builtin_drafter.hpp"
#include "trend/draft/grounding.hpp"
#include "trend/draft/slug.hpp"
#include "trend/log/log.hpp"
#include "trend/store/queries.hpp"
#include "trend/util/fs.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>

namespace trend::daemon {

namespace {

constexpr int k_max_attempts = 3;

std::string json_array(const std::vector<std::string>& items) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartArray();
    for (const std::string& s : items)
        w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    w.EndArray();
    return buf.GetString();
}

} // namespace

DraftWorker::DraftWorker(store::Store& store, const config::Config& config, const Clock& clock)
    : m_store(store), m_config(config), m_clock(clock) {
    if (const int n = util::remove_stale_temp_files(m_config.daemon.drafts_dir); n > 0)
        log::notice("draft", "removed {} temp file(s) of writes interrupted by a crash", n);
}

DraftRun DraftWorker::run_pending(int limit) {
    DraftRun run;
    for (int i = 0; i < limit; ++i) {
        const std::optional<bool> ok = run_one();
        if (!ok)
            break;
        ++(*ok ? run.written : run.failed);
    }
    return run;
}

std::optional<bool> DraftWorker::run_one(std::optional<store::Id> only) {
    const std::optional<store::DraftJob> job = m_store.claim_draft(m_clock.now(), only);
    if (!job)
        return std::nullopt;
    util::crash_point("draft-after-claim");
    try {
        draft(*job);
        return true;
    } catch (const std::exception& e) {
        const Timestamp now = m_clock.now();
        std::optional<Timestamp> retry;
        if (job->attempts < k_max_attempts)
            retry = now + Seconds{60} * (1 << job->attempts);
        log::error("draft", "draft {} (spike {}) attempt {} failed: {}", job->id, job->spike_id,
                   job->attempts, e.what());
        try {
            m_store.fail_draft(job->id, e.what(), retry, now);
        } catch (const std::exception& e2) {
            log::error("draft", "draft {}: cannot record the failure: {}", job->id, e2.what());
        }
        return false;
    }
}

void DraftWorker::draft(const store::DraftJob& job) {
    const draft::Story story = store::load_story(m_store.db(), job.spike_id);
    std::string slug = job.slug;
    if (slug.empty()) {
        slug = draft::slugify(story.term);
        if (m_store.slug_taken(slug, job.id))
            slug = draft::slugify(fmt::format("{} {}", slug, job.spike_id));
        m_store.set_draft_slug(job.id, slug);
    }

    const draft::Draft d = draft::draft_builtin(story);
    const auto evidence = draft::evidence_of(story, d);
    const std::vector<std::string> unverified = draft::grounding::unverified_claims(d.body, evidence);

    draft::FrontMatter fm;
    fm.title = d.title;
    fm.slug = slug;
    fm.date = m_clock.now();
    fm.status = unverified.empty() ? "draft" : "needs_review";
    fm.summary = d.summary;
    fm.tags = d.tags;
    fm.cover = d.cover;
    fm.generator = "trendd " TRENDD_VERSION;
    fm.trend = {story.term, story.geo, story.traffic, story.traffic_label,
                story.timeline.empty() ? story.detected_at : story.timeline.front().at,
                story.rule, story.spike_id};
    fm.sources = d.sources;
    fm.word_count = draft::count_words(d.body);
    fm.reading_time_minutes = draft::reading_time_minutes(fm.word_count);
    fm.drafter = "builtin";
    fm.unverified = unverified;
    const std::string markdown = draft::render_document(fm, d.body);

    const std::filesystem::path dir = m_config.daemon.drafts_dir;
    std::filesystem::create_directories(dir);
    const std::filesystem::path path = dir / draft::draft_file_name(story.detected_at, slug);
    util::write_file_atomic(path, markdown);
    util::crash_point("draft-after-file");

    store::DraftRecord r;
    r.status = fm.status;
    r.drafter = fm.drafter;
    r.slug = slug;
    r.path = path.string();
    r.title = fm.title;
    r.summary = fm.summary;
    r.markdown = markdown;
    r.word_count = static_cast<std::int64_t>(fm.word_count);
    r.unverified_json = json_array(unverified);
    auto tx = m_store.begin();
    m_store.complete_draft(job.id, r, m_clock.now());
    util::crash_point("draft-before-commit");
    tx.commit();
    log::notice("draft", "draft {} written: {} ({}, {} words{})", job.id, path.string(), fm.status,
                fm.word_count,
                unverified.empty() ? "" : fmt::format(", {} unverified", unverified.size()));
}

} // namespace trend::daemon
