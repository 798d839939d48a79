// SPDX-License-Identifier: MIT
// trendd: the trend-monitoring daemon. Everything lives in lib/ (trend::daemon::trendd_main).
#include "trend/daemon/app.hpp"

int main(int argc, char** argv) {
    return trend::daemon::trendd_main(argc, argv);
}
