// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/notify/webhook.hpp"

#include <rapidjson/document.h>

using namespace trend;

TEST_SUITE("notify") {

    TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
        CHECK(notify::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    TEST_CASE("the payload is Slack-compatible JSON with every field") {
        notify::DraftEvent e{7,
                             17,
                             "openai \"quoted\"",
                             "Why “openai” is trending",
                             "openai",
                             "needs_review",
                             "/var/lib/trendd/drafts/2025-11-03-openai.md",
                             2};
        const std::string json = notify::payload_json(e);
        rapidjson::Document d;
        d.Parse(json.c_str());
        REQUIRE_FALSE(d.HasParseError());
        CHECK(std::string(d["event"].GetString()) == "draft");
        CHECK(
            std::string(d["text"].GetString()) ==
            "New draft (needs review) explainer for “openai \"quoted\"”: Why “openai” is trending "
            "(2 unverified claims)");
        CHECK(d["draft_id"].GetInt64() == 7);
        CHECK(d["spike_id"].GetInt64() == 17);
        CHECK(d["unverified"].GetInt() == 2);
        CHECK(std::string(d["path"].GetString()) == "/var/lib/trendd/drafts/2025-11-03-openai.md");
    }

    TEST_CASE("the Slack text cannot ping a channel") {
        notify::DraftEvent e{1, 1, "renee <!channel> good & co", "T <b>", "s", "draft", "p", 0};
        rapidjson::Document d;
        d.Parse(notify::payload_json(e).c_str());
        CHECK(std::string(d["text"].GetString()) ==
              "New draft explainer for “renee &lt;!channel&gt; good &amp; co”: T &lt;b&gt;");
        CHECK(std::string(d["term"].GetString()) == "renee <!channel> good & co");
    }

} // TEST_SUITE
