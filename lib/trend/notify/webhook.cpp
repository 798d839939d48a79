// SPDX-License-Identifier: MIT
#include "trend/notify/webhook.hpp"

#include "trend/util/json.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace trend::notify {

namespace {

/** Slack reads &, < and > in `text` as markup (<!channel> pings everyone): escape them. */
std::string slack_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

using json::put;

} // namespace

std::string payload_json(const DraftEvent& e) {
    rapidjson::StringBuffer buf;
    json::Writer w(buf);
    w.StartObject();
    w.Key("event");
    put(w, "draft");
    w.Key("text");
    put(w, fmt::format("New {} explainer for “{}”: {}{}",
                       e.status == "needs_review" ? "draft (needs review)" : "draft",
                       slack_escape(e.term), slack_escape(e.title),
                       e.unverified > 0 ? fmt::format(" ({} unverified claims)", e.unverified)
                                        : std::string()));
    w.Key("draft_id");
    w.Int64(e.draft_id);
    w.Key("spike_id");
    w.Int64(e.spike_id);
    w.Key("term");
    put(w, e.term);
    w.Key("title");
    put(w, e.title);
    w.Key("slug");
    put(w, e.slug);
    w.Key("status");
    put(w, e.status);
    w.Key("path");
    put(w, e.path);
    w.Key("unverified");
    w.Int(e.unverified);
    w.EndObject();
    return buf.GetString();
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i)
        hex += fmt::format("{:02x}", mac[i]);
    return hex;
}

} // namespace trend::notify
