// SPDX-License-Identifier: MIT
// The time parsers (ISO 8601, RFC 822, durations) on any text: a parsed time formats and parses
// back to itself, and so does a parsed duration.
#include "fuzz_support.hpp"
#include "trend/util/time.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::text_of(data, size);
    for (const auto& t : {parse_iso(in), parse_rfc822(in)}) {
        if (!t)
            continue;
        const std::string iso = format_iso(*t);
        fuzz::check(parse_iso(iso) == t, "format_iso reads back", iso);
        (void)format_hhmm(*t);
    }
    if (const auto d = parse_duration(in); d && d->count() >= 0) {
        const std::string spelled = format_duration(*d);
        fuzz::check(parse_duration(spelled) == d, "format_duration reads back", spelled);
    }
    return 0;
}
