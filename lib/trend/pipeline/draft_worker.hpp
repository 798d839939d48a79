// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/draft/builtin_drafter.hpp"
#include "trend/draft/openai.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/pipeline/retry.hpp"
#include "trend/pipeline/write_queue.hpp"
#include "trend/store/store.hpp"

#include <functional>
#include <optional>

namespace trend::pipeline {

/** A job that failed without an LLM call (a database or disk error: a bug or a full disk, not
 *  a flaky server): 2 min, then 4 min, then given up after 3 attempts. */
inline constexpr RetryPolicy k_local_draft_retry{
    .first = Seconds{120}, .max = Seconds{3600}, .max_attempts = 3};

/** LLM calls that failed for a reason worth retrying (429, 5xx, timeouts): 2 s, 4 s, 8 s ...
 *  at most 10 min, +-20%, Retry-After honoured up to an hour, `max_attempts` in all. */
[[nodiscard]] constexpr RetryPolicy llm_retry_policy(const config::OpenAIConfig& cfg) noexcept {
    return {.first = Seconds{2},
            .max = Seconds{600},
            .retry_after_max = Seconds{3600},
            .jitter = 0.2,
            .max_attempts = cfg.max_attempts};
}

struct DraftRun {
    int written = 0;
    int failed = 0;
};

/**
 * Turns queued draft jobs into explainer files and drafts rows: claim (attempt counted), load
 * the story, draft (built-in, or one OpenAI-compatible call on the loop), grounding check,
 * front matter, write the file atomically, store the same content (and queue its webhook) in
 * one transaction.
 *
 * Writes go through the WriteQueue: a locked database delays them (a job that finds it locked
 * before drafting is given back without counting the attempt), never the loop.
 *
 * Crash safety: a crash leaves the job 'drafting'; the next start queues it again and the
 * worker redoes it. The file name is fixed by the job's slug and the spike's date, so the redo
 * overwrites the same file and a spike never gets two drafts. An LLM reply is stored the
 * moment it arrives, so a redo processes it instead of paying for a second call.
 *
 * LLM failures: 429/5xx/timeouts are retried under llm_retry_policy; other errors and exhausted
 * retries take the configured fallback (the built-in drafter, or 'failed'); so does a call the
 * daily spending cap would not cover.
 *
 * Lives on the io_context thread; one job at a time.
 */
class DraftWorker final {
    struct LlmCall;

    store::Store& m_store;
    WriteQueue& m_writes;
    const config::Config& m_config;
    const Clock& m_clock;
    fetch::HttpClient* m_http; ///< null: built-in only (backtest)
    std::string m_api_key;     ///< read at each call: a new credential needs no restart
    bool m_busy = false;
    DraftRun m_totals; ///< since construction

public:
    /** `http` null means built-in drafting whatever the config says. */
    DraftWorker(store::Store& store, WriteQueue& writes, const config::Config& config,
                const Clock& clock, fetch::HttpClient* http = nullptr);

    /** Removes the temp files of draft writes a crash interrupted. Only the queue's owner
     *  (trendd, trendd --once) calls it, at start: another process may be writing. */
    void sweep_temp_files();

    [[nodiscard]] bool busy() const noexcept { return m_busy; }
    [[nodiscard]] DraftRun totals() const noexcept { return m_totals; }

    /** Starts the next due job (or job `only`): `done(true)` once it was handled (written,
     *  failed or queued for a retry), `done(false)` at once when no job is due. A built-in job
     *  completes before run_next returns. */
    void run_next(std::function<void(bool)> done, std::optional<store::Id> only = std::nullopt);

    /** Drafts every due job with the built-in drafter, synchronously (backtest, tests). */
    DraftRun run_pending(int limit = 1000);

private:
    /** Runs one step of an LLM job; an exception ends the job's turn (retried later, the
     *  stored reply kept) instead of escaping into the event loop. */
    template <typename Step>
    void guarded(const std::shared_ptr<LlmCall>& call, Step step);
    /** Ends the job's turn: not busy any more, `done` called once. */
    void complete(const std::shared_ptr<LlmCall>& call);
    void start_llm(std::shared_ptr<LlmCall> call);
    void call_llm(std::shared_ptr<LlmCall> call);
    void on_llm_reply(std::shared_ptr<LlmCall> call, fetch::Response response);
    void process_reply(std::shared_ptr<LlmCall> call, const std::string& raw);
    void llm_failed(std::shared_ptr<LlmCall> call, const std::string& reason, bool retryable,
                    std::optional<Seconds> retry_after);
    void finish_builtin(const store::DraftJob& job, const draft::Story& story,
                        const std::string& fallback_reason);
    void finish(const store::DraftJob& job, const draft::Story& story, const draft::Draft& d,
                config::DrafterKind drafter, const std::string& model,
                const std::vector<std::string>& extra_problems, const std::string& note);
    /** The configured rule's min_traffic (for the front matter), when it has one. */
    [[nodiscard]] std::optional<std::int64_t> rule_threshold(const std::string& rule) const;
    /** A failed attempt: logged, counted, recorded (queued again for `retry`, or failed). */
    void fail(const store::DraftJob& job, const std::string& reason,
              std::optional<Timestamp> retry);
    void record_failure(const store::DraftJob& job, const std::string& reason,
                        std::optional<Timestamp> retry);
};

} // namespace trend::pipeline
