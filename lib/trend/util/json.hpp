// SPDX-License-Identifier: MIT
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

/** The few RapidJSON conveniences every JSON producer and consumer of trendd shares. */
namespace trend::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

/** Writes a string of any length (RapidJSON's String() wants a pointer and a size). */
inline void put(Writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

/** Writes an object key of any length. */
inline void put_key(Writer& w, std::string_view s) {
    w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

/** What `fill(Writer&)` writes, as JSON text. */
template <typename Fill>
std::string write(Fill&& fill) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    fill(w);
    return buf.GetString();
}

/** An object whose members `fill(Writer&)` writes, as JSON text. */
template <typename Fill>
std::string object(Fill&& fill) {
    return write([&](Writer& w) {
        w.StartObject();
        fill(w);
        w.EndObject();
    });
}

/** `s` as a JSON string literal, quotes included. */
inline std::string quote(std::string_view s) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    put(w, s);
    return buf.GetString();
}

/** The string member `key` of an object, or "" when absent or not a string. */
inline std::string string_member(const rapidjson::Value& object, const char* key) {
    if (!object.IsObject())
        return {};
    const auto it = object.FindMember(key);
    return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string{};
}

} // namespace trend::json
