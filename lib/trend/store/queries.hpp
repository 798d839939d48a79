// SPDX-License-Identifier: MIT
#pragma once

#include "trend/draft/story.hpp"

#include <SQLiteCpp/Database.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

/** Read-side queries shared by the draft worker and trendctl. */
namespace trend::store {

/** Everything we hold about a spike, for drafting: its news items (all feeds, around the spike),
 *  the term's traffic timeline, other geos and related terms. Throws std::runtime_error for an
 *  unknown spike. Works on a read-only connection. */
[[nodiscard]] draft::Story load_story(SQLite::Database& db, std::int64_t spike_id);

/** A cell: NULL, integer, real or text, as SQLite typed it. */
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

/** A result set with its column names: trendctl prints it as a table or as JSON objects whose
 *  keys are the column names (the documented, stable shape of docs/cli.md). */
struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
};

/** Writes a cell as its JSON value (null, number or string). */
void write_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const Value& v);

/** One row per feed: v_feed_health. */
[[nodiscard]] Rows feed_health(SQLite::Database& db);
/** The n newest observations. */
[[nodiscard]] Rows newest_observations(SQLite::Database& db, int n);
/** Spikes detected at or after `since` (ISO), optionally of one term (normalised), newest first. */
[[nodiscard]] Rows spikes(SQLite::Database& db, const std::string& since, const std::string& term);
/** Drafts, optionally with one status, newest first. */
[[nodiscard]] Rows drafts(SQLite::Database& db, const std::string& status);
/** Observations of a term (normalised), optionally in one geo, oldest first. */
[[nodiscard]] Rows history(SQLite::Database& db, const std::string& term, const std::string& geo);
/** One row of counters for `trendctl status`. */
[[nodiscard]] Rows totals(SQLite::Database& db);
/** The Markdown of a draft by id or slug, with its id, status and path. */
[[nodiscard]] Rows draft_document(SQLite::Database& db, const std::string& id_or_slug);
/** Every observation in the JSON Lines form of the recorded series (trendctl export). */
[[nodiscard]] Rows export_observations(SQLite::Database& db);

/** Runs any read-only query; used by the functions above. */
[[nodiscard]] Rows select(SQLite::Database& db, const std::string& sql,
                          const std::vector<Value>& params = {});

} // namespace trend::store
