// SPDX-License-Identifier: MIT
#include "trend/cli/render.hpp"

#include "trend/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace trend::cli {

namespace {

void write_row(json::Writer& w, const store::Rows& rows, const std::vector<store::Value>& row) {
    w.StartObject();
    for (std::size_t c = 0; c < rows.columns.size(); ++c) {
        json::put_key(w, rows.columns[c]);
        store::write_json(w, row[c]);
    }
    w.EndObject();
}

} // namespace

std::string cell_text(const store::Value& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>)
                return "-";
            else if constexpr (std::is_same_v<T, std::int64_t>)
                return std::to_string(x);
            else if constexpr (std::is_same_v<T, double>)
                return fmt::format("{:.6g}", x);
            else // whatever the database holds came from outside: neutralised for the terminal
                return text::terminal_safe(text::collapse_whitespace(text::repair_utf8(x)));
        },
        v);
}

void print_table(std::FILE* out, const store::Rows& rows, const std::vector<std::string>& columns) {
    std::vector<std::size_t> idx;
    for (const std::string& name : columns) {
        auto it = std::find(rows.columns.begin(), rows.columns.end(), name);
        if (it != rows.columns.end())
            idx.push_back(static_cast<std::size_t>(it - rows.columns.begin()));
    }
    if (columns.empty())
        for (std::size_t i = 0; i < rows.columns.size(); ++i)
            idx.push_back(i);

    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> width(idx.size());
    std::vector<std::string> header;
    for (std::size_t c = 0; c < idx.size(); ++c) {
        header.push_back(text::ascii_lower(rows.columns[idx[c]]));
        width[c] = header.back().size();
    }
    for (const auto& row : rows.rows) {
        std::vector<std::string> line;
        for (std::size_t c = 0; c < idx.size(); ++c) {
            std::string t = cell_text(row[idx[c]]);
            if (text::display_width(t) > 60)
                t = std::string(text::utf8_prefix(t, 57)) + "...";
            width[c] = std::max(width[c], text::display_width(t));
            line.push_back(std::move(t));
        }
        cells.push_back(std::move(line));
    }
    auto print_line = [&](const std::vector<std::string>& line) {
        std::string s;
        for (std::size_t c = 0; c < line.size(); ++c) {
            s += line[c];
            if (c + 1 < line.size())
                s += std::string(width[c] - text::display_width(line[c]) + 2, ' ');
        }
        std::fprintf(out, "%s\n", s.c_str());
    };
    print_line(header);
    for (const auto& line : cells)
        print_line(line);
}

void write_rows(json::Writer& w, const store::Rows& rows) {
    w.StartArray();
    for (const auto& row : rows.rows)
        write_row(w, rows, row);
    w.EndArray();
}

namespace {

std::string csv_field(const store::Value& v) {
    if (std::holds_alternative<std::nullptr_t>(v))
        return {};
    if (!std::holds_alternative<std::string>(v))
        return cell_text(v);
    std::string text = std::get<std::string>(v);
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
        text.insert(text.begin(), '\'');
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

} // namespace

void write_csv(std::FILE* out, const store::Rows& rows) {
    std::string line;
    for (std::size_t c = 0; c < rows.columns.size(); ++c)
        line += (c > 0 ? "," : "") + csv_field(rows.columns[c]);
    std::fprintf(out, "%s\r\n", line.c_str());
    for (const auto& row : rows.rows) {
        line.clear();
        for (std::size_t c = 0; c < row.size(); ++c)
            line += (c > 0 ? "," : "") + csv_field(row[c]);
        std::fprintf(out, "%s\r\n", line.c_str());
    }
}

std::string rows_json(const store::Rows& rows) {
    return json::write([&](json::Writer& w) { write_rows(w, rows); });
}

std::string row_json(const store::Rows& rows) {
    if (rows.rows.empty())
        return "null";
    return json::write([&](json::Writer& w) { write_row(w, rows, rows.rows.front()); });
}

std::string sparkline(const std::vector<std::optional<std::int64_t>>& values) {
    static constexpr std::array<std::string_view, 8> k_bars{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    double lo = 0, hi = 0;
    bool any = false;
    for (const auto& v : values)
        if (v && *v > 0) {
            const double l = std::log10(static_cast<double>(*v));
            lo = any ? std::min(lo, l) : l;
            hi = any ? std::max(hi, l) : l;
            any = true;
        }
    std::string out;
    for (const auto& v : values) {
        if (!v || *v <= 0) {
            out += ' ';
            continue;
        }
        const double l = std::log10(static_cast<double>(*v));
        const double f = hi > lo ? (l - lo) / (hi - lo) : 1.0;
        out += k_bars[static_cast<std::size_t>(std::lround(f * 7))];
    }
    return out;
}

} // namespace trend::cli
