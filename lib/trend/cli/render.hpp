// SPDX-License-Identifier: MIT
#pragma once

#include "trend/store/queries.hpp"
#include "trend/util/json.hpp"

#include <cstdio>
#include <string>
#include <vector>

/** How trendctl prints: aligned text tables for people, JSON for scripts. */
namespace trend::cli {

/** A value as text: NULL -> "-", reals with up to 6 significant digits, strings on one line
 *  and terminal-safe (text::terminal_safe: controls and bidi/format characters escaped). */
[[nodiscard]] std::string cell_text(const store::Value& v);

/** Prints the rows as an aligned table (selected columns, in that order; all when empty). */
void print_table(std::FILE* out, const store::Rows& rows,
                 const std::vector<std::string>& columns = {});

/** Writes the rows as CSV (RFC 4180): a header line of column names, then one line per row,
 *  every column; NULL is an empty field. A text cell that a spreadsheet would run as a
 *  formula (it starts with =, +, -, @, tab or carriage return) gets a leading ' so that feed
 *  content can never execute in an analyst's spreadsheet. */
void write_csv(std::FILE* out, const store::Rows& rows);

/** Writes the rows as a JSON array of objects keyed by column name. */
void write_rows(json::Writer& w, const store::Rows& rows);

/** The rows as a JSON array of objects keyed by column name. */
[[nodiscard]] std::string rows_json(const store::Rows& rows);

/** One row (the first) as a JSON object; "null" when there is none. */
[[nodiscard]] std::string row_json(const store::Rows& rows);

/** A Unicode sparkline of values on a log scale ("▁▂▅█"); nullopt values print as ' '. */
[[nodiscard]] std::string sparkline(const std::vector<std::optional<std::int64_t>>& values);

} // namespace trend::cli
