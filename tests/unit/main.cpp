// SPDX-License-Identifier: MIT
// The unit test binary's entry point; test helpers live in support.hpp.
#define DOCTEST_CONFIG_IMPLEMENT
#include "trend/log/log.hpp"

#include <doctest/doctest.h>

#include <clocale>

int main(int argc, char** argv) {
    std::setlocale(LC_ALL, "C.UTF-8");
    trend::log::set_level(trend::log::Level::warning); // keep test output readable
    doctest::Context context(argc, argv);
    return context.run();
}
