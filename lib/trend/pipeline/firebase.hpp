// SPDX-License-Identifier: MIT
#pragma once

#include "trend/feed/parser.hpp"
#include "trend/fetch/http_client.hpp"

#include <functional>
#include <string>
#include <string_view>

/**
 * Hacker News through its Firebase API: a story list (`topstories.json`, `beststories.json`,
 * `newstories.json`, ...) holds ids only, and each story is one more request
 * (`item/<id>.json`, beside the list). The Poller fetches the list, then the first `max_items`
 * stories concurrently, and parses them as one snapshot (feed::assemble_hn_firebase).
 */
namespace trend::pipeline {

/** True for a hacker-news feed whose URL is a Firebase story list: its last path segment
 *  ends with "stories.json". */
[[nodiscard]] bool is_firebase_list(std::string_view type, std::string_view url);

/** The items of a Firebase list, fetched. */
struct FirebaseItems {
    feed::ParseResult parsed;  ///< the snapshot, or why the list or its items could not be read
    std::int64_t bytes = 0;    ///< body bytes of the items
    int fetched = 0;           ///< item requests made
    bool cancelled = false;    ///< a transfer was cancelled (shutdown): record nothing
};

/**
 * Reads the ids of `list_body`, then fetches the first `max_items` items, at most
 * `concurrency` at once, each with `item_request` (its url replaced by the item's URL, resolved
 * against `list_url`), and calls `done` on the loop with the assembled snapshot. An item that
 * fails is kept in the snapshot with its reason (assemble_hn_firebase).
 */
void fetch_firebase_items(fetch::HttpClient& http, std::string_view list_body,
                          const std::string& list_url, const fetch::Request& item_request,
                          int max_items, int concurrency, const feed::ParseContext& ctx,
                          std::function<void(FirebaseItems)> done);

} // namespace trend::pipeline
