// SPDX-License-Identifier: MIT
// trendctl: how a person talks to trendd. Everything lives in lib/ (trend::cli::trendctl_main).
#include "trend/cli/trendctl.hpp"

#include <malloc.h>

int main(int argc, char** argv) {
    // glibc gives memory back to the kernel as soon as 128 KB lie free at the top of the heap;
    // SQLite and the parsers free that much after every poll, and growing the heap again cost
    // more CPU than the poll (a TLB flush each time). Keep up to 2 MB.
    mallopt(M_TRIM_THRESHOLD, 2 << 20);
    return trend::cli::trendctl_main(argc, argv);
}
