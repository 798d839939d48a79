// SPDX-License-Identifier: MIT
#include "trend/util/url.hpp"

#include "trend/util/text.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>

namespace trend::util {

namespace {

using CurlUrlPtr = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

std::string part(CURLU* h, CURLUPart which) {
    char* p = nullptr;
    std::string out;
    if (curl_url_get(h, which, &p, 0) == CURLUE_OK && p != nullptr)
        out = p;
    curl_free(p);
    return out;
}

bool has_control_or_space(std::string_view s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F)
            return true;
    return false;
}

/** The scheme a reference names ("mailto" of "mailto:x"), lower case, or "" when relative. */
std::string scheme_of(std::string_view ref) {
    std::size_t i = 0;
    while (i < ref.size() && (std::isalnum(static_cast<unsigned char>(ref[i])) != 0 ||
                              (i > 0 && (ref[i] == '+' || ref[i] == '-' || ref[i] == '.'))))
        ++i;
    if (i == 0 || i >= ref.size() || ref[i] != ':' ||
        std::isalpha(static_cast<unsigned char>(ref[0])) == 0)
        return {};
    return text::ascii_lower(ref.substr(0, i));
}

} // namespace

std::optional<std::string> resolve_http_url(std::string_view base, std::string_view reference) {
    if (reference.empty() || has_control_or_space(reference) || base.size() > 8192 ||
        reference.size() > 8192)
        return std::nullopt;
    if (const std::string scheme = scheme_of(reference);
        !scheme.empty() && scheme != "http" && scheme != "https")
        return std::nullopt; // mailto:, javascript:, data: ...
    CurlUrlPtr h{curl_url(), &curl_url_cleanup};
    if (!h)
        return std::nullopt;
    if (!base.empty() &&
        curl_url_set(h.get(), CURLUPART_URL, std::string(base).c_str(), 0) != CURLUE_OK)
        return std::nullopt;
    // With a base set, CURLUPART_URL resolves a relative reference against it.
    if (curl_url_set(h.get(), CURLUPART_URL, std::string(reference).c_str(), 0) != CURLUE_OK)
        return std::nullopt;
    const std::string scheme = text::ascii_lower(part(h.get(), CURLUPART_SCHEME));
    if (scheme != "http" && scheme != "https")
        return std::nullopt;
    std::string url = part(h.get(), CURLUPART_URL);
    if (url.empty())
        return std::nullopt;
    return url;
}

std::string url_host(std::string_view url) {
    CurlUrlPtr h{curl_url(), &curl_url_cleanup};
    if (!h || curl_url_set(h.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK)
        return {};
    return text::ascii_lower(part(h.get(), CURLUPART_HOST));
}

} // namespace trend::util
