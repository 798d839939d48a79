// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/cli/render.hpp"

#include <cstdio>

using namespace trend;

namespace {

std::string table_of(const store::Rows& rows) {
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    cli::print_table(f, rows);
    std::rewind(f);
    std::string out;
    char buf[4096];
    while (const std::size_t n = std::fread(buf, 1, sizeof buf, f))
        out.append(buf, n);
    std::fclose(f);
    return out;
}

} // namespace

TEST_SUITE("cli") {

    TEST_CASE("tables neutralise bidi, zero-width and control characters") {
        store::Rows rows;
        rows.columns = {"term", "n"};
        rows.rows = {{std::string("evil\u202Etxt.exe"), std::int64_t{1}},
                     {std::string("\x1B]0;pwned\x07 zero\u200Bwidth"), std::int64_t{2}},
                     {std::string("台風 🔥"), std::int64_t{3}}};
        const std::string out = table_of(rows);
        // Aligned on display columns: the escapes count as what they print, CJK and emoji as 2.
        CHECK(out == "term" + std::string(22, ' ') + "n\n" + "evil\\u202Etxt.exe" +
                         std::string(9, ' ') + "1\n" + "]0;pwned zero\\u200Bwidth  2\n" + "台風 🔥" +
                         std::string(19, ' ') + "3\n");
        CHECK(out.find('\x1B') == std::string::npos);
        CHECK(out.find("\u202E") == std::string::npos);
    }

    TEST_CASE("cell_text keeps one line") {
        CHECK(cli::cell_text(std::string("a\nb\tc")) == "a b c");
        CHECK(cli::cell_text(nullptr) == "-");
        CHECK(cli::cell_text(std::int64_t{42}) == "42");
    }
}
