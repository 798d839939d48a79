// SPDX-License-Identifier: MIT
#pragma once

// What the benchmarks print about the machine they ran on.

#include "trend/util/fs.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <string>

namespace trend::bench {

/** The CPU's model name from /proc/cpuinfo, or "unknown CPU". */
inline std::string cpu_model() {
    try {
        const std::string info = util::read_file("/proc/cpuinfo");
        const auto p = info.find("model name");
        if (p != std::string::npos) {
            const auto colon = info.find(':', p);
            const auto eol = info.find('\n', p);
            if (colon != std::string::npos && colon < eol)
                return info.substr(colon + 2, eol - colon - 2);
        }
    } catch (const std::exception&) {
    }
    return "unknown CPU";
}

/** "1.0 0.8 0.5", or "unknown". */
inline std::string load_average() {
    double l[3] = {0, 0, 0};
    if (::getloadavg(l, 3) != 3)
        return "unknown";
    return fmt::format("{:.1f} {:.1f} {:.1f}", l[0], l[1], l[2]);
}

} // namespace trend::bench
