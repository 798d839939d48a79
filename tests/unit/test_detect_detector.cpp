// SPDX-License-Identifier: MIT
#include "support.hpp"
