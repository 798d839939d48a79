// SPDX-License-Identifier: MIT
// The wikipedia-top parser on any bytes: never throws; snapshots are clean (feed_check.hpp);
// article links stay on the project's own host.
#include "feed_check.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    feed::ParseContext ctx;
    ctx.max_items = 50;
    const feed::ParseResult result = feed::parse_wikipedia_top(fuzz::text_of(data, size), ctx);
    const feed::Snapshot* s = fuzz::check_result(result, ctx);
    if (s == nullptr)
        return 0;
    for (const feed::Item& item : s->items) {
        if (item.url.empty())
            continue;
        const std::size_t path = item.url.find("/wiki/");
        fuzz::check(item.url.starts_with("https://") && path != std::string::npos &&
                        item.url.substr(8, path - 8).ends_with(".org") &&
                        item.url.substr(8, path - 8).find_first_of("/?#@:") == std::string::npos,
                    "links go to https://<project>.org/wiki/", item.url);
    }
    return 0;
}
