// SPDX-License-Identifier: MIT
#include "trend/config/secrets.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace trend::config {

std::string read_secret(std::string_view env_name, std::string_view credential) {
    std::string value;
    if (!env_name.empty())
        if (const char* v = std::getenv(std::string(env_name).c_str()))
            value = v;
    if (value.empty())
        if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
            dir != nullptr && *dir != '\0') {
            std::ifstream in(std::filesystem::path(dir) / std::string(credential),
                             std::ios::binary);
            std::ostringstream ss;
            ss << in.rdbuf();
            value = ss.str();
        }
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
        value.pop_back();
    return value;
}

} // namespace trend::config
