// SPDX-License-Identifier: MIT
#pragma once

#include "trend/draft/story.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace trend::test {

/** A news item of a story as the feeds carried it (no page read). */
inline draft::StoryArticle news_article(std::string title, std::string url, std::string source,
                                        std::string picture, std::string snippet, Timestamp seen) {
    draft::StoryArticle a;
    a.title = std::move(title);
    a.url = std::move(url);
    a.source = std::move(source);
    a.picture = std::move(picture);
    a.snippet = std::move(snippet);
    a.first_seen_at = seen;
    return a;
}

/** The repository's root, for bundled data (examples/, tests/data/). */
inline std::filesystem::path source_dir() {
    return TRENDD_SOURCE_DIR;
}

/** Reads a file under the repository root, as bytes. Fails the test when it is missing. */
inline std::string read_source_file(const std::string& relative) {
    std::ifstream in(source_dir() / relative, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing test data: " << relative);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/** A fresh directory, removed with its contents when the test case ends. */
class TempDir {
    std::filesystem::path m_path;

public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "trendd-test-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        m_path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
        return m_path / name;
    }
};

/** Writes `content` to `path` (creating or truncating it). */
inline void write_file(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    REQUIRE(out.good());
}

} // namespace trend::test
