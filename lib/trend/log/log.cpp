// SPDX-License-Identifier: MIT
#include "trend/log/log.hpp"

#include "trend/util/time.hpp"

#include <array>
#include <atomic>
#include <cstdlib>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace trend::log {

namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<bool> g_journal{false};

constexpr std::array<std::pair<Level, std::string_view>, 5> k_names{{
    {Level::error, "error"},
    {Level::warning, "warning"},
    {Level::notice, "notice"},
    {Level::info, "info"},
    {Level::debug, "debug"},
}};

bool stderr_is_journal() noexcept {
    // JOURNAL_STREAM is "device:inode" of the stream systemd connected; it is only ours if
    // fd 2 is still that stream (a shell redirect inside the unit would change it).
    const char* env = std::getenv("JOURNAL_STREAM");
    if (env == nullptr)
        return false;
    struct stat st {};
    if (::fstat(STDERR_FILENO, &st) != 0)
        return false;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(env, "%llu:%llu", &dev, &ino) != 2)
        return false;
    return dev == st.st_dev && ino == st.st_ino;
}

} // namespace

bool parse_level(std::string_view name, Level& out) noexcept {
    for (const auto& [level, n] : k_names)
        if (n == name) {
            out = level;
            return true;
        }
    return false;
}

std::string_view level_name(Level level) noexcept {
    for (const auto& [l, n] : k_names)
        if (l == level)
            return n;
    return "unknown";
}

void set_level(Level level) noexcept {
    g_level = level;
}

bool enabled(Level level) noexcept {
    return static_cast<int>(level) <= static_cast<int>(g_level.load());
}

void init_from_environment() noexcept {
    g_journal = stderr_is_journal();
}

void write(Level level, std::string_view domain, std::string_view message) noexcept {
    try {
        std::string line;
        line.reserve(message.size() + domain.size() + 40);
        if (g_journal) {
            line += fmt::format("<{}>", static_cast<int>(level));
        } else {
            line += format_iso(SystemClock{}.now());
            line += fmt::format(" {:<7} ", level_name(level));
        }
        line += domain;
        line += ": ";
        // One event, one line: embedded newlines from foreign text would forge log lines.
        for (char c : message)
            line += (c == '\n' || c == '\r') ? ' ' : c;
        line += '\n';
        std::string_view rest = line;
        while (!rest.empty()) {
            const ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
            if (n <= 0)
                return;
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
    } catch (...) {
        // Logging must never take the daemon down.
    }
}

} // namespace trend::log
