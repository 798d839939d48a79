// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string_view>

namespace trend::store {

/** One forward-only schema step, compiled in from schema/NNN_name.sql. */
struct Migration {
    int version;           ///< NNN: the PRAGMA user_version after it is applied
    std::string_view name; ///< file name without .sql
    std::string_view sql;
};

/** Every migration, in order of version (generated from schema/ at build time). */
[[nodiscard]] std::span<const Migration> migrations() noexcept;

} // namespace trend::store
