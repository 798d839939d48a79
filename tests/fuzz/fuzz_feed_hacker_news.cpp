// SPDX-License-Identifier: MIT
// The hacker-news parser and the Firebase helpers on any bytes: never throw; snapshots are clean
// (feed_check.hpp), labels spell their points, id lists are positive, distinct and capped.
#include "feed_check.hpp"

#include <vector>

using namespace trend;

namespace {

void check_points(const feed::Snapshot& s) {
    for (const feed::Item& item : s.items)
        fuzz::check(item.traffic.value ? item.traffic.label == std::to_string(*item.traffic.value)
                                       : item.traffic.label.empty(),
                    "the label is the points", item.traffic.label);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::text_of(data, size);
    feed::ParseContext ctx;
    ctx.max_items = 50;
    const feed::ParseResult parsed = feed::parse_hacker_news(in, ctx);
    if (const auto* s = fuzz::check_result(parsed, ctx))
        check_points(*s);

    const auto ids = feed::parse_hn_firebase_ids(in, 20);
    if (const auto* list = std::get_if<std::vector<std::int64_t>>(&ids)) {
        fuzz::check(list->size() <= 20, "ids within the limit");
        std::set<std::int64_t> seen;
        for (const std::int64_t id : *list)
            fuzz::check(id > 0 && seen.insert(id).second, "ids are positive and distinct");
    }

    const auto one = feed::parse_hn_firebase_item(in);
    if (const auto* item = std::get_if<std::optional<feed::Item>>(&one); item && *item) {
        fuzz::check(fuzz::is_valid_utf8((*item)->term), "item term is UTF-8", (*item)->term);
        fuzz::check_url((*item)->url);
    }

    // The input cut in three, as three fetched item bodies.
    const std::vector<feed::HnFetchedItem> fetched{
        {1, in.substr(0, size / 3), ""},
        {2, in.substr(size / 3, size / 3), ""},
        {3, in.substr(2 * (size / 3)), size % 2 == 0 ? "" : "timeout"},
    };
    const feed::ParseResult assembled = feed::assemble_hn_firebase(fetched, ctx);
    if (const auto* s = fuzz::check_result(assembled, ctx)) {
        fuzz::check(s->items.size() == 3, "one item per fetch");
        for (std::size_t i = 0; i < s->items.size(); ++i)
            fuzz::check(s->items[i].rank == static_cast<int>(i + 1), "ranks follow the list");
        check_points(*s);
    }
    return 0;
}
