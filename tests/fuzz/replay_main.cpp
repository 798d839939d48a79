// SPDX-License-Identifier: MIT
// Runs a fuzz target's LLVMFuzzerTestOneInput over files, without libFuzzer (so any compiler
// and the sanitizer builds replay every corpus as an ordinary test).
//   replay_<name> PATH...   each PATH a file, or a directory whose regular files are all run
// Exits 1 when a path is missing or a directory is empty; a failing input aborts.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

bool run_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return false;
    }
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
    // A copy of exactly the input's size, so ASan sees any read past its end.
    std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    std::fprintf(stderr, "%s (%zu bytes)\n", path.c_str(), data.size());
    LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
        return 2;
    }
    std::size_t runs = 0;
    for (int a = 1; a < argc; ++a) {
        const fs::path p = argv[a];
        std::vector<fs::path> files;
        if (fs::is_directory(p)) {
            for (const auto& e : fs::directory_iterator(p))
                if (e.is_regular_file())
                    files.push_back(e.path());
            std::sort(files.begin(), files.end());
        } else {
            files.push_back(p);
        }
        if (files.empty()) {
            std::fprintf(stderr, "%s: no inputs\n", p.c_str());
            return 1;
        }
        for (const auto& f : files) {
            if (!run_file(f))
                return 1;
            ++runs;
        }
    }
    std::fprintf(stderr, "%zu inputs replayed\n", runs);
    return 0;
}
