// SPDX-License-Identifier: MIT
#include "trend/util/fs.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace trend::util {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

} // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content, int mode) {
    std::string name = ".";
    name += path.filename().string();
    name += ".tmp-XXXXXX";
    std::string tmpl = (path.parent_path() / name).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        throw_errno("cannot create a temporary file beside " + path.string());
    auto fail = [&](const std::string& what) {
        const int saved = errno;
        ::close(fd);
        ::unlink(tmpl.c_str());
        errno = saved;
        throw_errno(what + " " + tmpl);
    };
    std::string_view rest = content;
    while (!rest.empty()) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot write");
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0 || ::fsync(fd) != 0)
        fail("cannot sync");
    if (::close(fd) != 0) {
        ::unlink(tmpl.c_str());
        throw_errno("cannot close " + tmpl);
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(tmpl.c_str());
        errno = saved;
        throw_errno("cannot rename into " + path.string());
    }
}

int remove_stale_temp_files(const std::filesystem::path& dir) noexcept {
    int removed = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        const auto tmp = name.rfind(".tmp-");
        if (name.size() > 1 && name[0] == '.' && tmp != std::string::npos &&
            name.size() - tmp == 11 && std::filesystem::remove(e.path(), ec))
            ++removed;
    }
    return removed;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::system_error(errno, std::generic_category(), "cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void crash_point(std::string_view point) noexcept {
    static const char* const k_spec = std::getenv("TRENDD_TEST_CRASH_AT");
    if (k_spec == nullptr)
        return;
    const std::string_view spec = k_spec;
    const std::string_view name = spec.substr(0, spec.find(':'));
    if (name != point)
        return;
    static int s_hits = 0;
    const int wanted = spec.find(':') == std::string_view::npos
                           ? 1
                           : std::atoi(std::string(spec.substr(spec.find(':') + 1)).c_str());
    if (++s_hits >= wanted)
        ::kill(::getpid(), SIGKILL);
}

std::int64_t database_size(const std::filesystem::path& db) noexcept {
    std::int64_t total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ec;
        const auto n = std::filesystem::file_size(db.string() + suffix, ec);
        if (!ec)
            total += static_cast<std::int64_t>(n);
    }
    return total;
}

std::optional<std::string> writable_directory_problem(const std::filesystem::path& dir) noexcept {
    try {
        std::filesystem::path p = dir;
        // The nearest existing ancestor decides whether the directory can be made.
        while (!p.empty() && !std::filesystem::exists(p)) {
            if (p == p.parent_path())
                break;
            p = p.parent_path();
        }
        if (p.empty())
            p = ".";
        if (!std::filesystem::is_directory(p))
            return fmt::format("{} is not a directory", p.string());
        if (::access(p.c_str(), W_OK | X_OK) != 0)
            return fmt::format("{} is not writable: {}", p.string(), std::strerror(errno));
        return std::nullopt;
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
}

} // namespace trend::util
