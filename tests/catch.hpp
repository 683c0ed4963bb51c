#pragma once
// The one include of Catch2 (v2 on Debian 12); a move to v3 changes only this file.
#include <catch2/catch.hpp>
