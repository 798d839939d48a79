// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace trend::fetch {

/** The host of a URL, lower case, as libcurl's URL parser reads it; "" for file:// URLs and
 *  for anything that does not parse (per-host limits count those together). */
[[nodiscard]] std::string host_of(const std::string& url);

} // namespace trend::fetch
