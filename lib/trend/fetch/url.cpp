// SPDX-License-Identifier: MIT
#include "trend/fetch/url.hpp"

#include "trend/util/text.hpp"

#include <curl/curl.h>

#include <memory>

namespace trend::fetch {

std::string host_of(const std::string& url) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> h{curl_url(), &curl_url_cleanup};
    char* p = nullptr;
    std::string host;
    if (h && curl_url_set(h.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
        curl_url_get(h.get(), CURLUPART_HOST, &p, 0) == CURLUE_OK && p != nullptr)
        host = text::ascii_lower(p);
    curl_free(p);
    return host;
}

} // namespace trend::fetch
