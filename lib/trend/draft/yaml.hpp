// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

/** The little YAML trendd writes: front matter with every string double-quoted. */
namespace trend::draft::yaml {

/**
 * A YAML double-quoted scalar that any YAML 1.1/1.2 parser (PyYAML, yq, Hugo, Jekyll) reads back
 * as exactly `s`: escapes '"', '\\', C0/C1 controls, DEL, U+2028/U+2029, U+FEFF and
 * non-characters as \uXXXX (or \n \t ...); keeps other UTF-8 as is. Invalid UTF-8 is repaired
 * first. Pure, never throws.
 */
[[nodiscard]] std::string quote(std::string_view s);

} // namespace trend::draft::yaml
