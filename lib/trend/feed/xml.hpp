// SPDX-License-Identifier: MIT
#pragma once

// pugixml helpers shared by the XML parsers of feed/. Internal to feed/.

#include <pugixml.hpp>

#include <string>
#include <string_view>

namespace trend::feed::detail {

/** The element's name without its prefix: "ht:picture" -> "picture". */
[[nodiscard]] std::string_view local_name(pugi::xml_node node);

/** The namespace URI the element's prefix (or the default namespace) is bound to, looked up
 *  through its ancestors; "" when it is not declared. */
[[nodiscard]] std::string_view namespace_uri(pugi::xml_node node);

/** The text and CDATA children of an element, concatenated, as the document has them. */
[[nodiscard]] std::string raw_text(pugi::xml_node node);

/** "not XML: <pugixml's description> at byte N", naming a NUL byte as the cause when it is. */
[[nodiscard]] std::string xml_error(std::string_view body, const pugi::xml_parse_result& result);

} // namespace trend::feed::detail
