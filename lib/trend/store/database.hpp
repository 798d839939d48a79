// SPDX-License-Identifier: MIT
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <stdexcept>

namespace trend::store {

/** The database cannot be used: unreadable, not SQLite, or from a newer trendd. */
class DatabaseError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** The file is not a database this trendd can use, and will not become one by retrying: a
 *  schema from a newer trendd, or not a trendd database at all. */
class SchemaError : public DatabaseError {
public:
    using DatabaseError::DatabaseError;
};

/** Whether `e` is SQLite saying the database is locked by another connection (SQLITE_BUSY or
 *  SQLITE_LOCKED): the operation rolled back and may simply be tried again later. */
[[nodiscard]] bool is_busy(const std::exception& e) noexcept;

enum class Access {
    read_write, ///< the daemon: creates, migrates, WAL
    read_only,  ///< trendctl and analysts: never writes, works while trendd runs
    /** A replay's database (backtest), which can be made again: created and migrated as
     *  read_write, but written fast rather than safely: its rollback journal in memory,
     *  synchronous=OFF, locked exclusively while open, a 64 MB cache, foreign keys not
     *  checked (the same code writes the daemon's database, where they are). A crash may
     *  leave it unusable; nothing else may use it while it is written. */
    scratch,
};

/**
 * Opens the database with trendd's settings: WAL, synchronous=NORMAL, busy_timeout 5 s,
 * foreign keys on. read_write and scratch create the file (and its directory) and apply every
 * pending migration, each in its own IMMEDIATE transaction with its PRAGMA user_version.
 * Throws DatabaseError (with the path and the reason) when it cannot.
 */
[[nodiscard]] SQLite::Database open_database(const std::filesystem::path& path, Access access);

/** Applies pending migrations; returns how many. Throws DatabaseError when the file's
 *  user_version is newer than this binary knows. */
int migrate(SQLite::Database& db);

/** The newest schema version this binary knows. */
[[nodiscard]] int latest_schema_version() noexcept;

} // namespace trend::store
