// SPDX-License-Identifier: MIT
#include "trend/util/url.hpp"

#include <curl/curl.h>

#include <memory>

namespace trend::util {

namespace {

struct UrlDeleter {
    void operator()(CURLU* h) const { curl_url_cleanup(h); }
};
using Handle = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlString {
    char* p = nullptr;
    CurlString() = default;
    CurlString(const CurlString&) = delete;
    CurlString& operator=(const CurlString&) = delete;
    ~CurlString() { curl_free(p); }
};

std::string_view trim(std::string_view s) {
    constexpr std::string_view k_space = " \t\r\n\f\v";
    const std::size_t start = s.find_first_not_of(k_space);
    if (start == std::string_view::npos)
        return {};
    return s.substr(start, s.find_last_not_of(k_space) - start + 1);
}

std::optional<std::string> get(CURLU* h, CURLUPart part) {
    CurlString out;
    if (curl_url_get(h, part, &out.p, 0) != CURLUE_OK || out.p == nullptr)
        return std::nullopt;
    return std::string{out.p};
}

std::optional<std::string> web_only(CURLU* h) {
    const auto scheme = get(h, CURLUPART_SCHEME);
    const auto host = get(h, CURLUPART_HOST);
    if (!scheme || (*scheme != "http" && *scheme != "https") || !host || host->empty())
        return std::nullopt;
    auto out = get(h, CURLUPART_URL);
    if (!out || out->size() > k_max_url_bytes)
        return std::nullopt;
    return out;
}

std::string lower_host(CURLU* h) {
    std::string host = get(h, CURLUPART_HOST).value_or("");
    for (char& c : host)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return host;
}

Handle parsed(std::string_view base, std::string_view ref) {
    Handle h{curl_url()};
    ref = trim(ref);
    base = trim(base);
    // An empty reference would resolve to the base itself: it names no other URL. A NUL would
    // end the C string early and leave a different URL.
    if (!h || ref.empty() || ref.size() > k_max_url_bytes || base.size() > k_max_url_bytes ||
        ref.find('\0') != std::string_view::npos || base.find('\0') != std::string_view::npos)
        return nullptr;
    if (!base.empty() &&
        curl_url_set(h.get(), CURLUPART_URL, std::string{base}.c_str(), 0) != CURLUE_OK)
        return nullptr;
    if (curl_url_set(h.get(), CURLUPART_URL, std::string{ref}.c_str(), CURLU_URLENCODE) !=
        CURLUE_OK)
        return nullptr;
    return h;
}

} // namespace

std::optional<std::string> resolve_url(std::string_view base, std::string_view ref) {
    const Handle h = parsed(base, ref);
    if (!h)
        return std::nullopt;
    auto out = get(h.get(), CURLUPART_URL);
    if (!out || out->size() > k_max_url_bytes)
        return std::nullopt;
    return out;
}

std::optional<std::string> resolve_http_url(std::string_view base, std::string_view ref) {
    const Handle h = parsed(base, ref);
    return h ? web_only(h.get()) : std::nullopt;
}

std::string url_host(std::string_view url) {
    const Handle h = parsed({}, url);
    return h ? lower_host(h.get()) : std::string();
}

std::optional<WebUrl> web_url(std::string_view url) {
    const Handle h = parsed({}, url);
    if (!h || !web_only(h.get()))
        return std::nullopt;
    WebUrl out;
    out.host = lower_host(h.get());
    const auto port = get(h.get(), CURLUPART_PORT);
    out.origin = get(h.get(), CURLUPART_SCHEME).value_or("") + "://" + out.host +
                 (port ? ":" + *port : std::string());
    out.path_and_query = get(h.get(), CURLUPART_PATH).value_or("/");
    if (out.path_and_query.empty())
        out.path_and_query = "/";
    if (const auto query = get(h.get(), CURLUPART_QUERY))
        out.path_and_query += "?" + *query;
    return out;
}

} // namespace trend::util
