// SPDX-License-Identifier: MIT
// The mastodon-trends parser on any bytes: never throws; snapshots are clean (feed_check.hpp),
// ranked 1..n, with at most 31 days of history, newest first, and traffic the newest day's.
#include "feed_check.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    feed::ParseContext ctx;
    ctx.max_items = 50;
    const feed::ParseResult result = feed::parse_mastodon_trends(fuzz::text_of(data, size), ctx);
    const feed::Snapshot* s = fuzz::check_result(result, ctx);
    if (s == nullptr)
        return 0;
    int rank = 0;
    for (const feed::Item& item : s->items) {
        fuzz::check(item.rank == ++rank, "ranks are 1..n");
        fuzz::check(item.history.size() <= 31, "history within its cap");
        for (std::size_t i = 1; i < item.history.size(); ++i)
            fuzz::check(item.history[i - 1].day >= item.history[i].day, "newest day first");
        if (!item.history.empty())
            fuzz::check(item.traffic.value == item.history.front().uses,
                        "traffic is the newest day's");
    }
    return 0;
}
