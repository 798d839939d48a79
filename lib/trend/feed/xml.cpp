// SPDX-License-Identifier: MIT
#include "trend/feed/xml.hpp"

#include <fmt/format.h>

namespace trend::feed::detail {

std::string_view local_name(pugi::xml_node node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view namespace_uri(pugi::xml_node node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    const std::string attribute =
        colon == std::string_view::npos ? "xmlns" : fmt::format("xmlns:{}", name.substr(0, colon));
    for (pugi::xml_node n = node; n; n = n.parent())
        if (const pugi::xml_attribute a = n.attribute(attribute.c_str()))
            return a.value();
    return {};
}

std::string raw_text(pugi::xml_node node) {
    std::string out;
    for (const pugi::xml_node child : node.children())
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
            out += child.value();
    return out;
}

std::string xml_error(std::string_view body, const pugi::xml_parse_result& result) {
    const auto offset = static_cast<std::size_t>(result.offset);
    // pugixml stops at a NUL byte and blames whatever it was parsing; name the real cause.
    if (offset < body.size() && body[offset] == '\0')
        return fmt::format("not XML: NUL byte at byte {}", offset);
    return fmt::format("not XML: {} at byte {}", result.description(), offset);
}

} // namespace trend::feed::detail
