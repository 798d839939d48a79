// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/control/protocol.hpp"
#include "trend/util/json.hpp"

using namespace trend::control;

TEST_SUITE("control") {

    TEST_CASE("requests parse into commands") {
        auto r = parse_request(R"({"v":1,"cmd":"poll","feed":"us"})");
        REQUIRE(std::holds_alternative<Request>(r));
        CHECK(std::get<Request>(r).cmd == "poll");
        CHECK(std::get<Request>(r).feed == "us");
        CHECK(std::holds_alternative<Request>(parse_request(R"({"cmd":"status"})"))); // v optional
    }

    TEST_CASE("bad requests get stable error codes") {
        auto code = [](std::string_view line) {
            auto r = parse_request(line);
            REQUIRE(std::holds_alternative<ProtocolError>(r));
            return std::get<ProtocolError>(r).code;
        };
        CHECK(code("status") == "bad-request");
        CHECK(code("[1]") == "bad-request");
        CHECK(code("") == "bad-request");
        CHECK(code(R"({"v":2,"cmd":"status"})") == "unsupported-version");
        CHECK(code(R"({"v":"1","cmd":"status"})") == "unsupported-version");
        CHECK(code(R"({"cmd":"rm -rf"})") == "unknown-command");
        CHECK(code(R"({"v":1})") == "unknown-command");
        CHECK(code(std::string(k_max_request_bytes + 1, ' ')) == "too-large");
    }

    TEST_CASE("replies round-trip") {
        const std::string ok = ok_reply(R"({"polled":{"us":"ok"}})");
        CHECK(ok.back() == '\n');
        auto r = parse_reply(std::string_view(ok).substr(0, ok.size() - 1));
        REQUIRE(r);
        CHECK(r->ok);
        CHECK(r->data_json == R"({"polled":{"us":"ok"}})");

        const std::string err = error_reply("unknown-feed", "no enabled feed \"x\"\nsecond line");
        CHECK(err.find('\n') == err.size() - 1); // one line, whatever the message holds
        auto e = parse_reply(std::string_view(err).substr(0, err.size() - 1));
        REQUIRE(e);
        CHECK_FALSE(e->ok);
        CHECK(e->error == "unknown-feed");
        CHECK(e->message == "no enabled feed \"x\"\nsecond line");

        CHECK_FALSE(parse_reply("not json"));
        CHECK_FALSE(parse_reply(R"({"ok":true})")); // no data
    }

    TEST_CASE("request lines are one JSON object") {
        CHECK(request_line("status") == "{\"v\":1,\"cmd\":\"status\"}\n");
        CHECK(request_line("poll", "a\"b") == "{\"v\":1,\"cmd\":\"poll\",\"feed\":\"a\\\"b\"}\n");
        CHECK(trend::json::quote("line\nbreak") == "\"line\\nbreak\"");
    }

} // TEST_SUITE
