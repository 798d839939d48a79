// SPDX-License-Identifier: MIT
// The control protocol's parsers on any line: a request is a known command or an error with
// a code; every reply we write parses back.
#include "fuzz_support.hpp"
#include "trend/control/protocol.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line = fuzz::text_of(data, size);
    const auto request = control::parse_request(line);
    if (const auto* r = std::get_if<control::Request>(&request)) {
        fuzz::check(r->cmd == "status" || r->cmd == "poll" || r->cmd == "reload" ||
                        r->cmd == "metrics",
                    "only known commands are accepted", r->cmd);
        const auto again = control::parse_request(control::request_line(r->cmd, r->feed));
        fuzz::check(std::holds_alternative<control::Request>(again), "request_line parses back");
    } else {
        const auto& e = std::get<control::ProtocolError>(request);
        fuzz::check(!e.code.empty() && !e.message.empty(), "an error has a code and a message");
        const auto reply = control::parse_reply(control::error_reply(e.code, e.message));
        fuzz::check(reply && !reply->ok && reply->error == e.code, "error_reply parses back");
    }
    // RapidJSON's default number parsing may move a double by one unit in the last place, so
    // only the structure must survive the round trip (its full-precision parser is no way out:
    // in 1.1.0 it calls clz(0) on input like "0e-88", undefined behaviour).
    if (const auto reply = control::parse_reply(line); reply && reply->ok) {
        const auto again = control::parse_reply(control::ok_reply(reply->data_json));
        fuzz::check(again && again->ok, "ok_reply parses back", reply->data_json);
    }
    return 0;
}
