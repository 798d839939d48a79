// SPDX-License-Identifier: MIT
#include "trend/draft/story.hpp"

namespace trend::draft {

std::string PageText::text() const {
    std::string out;
    for (const std::string& p : paragraphs) {
        if (!out.empty())
            out += "\n\n";
        out += p;
    }
    return out;
}

} // namespace trend::draft
