// SPDX-License-Identifier: MIT
#pragma once

#include <fmt/format.h>

#include <string_view>

/**
 * One line per event on stderr. Under systemd (JOURNAL_STREAM names our stderr) each line
 * starts with a syslog priority prefix ("<3>") so journald records its level; otherwise it
 * starts with a UTC timestamp and the level name. Thread-safe: a line is one write(2).
 * Secrets must never be passed in.
 */
namespace trend::log {

/** Syslog priorities, most severe first. */
enum class Level { error = 3, warning = 4, notice = 5, info = 6, debug = 7 };

/** Parses "error", "warning", "notice", "info", "debug"; false when unknown. */
[[nodiscard]] bool parse_level(std::string_view name, Level& out) noexcept;
[[nodiscard]] std::string_view level_name(Level level) noexcept;

/** Messages less severe than `level` are dropped. Default: info. */
void set_level(Level level) noexcept;
[[nodiscard]] bool enabled(Level level) noexcept;

/** Decides once whether stderr is the journal (JOURNAL_STREAM matches fd 2). */
void init_from_environment() noexcept;

/** Writes one line: `domain: message`. Never throws. */
void write(Level level, std::string_view domain, std::string_view message) noexcept;

template <typename... Args>
void emit(Level level, std::string_view domain, fmt::format_string<Args...> f, Args&&... args) {
    if (!enabled(level))
        return;
    try {
        write(level, domain, fmt::format(f, std::forward<Args>(args)...));
    } catch (...) {
        write(level, domain, "(log message could not be formatted)");
    }
}

template <typename... Args>
void error(std::string_view d, fmt::format_string<Args...> f, Args&&... a) {
    emit(Level::error, d, f, std::forward<Args>(a)...);
}
template <typename... Args>
void warning(std::string_view d, fmt::format_string<Args...> f, Args&&... a) {
    emit(Level::warning, d, f, std::forward<Args>(a)...);
}
template <typename... Args>
void notice(std::string_view d, fmt::format_string<Args...> f, Args&&... a) {
    emit(Level::notice, d, f, std::forward<Args>(a)...);
}
template <typename... Args>
void info(std::string_view d, fmt::format_string<Args...> f, Args&&... a) {
    emit(Level::info, d, f, std::forward<Args>(a)...);
}
template <typename... Args>
void debug(std::string_view d, fmt::format_string<Args...> f, Args&&... a) {
    emit(Level::debug, d, f, std::forward<Args>(a)...);
}

} // namespace trend::log
