// SPDX-License-Identifier: MIT
// trendctl: how a person talks to trendd. Everything lives in lib/ (trend::cli::trendctl_main).
#include "trend/cli/trendctl.hpp"

int main(int argc, char** argv) {
    return trend::cli::trendctl_main(argc, argv);
}
