// SPDX-License-Identifier: MIT
// Prints config::known_keys(), one "TABLE<TAB>KEY" a line (TABLE is empty for the top level),
// for tests that compare the documentation with what the parser accepts (it_man_pages.py).
#include "trend/config/config.hpp"

#include <cstdio>

int main() {
    for (const trend::config::KnownTable& t : trend::config::known_keys())
        for (std::string_view key : t.keys)
            std::printf("%.*s\t%.*s\n", static_cast<int>(t.table.size()), t.table.data(),
                        static_cast<int>(key.size()), key.data());
    return 0;
}
