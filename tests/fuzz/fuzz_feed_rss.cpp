// SPDX-License-Identifier: MIT
// The rss parser (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) on any bytes: never throws; what it returns is
// clean (feed_check.hpp), ranked 1..n with traffic "#rank".
#include "feed_check.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    feed::ParseContext ctx;
    ctx.max_items = 50;
    ctx.url = "https://feeds.example.org/news/feed.xml";
    const auto result = feed::parse_rss(fuzz::text_of(data, size), ctx);
    const feed::Snapshot* s = fuzz::check_result(result, ctx);
    if (s == nullptr)
        return 0;
    int rank = 0;
    for (const feed::Item& item : s->items) {
        fuzz::check(item.rank == ++rank, "ranks are 1..n");
        fuzz::check(item.traffic.value == item.rank, "traffic is the rank");
        fuzz::check(item.traffic.label == "#" + std::to_string(item.rank), "label is #rank",
                    item.traffic.label);
    }
    return 0;
}
