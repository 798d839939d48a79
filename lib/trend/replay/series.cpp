// SPDX-License-Identifier: MIT
#include "trend/replay/series.hpp"

#include "trend/feed/traffic.hpp"
#include "trend/util/json.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>

namespace trend::replay {

namespace fs = std::filesystem;

std::optional<Timestamp> capture_time_of(const fs::path& file) {
    std::string stem = file.filename().string();
    stem = stem.substr(0, stem.find('.'));
    if (stem.size() != 20 || stem[10] != 'T')
        return std::nullopt;
    if (stem[13] == '-')
        stem[13] = ':';
    if (stem[16] == '-')
        stem[16] = ':';
    return parse_iso(stem);
}

std::vector<SnapshotFile> snapshot_files(const fs::path& dir) {
    if (!fs::is_directory(dir))
        throw BacktestError(fmt::format("{}: not a directory", dir.string()));
    std::vector<SnapshotFile> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file())
            continue;
        const auto at = capture_time_of(e.path());
        if (!at)
            continue;
        const fs::path rel = fs::relative(e.path().parent_path(), dir);
        files.push_back({*at, e.path(), rel.empty() || rel == "." ? "snapshots" : rel.string()});
    }
    if (files.empty())
        throw BacktestError(fmt::format("{}: no snapshot files named like "
                                        "2025-11-03T14-00-00Z.xml",
                                        dir.string()));
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
        return std::tie(a.at, a.feed, a.path) < std::tie(b.at, b.feed, b.path);
    });
    return files;
}

SeriesReader::SeriesReader(const fs::path& path)
    : m_file(gzopen(path.c_str(), "rb")), m_path(path) {
    if (m_file == nullptr)
        throw BacktestError(fmt::format("{}: cannot open", path.string()));
    gzbuffer(m_file, 1 << 17);
}

SeriesReader::~SeriesReader() {
    gzclose(m_file);
}

const std::string* SeriesReader::read_line() {
    m_line.clear();
    char buf[8192];
    bool read = false;
    while (gzgets(m_file, buf, sizeof buf) != nullptr) {
        read = true;
        m_line += buf;
        if (!m_line.empty() && m_line.back() == '\n') {
            m_line.pop_back();
            break;
        }
    }
    if (!read)
        return nullptr; // the end, or a read error: either way nothing more
    ++m_line_no;
    return &m_line;
}

std::optional<feed::Snapshot> SeriesReader::next() {
    std::optional<feed::Snapshot> snap = std::exchange(m_pending, std::nullopt);
    while (const std::string* line = read_line()) {
        if (line->empty())
            continue;
        rapidjson::Document d;
        d.Parse(line->data(), line->size());
        if (d.HasParseError() || !d.IsObject())
            throw BacktestError(
                fmt::format("{}:{}: not a JSON object", m_path.string(), m_line_no));
        const auto at = parse_iso(json::string_member(d, "observed_at"));
        const std::string term =
            text::collapse_whitespace(text::repair_utf8(json::string_member(d, "term")));
        if (!at || term.empty())
            throw BacktestError(fmt::format("{}:{}: needs \"observed_at\" (ISO time) and \"term\"",
                                            m_path.string(), m_line_no));
        const std::string geo = json::string_member(d, "geo");
        feed::Item item;
        item.term = term;
        item.traffic.label = json::string_member(d, "traffic_label");
        item.traffic.value = feed::parse_traffic(item.traffic.label);
        item.started_at = parse_iso(json::string_member(d, "started_at"));
        const auto rank = d.FindMember("rank");
        const bool has_rank = rank != d.MemberEnd() && rank->value.IsInt();
        if (snap && (snap->fetched_at != *at || snap->geo != geo)) {
            // This line starts the next snapshot: keep it for the next call.
            m_pending.emplace();
            m_pending->geo = geo;
            m_pending->fetched_at = *at;
            m_pending->items.reserve(snap->items.size()); // the next is about as long
            item.rank = has_rank ? rank->value.GetInt() : 1;
            m_pending->items.push_back(std::move(item));
            return snap;
        }
        if (!snap) {
            snap.emplace();
            snap->geo = geo;
            snap->fetched_at = *at;
            snap->items.reserve(32);
        }
        item.rank = has_rank ? rank->value.GetInt() : static_cast<int>(snap->items.size() + 1);
        snap->items.push_back(std::move(item));
    }
    return snap;
}

} // namespace trend::replay
