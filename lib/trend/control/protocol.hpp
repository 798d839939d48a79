// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

/**
 * The control protocol (docs/control-protocol.md): over a Unix stream socket, one JSON object
 * per line each way. Request {"v":1,"cmd":"status"} (+ "feed" for poll); reply
 * {"ok":true,"data":{...}} or {"ok":false,"error":"<code>","message":"..."}.
 * Error codes are stable kebab-case strings.
 */
namespace trend::control {

inline constexpr int k_version = 1;
inline constexpr std::size_t k_max_request_bytes = 64 * 1024;

struct Request {
    std::string cmd;  ///< status | poll | reload | metrics
    std::string feed; ///< poll: one feed ("" = all)
};

struct ProtocolError {
    std::string code; ///< bad-request, unsupported-version, unknown-command
    std::string message;
};

/** Parses one request line (without the newline). Pure, never throws. */
[[nodiscard]] std::variant<Request, ProtocolError> parse_request(std::string_view line);

/** {"ok":true,"data":<data_json>} + "\n". `data_json` must be valid JSON. */
[[nodiscard]] std::string ok_reply(std::string_view data_json);

/** {"ok":false,"error":code,"message":message} + "\n". */
[[nodiscard]] std::string error_reply(std::string_view code, std::string_view message);

/** A request line for the client. */
[[nodiscard]] std::string request_line(std::string_view cmd, std::string_view feed = {});

/** A parsed reply: ok + the raw JSON of data, or the error. */
struct Reply {
    bool ok = false;
    std::string data_json; ///< when ok
    std::string error;     ///< when not ok
    std::string message;
};

/** Parses a reply line; nullopt when it is not a reply. */
[[nodiscard]] std::optional<Reply> parse_reply(std::string_view line);

} // namespace trend::control
