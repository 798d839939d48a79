// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

/** Giving back memory the idle daemon does not use (issue #13: <= 16 MiB with 100 feeds).
 *
 * About half of trendd's resident set after its start is pages of its own binary and of the
 * shared libraries that only the start touched: the dynamic linker's relocation of libcurl's
 * dozen dependencies, OpenSSL's and gnutls's initialisation, ICU's tables, the config parser,
 * the schema migrations; the kernel maps file pages 64 KB at a time around each fault, so a
 * few scattered calls keep whole libraries resident. These pages are clean copies of files in
 * the page cache: dropping our mappings of them loses nothing, and a page used again is mapped
 * again by a minor fault. */
namespace trend::daemon {

/** A mapping of /proc/self/smaps whose resident pages may be dropped. */
struct FileMapping {
    std::uintptr_t begin = 0;
    std::uintptr_t end = 0;
    std::size_t resident_kib = 0;
};

/** The mappings of an smaps text that are private, not writable, backed by a file and hold no
 *  page of their own (no "Anonymous" page: none was ever written, as relocated read-only data
 *  was), with pages resident: the ones whose pages are the file's and can be read again. */
[[nodiscard]] std::vector<FileMapping> clean_file_mappings(std::string_view smaps);

/** Drops the resident pages of the process's clean_file_mappings() (madvise MADV_DONTNEED) and
 *  gives free heap pages back to the kernel (malloc_trim). Returns the KiB of file pages
 *  dropped. Linux only; never throws (a failure leaves the pages where they were). */
std::size_t trim_memory() noexcept;

} // namespace trend::daemon
