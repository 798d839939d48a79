// SPDX-License-Identifier: MIT
#include "trend/control/protocol.hpp"

#include "trend/util/json.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace trend::control {

namespace {

using json::put;
using json::Writer;

} // namespace

std::variant<Request, ProtocolError> parse_request(std::string_view line) {
    if (line.size() > k_max_request_bytes)
        return ProtocolError{"too-large",
                             fmt::format("a request is at most {} bytes", k_max_request_bytes)};
    rapidjson::Document d;
    d.Parse(line.data(), line.size());
    if (d.HasParseError() || !d.IsObject())
        return ProtocolError{"bad-request", "a request is one JSON object per line"};
    const auto v = d.FindMember("v");
    if (v != d.MemberEnd() && (!v->value.IsInt() || v->value.GetInt() != k_version))
        return ProtocolError{"unsupported-version",
                             fmt::format("this trendd speaks protocol version {}", k_version)};
    Request r;
    r.cmd = json::string_member(d, "cmd");
    r.feed = json::string_member(d, "feed");
    if (r.cmd != "status" && r.cmd != "poll" && r.cmd != "reload" && r.cmd != "metrics")
        return ProtocolError{"unknown-command", r.cmd.empty()
                                                    ? std::string("the request has no \"cmd\"")
                                                    : fmt::format("unknown command \"{}\" (status, "
                                                                  "poll, reload, metrics)",
                                                                  r.cmd.substr(0, 64))};
    return r;
}

std::string ok_reply(std::string_view data_json) {
    return fmt::format("{{\"ok\":true,\"data\":{}}}\n", data_json);
}

std::string error_reply(std::string_view code, std::string_view message) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    w.Key("ok");
    w.Bool(false);
    w.Key("error");
    put(w, code);
    w.Key("message");
    put(w, message);
    w.EndObject();
    return std::string(buf.GetString()) + "\n";
}

std::string request_line(std::string_view cmd, std::string_view feed) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    w.Key("v");
    w.Int(k_version);
    w.Key("cmd");
    put(w, cmd);
    if (!feed.empty()) {
        w.Key("feed");
        put(w, feed);
    }
    w.EndObject();
    return std::string(buf.GetString()) + "\n";
}

std::optional<Reply> parse_reply(std::string_view line) {
    rapidjson::Document d;
    d.Parse(line.data(), line.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("ok") || !d["ok"].IsBool())
        return std::nullopt;
    Reply r;
    r.ok = d["ok"].GetBool();
    if (r.ok) {
        const auto data = d.FindMember("data");
        if (data == d.MemberEnd())
            return std::nullopt;
        rapidjson::StringBuffer buf;
        Writer w(buf);
        data->value.Accept(w);
        r.data_json = buf.GetString();
    } else {
        r.error = json::string_member(d, "error");
        r.message = json::string_member(d, "message");
    }
    return r;
}

} // namespace trend::control
