// SPDX-License-Identifier: MIT
#include "trend/pipeline/firebase.hpp"

#include "trend/fetch/outcome.hpp"
#include "trend/util/url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace trend::pipeline {

namespace {

/** The fan-out of one list: shared by its transfers' handlers, alive until the last one. */
struct Fanout : std::enable_shared_from_this<Fanout> {
    fetch::HttpClient& http;
    fetch::Request item_request;
    std::string list_url;
    feed::ParseContext ctx;
    std::function<void(FirebaseItems)> done;
    std::vector<std::int64_t> ids;
    std::vector<std::string> bodies;
    std::vector<std::string> errors;
    std::size_t next = 0;
    std::size_t finished = 0;
    FirebaseItems result;

    Fanout(fetch::HttpClient& h, fetch::Request r, std::string url, feed::ParseContext c,
           std::function<void(FirebaseItems)> d)
        : http(h), item_request(std::move(r)), list_url(std::move(url)), ctx(std::move(c)),
          done(std::move(d)) {}

    void launch() {
        const std::size_t i = next++;
        fetch::Request req = item_request;
        req.url = util::resolve_url(list_url, fmt::format("item/{}.json", ids[i]))
                      .value_or(feed::hn_firebase_item_url(ids[i]));
        auto self = shared_from_this();
        http.start(std::move(req),
                   [self, i](fetch::Response r) { self->on_item(i, std::move(r)); });
        ++result.fetched;
    }

    void on_item(std::size_t i, fetch::Response r) {
        if (r.transport == fetch::Transport::cancelled)
            result.cancelled = true;
        else if (auto failure = fetch::failure_of(r))
            errors[i] = failure->error;
        else
            bodies[i] = std::move(r.body);
        result.bytes += r.bytes;
        ++finished;
        if (next < ids.size() && !result.cancelled)
            launch();
        else if (finished == next)
            finish();
    }

    void finish() {
        if (!result.cancelled) {
            std::vector<feed::HnFetchedItem> items;
            for (std::size_t i = 0; i < ids.size(); ++i)
                items.push_back({ids[i], bodies[i], errors[i]});
            result.parsed = feed::assemble_hn_firebase(items, ctx);
        }
        done(std::move(result));
    }
};

} // namespace

bool is_firebase_list(std::string_view type, std::string_view url) {
    if (type != "hacker-news")
        return false;
    url = url.substr(0, url.find_first_of("?#"));
    return url.substr(url.rfind('/') + 1).ends_with("stories.json");
}

void fetch_firebase_items(fetch::HttpClient& http, std::string_view list_body,
                          const std::string& list_url, const fetch::Request& item_request,
                          int max_items, int concurrency, const feed::ParseContext& ctx,
                          std::function<void(FirebaseItems)> done) {
    auto ids = feed::parse_hn_firebase_ids(list_body, static_cast<std::size_t>(max_items));
    if (auto* error = std::get_if<feed::ParseError>(&ids)) {
        FirebaseItems out;
        out.parsed = std::move(*error);
        done(std::move(out));
        return;
    }
    auto f = std::make_shared<Fanout>(http, item_request, list_url, ctx, std::move(done));
    f->ids = std::move(std::get<std::vector<std::int64_t>>(ids));
    f->bodies.resize(f->ids.size());
    f->errors.resize(f->ids.size());
    if (f->ids.empty()) {
        f->finish();
        return;
    }
    const std::size_t start = std::min<std::size_t>(f->ids.size(),
                                                    static_cast<std::size_t>(std::max(1, concurrency)));
    for (std::size_t i = 0; i < start; ++i)
        f->launch();
}

} // namespace trend::pipeline
