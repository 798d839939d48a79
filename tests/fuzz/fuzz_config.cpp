// SPDX-License-Identifier: MIT
// config::parse on any TOML text: never throws; either a config or at least one error, each
// with a line inside the file.
#include "fuzz_support.hpp"
#include "trend/config/config.hpp"

#include <algorithm>

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view toml = fuzz::text_of(data, size);
    const config::LoadResult r = config::parse(toml, "/fuzz/trendd.toml");
    fuzz::check(r.config.has_value() != !r.errors.empty(), "a config xor errors");
    const auto lines = static_cast<int>(std::count(toml.begin(), toml.end(), '\n')) + 1;
    for (const auto& e : r.errors) {
        fuzz::check(e.line >= 0 && e.line <= lines, "an error's line is in the file", e.message);
        fuzz::check(!e.message.empty(), "an error says what");
    }
    return 0;
}
