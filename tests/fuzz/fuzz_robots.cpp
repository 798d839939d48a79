// SPDX-License-Identifier: MIT
// libFuzzer target: fetch::parse_robots and fetch::allowed. The input is a robots.txt; the
// matcher is asked about a few fixed paths and about a path made of the input's tail.
#include "trend/fetch/robots.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    const trend::fetch::Robots r = trend::fetch::parse_robots(body);
    for (const char* path : {"/", "/a/b.html?x=1", "/%E3%83%84", "", "/robots.txt"})
        (void)trend::fetch::allowed(r, "trendd", path);
    const std::string tail = body.substr(body.size() / 2);
    (void)trend::fetch::allowed(r, "trendd/1.0", "/" + tail);
    if (!trend::fetch::allowed(r, "trendd", "/robots.txt") && !r.disallow_all)
        std::abort(); // /robots.txt is always allowed
    return 0;
}
