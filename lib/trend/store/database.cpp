// SPDX-License-Identifier: MIT
#include "trend/store/database.hpp"

#include "trend/log/log.hpp"
#include "trend/store/migrations.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <sqlite3.h>

namespace trend::store {

namespace fs = std::filesystem;

int latest_schema_version() noexcept {
    const auto all = migrations();
    return all.empty() ? 0 : all.back().version;
}

int migrate(SQLite::Database& db) {
    const int current = db.execAndGet("PRAGMA user_version").getInt();
    if (current > latest_schema_version())
        throw SchemaError(fmt::format("{}: database schema version {} is newer than this trendd "
                                      "knows ({}); upgrade trendd",
                                      db.getFilename(), current, latest_schema_version()));
    int applied = 0;
    for (const Migration& m : migrations()) {
        if (m.version <= current)
            continue;
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        db.exec(std::string(m.sql));
        // PRAGMA takes no bound parameters; the version is our own integer.
        db.exec(fmt::format("PRAGMA user_version = {}", m.version));
        tx.commit();
        log::info("store", "applied schema migration {}", m.name);
        ++applied;
    }
    return applied;
}

bool is_busy(const std::exception& e) noexcept {
    const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e);
    if (sqlite == nullptr)
        return false;
    const int code = sqlite->getErrorCode() & 0xff;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

SQLite::Database open_database(const fs::path& path, Access access) {
    try {
        if (access == Access::read_only) {
            if (!fs::exists(path))
                throw DatabaseError(fmt::format("{}: no such database", path.string()));
            SQLite::Database db(path.string(), SQLite::OPEN_READONLY, 5000);
            const int version = db.execAndGet("PRAGMA user_version").getInt();
            if (version > latest_schema_version())
                throw SchemaError(fmt::format("{}: schema version {} is newer than this "
                                              "trendctl knows ({})",
                                              path.string(), version, latest_schema_version()));
            if (version == 0)
                throw SchemaError(
                    fmt::format("{}: not a trendd database (schema version 0)", path.string()));
            db.exec("PRAGMA query_only = ON");
            return db;
        }
        if (path.has_parent_path())
            fs::create_directories(path.parent_path());
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
        if (access == Access::scratch) {
            // Before any WAL: a -wal file left on disk would put the connection back in WAL.
            db.exec("PRAGMA locking_mode = EXCLUSIVE");
            db.exec("PRAGMA journal_mode = MEMORY");
            db.exec("PRAGMA synchronous = OFF");
            // A replay writes a year in seconds: keep its indexes in memory rather than
            // re-reading them (the default cache is 2 MB).
            db.exec("PRAGMA cache_size = -65536");
        } else {
            db.exec("PRAGMA journal_mode = WAL");
            // Keep -wal and -shm when the daemon closes: a read-only reader (an analyst in
            // group trendd) cannot create them in the 0750 state directory.
            int persist = 1;
            sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
            db.exec("PRAGMA synchronous = NORMAL");
        }
        // A replay's rows come from the same code that writes the daemon's, where they are
        // checked; checking them again costs a replay a third of its inserts' time.
        db.exec(access == Access::scratch ? "PRAGMA foreign_keys = OFF"
                                          : "PRAGMA foreign_keys = ON");
        migrate(db);
        return db;
    } catch (const DatabaseError&) {
        throw;
    } catch (const SQLite::Exception& e) {
        // SQLITE_NOTADB: some other file. Retrying will not help.
        if (e.getErrorCode() == SQLITE_NOTADB)
            throw SchemaError(fmt::format("{}: not an SQLite database", path.string()));
        throw DatabaseError(fmt::format("{}: {}", path.string(), e.what()));
    } catch (const std::exception& e) {
        throw DatabaseError(fmt::format("{}: {}", path.string(), e.what()));
    }
}

} // namespace trend::store
