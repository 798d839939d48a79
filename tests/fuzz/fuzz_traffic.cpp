// SPDX-License-Identifier: MIT
// feed::parse_traffic on any label: never negative, and the canonical spelling of a value
// reads back as that value.
#include "fuzz_support.hpp"
#include "trend/feed/traffic.hpp"

#include <fmt/format.h>

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto value = feed::parse_traffic(fuzz::text_of(data, size));
    if (value) {
        fuzz::check(*value >= 0, "traffic is never negative", fuzz::text_of(data, size));
        const std::string canonical = fmt::format("{}+", *value);
        fuzz::check(feed::parse_traffic(canonical) == value, "\"N+\" reads back as N", canonical);
    }
    return 0;
}
