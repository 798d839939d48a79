// SPDX-License-Identifier: MIT
#include "trend/daemon/memory.hpp"

#include <malloc.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <string>

#include <sys/mman.h>

namespace trend::daemon {

namespace {

/** The number at the start of `s` (after blanks), in `base`; 0 when there is none. */
std::uintptr_t number(std::string_view s, int base = 10) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    std::uintptr_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v, base);
    return v;
}

/** "Rss:   123 kB" -> 123 when `line` starts with `key`. */
bool field(std::string_view line, std::string_view key, std::size_t& out) {
    if (line.substr(0, key.size()) != key)
        return false;
    out = static_cast<std::size_t>(number(line.substr(key.size())));
    return true;
}

} // namespace

std::vector<FileMapping> clean_file_mappings(std::string_view smaps) {
    std::vector<FileMapping> out;
    FileMapping m;
    bool candidate = false;
    std::size_t rss = 0;
    auto flush = [&](std::size_t anonymous) {
        if (candidate && anonymous == 0 && rss > 0) {
            m.resident_kib = rss;
            out.push_back(m);
        }
        candidate = false;
    };
    while (!smaps.empty()) {
        const std::size_t eol = smaps.find('\n');
        const std::string_view line = smaps.substr(0, eol);
        smaps.remove_prefix(eol == std::string_view::npos ? smaps.size() : eol + 1);
        // A mapping's header: "begin-end perms offset dev inode [path]"; its fields follow as
        // "Key: value" lines, whose first word ends with ':'.
        const std::size_t dash = line.find('-');
        const std::size_t space = line.find(' ');
        if (dash != std::string_view::npos && space != std::string_view::npos && dash < space &&
            line.substr(0, space).find(':') == std::string_view::npos) {
            candidate = false;
            m = FileMapping{number(line.substr(0, dash), 16),
                            number(line.substr(dash + 1, space - dash - 1), 16), 0};
            const std::string_view perms = line.substr(space + 1, 4);
            // The path is the sixth field; a file's starts with '/' ("[heap]", "[vdso]" and
            // anonymous mappings do not).
            std::size_t at = space;
            for (int i = 0; i < 4 && at != std::string_view::npos; ++i)
                at = line.find(' ', line.find_first_not_of(' ', at));
            const std::size_t path = at == std::string_view::npos ? std::string_view::npos
                                                                  : line.find_first_not_of(' ', at);
            candidate = perms.size() == 4 && perms[1] == '-' && perms[3] == 'p' &&
                        path != std::string_view::npos && line[path] == '/';
            rss = 0;
            continue;
        }
        std::size_t value = 0;
        if (field(line, "Rss:", value))
            rss = value;
        else if (field(line, "Anonymous:", value))
            flush(value); // "Anonymous" follows "Rss" in every mapping's fields
    }
    return out;
}

std::size_t trim_memory() noexcept {
    std::size_t released = 0;
    try {
        std::ifstream in("/proc/self/smaps");
        const std::string smaps{std::istreambuf_iterator<char>(in), {}};
        for (const FileMapping& m : clean_file_mappings(smaps))
            if (::madvise(reinterpret_cast<void*>(m.begin), m.end - m.begin, MADV_DONTNEED) == 0)
                released += m.resident_kib;
    } catch (...) {
        // No smaps (not Linux, no /proc): nothing to give back.
    }
    ::malloc_trim(0);
    return released;
}

} // namespace trend::daemon
