// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace trend::config {

/**
 * A secret, never from the config file: the environment variable `env_name` when it is set
 * (and named), else systemd's credential `$CREDENTIALS_DIRECTORY/<credential>`
 * (LoadCredential=). Trailing white space is trimmed. "" when neither is there.
 */
[[nodiscard]] std::string read_secret(std::string_view env_name, std::string_view credential);

} // namespace trend::config
