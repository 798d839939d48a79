// SPDX-License-Identifier: MIT
// Each feed's health state (feed_health), kept across restarts.
#include "trend/store/statement.hpp"
#include "trend/store/store.hpp"

namespace trend::store {

using detail::bind_text_or_null;
using detail::bind_time;
using detail::Reuse;
using detail::time_of;

std::optional<FeedHealthRow> Store::feed_health(Id feed_id) {
    SQLite::Statement& q =
        cached("SELECT coalesce(content_hash, ''), content_since, content_polls, "
               "change_interval_s, changes, fields, no_items_since, frozen_since, "
               "drift_since, coalesce(drift_fields, ''), coalesce(problems, '') "
               "FROM feed_health WHERE feed_id = :feed");
    const Reuse reuse_q(q);
    q.bind(":feed", feed_id);
    if (!q.executeStep())
        return std::nullopt;
    FeedHealthRow r;
    r.content_hash = q.getColumn(0).getString();
    r.content_since = time_of(q.getColumn(1));
    r.content_polls = q.getColumn(2).getInt();
    if (!q.getColumn(3).isNull())
        r.change_interval_s = q.getColumn(3).getDouble();
    r.changes = q.getColumn(4).getInt();
    r.fields = q.getColumn(5).getString();
    r.no_items_since = time_of(q.getColumn(6));
    r.frozen_since = time_of(q.getColumn(7));
    r.drift_since = time_of(q.getColumn(8));
    r.drift_fields = q.getColumn(9).getString();
    r.problems = q.getColumn(10).getString();
    return r;
}

void Store::save_feed_health(Id feed_id, const FeedHealthRow& r, Timestamp now) {
    SQLite::Statement& s =
        cached("INSERT OR REPLACE INTO feed_health (feed_id, content_hash, content_since, "
               "content_polls, change_interval_s, changes, fields, no_items_since, frozen_since, "
               "drift_since, drift_fields, problems, updated_at) VALUES (:feed, :hash, :since, "
               ":polls, :interval, :changes, :fields, :no_items, :frozen, :drift, :drift_fields, "
               ":problems, :now)");
    const Reuse reuse_s(s);
    s.bind(":feed", feed_id);
    bind_text_or_null(s, ":hash", r.content_hash);
    bind_time(s, ":since", r.content_since);
    s.bind(":polls", r.content_polls);
    if (r.change_interval_s)
        s.bind(":interval", *r.change_interval_s);
    s.bind(":changes", r.changes);
    s.bind(":fields", r.fields);
    bind_time(s, ":no_items", r.no_items_since);
    bind_time(s, ":frozen", r.frozen_since);
    bind_time(s, ":drift", r.drift_since);
    bind_text_or_null(s, ":drift_fields", r.drift_fields);
    bind_text_or_null(s, ":problems", r.problems);
    s.bind(":now", format_iso(now));
    s.exec();
}

std::vector<FeedHealthState> Store::feed_health_states() {
    return store::feed_health_states(m_db);
}

} // namespace trend::store
