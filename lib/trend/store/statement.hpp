// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <vector>

/** Helpers for the store's own statements (store.cpp, stories.cpp, health.cpp, revisions.cpp). */
namespace trend::store::detail {

/** Binds text, or NULL for "". */
inline void bind_text_or_null(SQLite::Statement& s, const char* name, const std::string& v) {
    if (v.empty())
        s.bind(name);
    else
        s.bind(name, v);
}

/** A JSON array of strings, as the store keeps lists in a column. */
inline std::string json_array(const std::vector<std::string>& items) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartArray();
    for (const std::string& i : items)
        w.String(i.data(), static_cast<rapidjson::SizeType>(i.size()));
    w.EndArray();
    return buf.GetString();
}

/** Binds a time as ISO text, or NULL. */
inline void bind_time(SQLite::Statement& s, const char* name, std::optional<Timestamp> t) {
    if (t)
        s.bind(name, format_iso(*t));
    else
        s.bind(name);
}

/** A column as a time (NULL or unreadable: nullopt). */
inline std::optional<Timestamp> time_of(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : parse_iso(c.getString());
}

/** Leaves a cached statement ready for its next use however this use ends: an exception (a
 *  full disk, a busy database) must not break the statement until the daemon restarts. */
class Reuse final {
    SQLite::Statement& m_s;

public:
    explicit Reuse(SQLite::Statement& s) noexcept : m_s(s) {}
    ~Reuse() {
        m_s.tryReset();
        try {
            m_s.clearBindings();
        } catch (...) {
        }
    }
    Reuse(const Reuse&) = delete;
    Reuse& operator=(const Reuse&) = delete;
};

/** Runs a statement that returns no rows and makes it ready for the next use. */
inline int exec_reset(SQLite::Statement& s) {
    Reuse reuse(s);
    return s.exec();
}

} // namespace trend::store::detail
