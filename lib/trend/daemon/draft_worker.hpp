// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/store/store.hpp"

#include <optional>

namespace trend::daemon {

struct DraftRun {
    int written = 0;
    int failed = 0;
};

/**
 * Turns queued draft jobs into explainer files and drafts rows: claim (attempt counted), load
 * the story, draft, grounding check, front matter, write the file atomically, store the same
 * content. A crash anywhere leaves the job 'drafting'; the next start queues it again and the
 * worker redoes it: the file
 * name is fixed by the job's slug and the spike's date, so the redo overwrites the same file
 * and a spike never gets two drafts.
 */
class DraftWorker final {
    store::Store& m_store;
    const config::Config& m_config;
    const Clock& m_clock;

public:
    /** Also removes the temp files of a write that a crash interrupted. */
    DraftWorker(store::Store& store, const config::Config& config, const Clock& clock);

    /** Drafts every due job, at most `limit`. */
    DraftRun run_pending(int limit = 1000);

    /** Drafts the next due job (or job `only`); nullopt when none. Returns whether it
     *  succeeded. */
    std::optional<bool> run_one(std::optional<store::Id> only = std::nullopt);

private:
    void draft(const store::DraftJob& job);
};

} // namespace trend::daemon
