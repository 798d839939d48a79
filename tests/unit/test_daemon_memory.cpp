// SPDX-License-Identifier: MIT
// Giving back the pages only the start used.
#include "support.hpp"
#include "trend/daemon/memory.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace trend;

namespace {

/** The resident KiB of the mapping that starts at `p`, from /proc/self/smaps. */
std::size_t resident_kib(const void* p) {
    char head[32];
    std::snprintf(head, sizeof head, "%lx-", reinterpret_cast<unsigned long>(p));
    std::ifstream in("/proc/self/smaps");
    bool in_mapping = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(head, 0) == 0)
            in_mapping = true;
        else if (in_mapping && line.rfind("Rss:", 0) == 0)
            return std::stoul(line.substr(4));
    }
    return 0;
}

} // namespace

TEST_SUITE("daemon") {

    TEST_CASE("only read-only private file mappings never written are clean") {
        const std::string smaps =
            "55d0a0000000-55d0a0200000 r-xp 0001c000 fe:00 5587339      /usr/sbin/trendd\n"
            "Size:               2048 kB\n"
            "Rss:                1704 kB\n"
            "Anonymous:             0 kB\n"
            "VmFlags: rd ex mr mw me sd\n"
            // relocated read-only data (RELRO): its pages were written, they are our own
            "55d0a0200000-55d0a0210000 r--p 0021c000 fe:00 5587339      /usr/sbin/trendd\n"
            "Rss:                  64 kB\n"
            "Anonymous:            64 kB\n"
            "55d0a0210000-55d0a0220000 rw-p 0022c000 fe:00 5587339      /usr/sbin/trendd\n"
            "Rss:                  16 kB\n"
            "Anonymous:             0 kB\n"
            "55d0a1000000-55d0a1400000 rw-p 00000000 00:00 0            [heap]\n"
            "Rss:                2276 kB\n"
            "Anonymous:          2276 kB\n"
            "7f0000000000-7f0000100000 r--p 00000000 00:00 0 \n"
            "Rss:                   4 kB\n"
            "Anonymous:             0 kB\n"
            "7f0000100000-7f0000200000 r--s 00000000 fe:00 42           /var/lib/x.db-shm\n"
            "Rss:                  32 kB\n"
            "Anonymous:             0 kB\n"
            "7f0000200000-7f0000300000 r--p 00000000 fe:00 43           /usr/lib/libicuuc.so.72\n"
            "Rss:                 420 kB\n"
            "Anonymous:             0 kB\n"
            "7f0000300000-7f0000400000 r--p 00000000 fe:00 44           /usr/lib/libz.so.1\n"
            "Rss:                   0 kB\n"
            "Anonymous:             0 kB\n"
            "7ffc00000000-7ffc00002000 r-xp 00000000 00:00 0            [vdso]\n"
            "Rss:                   8 kB\n"
            "Anonymous:             0 kB\n";
        const auto m = daemon::clean_file_mappings(smaps);
        REQUIRE(m.size() == 2);
        CHECK(m[0].begin == 0x55d0a0000000);
        CHECK(m[0].end == 0x55d0a0200000);
        CHECK(m[0].resident_kib == 1704);
        CHECK(m[1].begin == 0x7f0000200000);
        CHECK(m[1].resident_kib == 420);
        CHECK(daemon::clean_file_mappings("").empty());
        CHECK(daemon::clean_file_mappings("garbage\nRss: 12 kB\nAnonymous: 0 kB\n").empty());
    }

    TEST_CASE("trimming drops a file's clean pages and keeps what the process wrote") {
        test::TempDir dir;
        const std::string path = dir / "pages.bin";
        constexpr std::size_t k_size = 1 << 20;
        {
            std::ofstream out(path, std::ios::binary);
            for (std::size_t i = 0; i < k_size; ++i)
                out.put(static_cast<char>(i % 251));
        }
        const int fd = ::open(path.c_str(), O_RDONLY);
        REQUIRE(fd >= 0);
        auto* clean =
            static_cast<const char*>(::mmap(nullptr, k_size, PROT_READ, MAP_PRIVATE, fd, 0));
        auto* written =
            static_cast<char*>(::mmap(nullptr, k_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
        ::close(fd);
        REQUIRE(clean != MAP_FAILED);
        REQUIRE(written != MAP_FAILED);
        long sum = 0;
        for (std::size_t i = 0; i < k_size; i += 4096)
            sum += static_cast<unsigned char>(clean[i]);
        std::memset(written, 'x', k_size);
        REQUIRE(resident_kib(clean) == k_size / 1024);
        CHECK(sum > 0);

        CHECK(daemon::trim_memory() >= k_size / 1024);
        CHECK(resident_kib(clean) == 0);
        // Read again, the pages are the file's; the written copy is untouched.
        for (std::size_t i = 0; i < k_size; i += 4093)
            REQUIRE(clean[i] == static_cast<char>(i % 251));
        CHECK(written[0] == 'x');
        CHECK(written[k_size - 1] == 'x');
        CHECK(resident_kib(written) == k_size / 1024);
        ::munmap(const_cast<char*>(clean), k_size);
        ::munmap(written, k_size);
    }
}
