#pragma once
#include "cli/cli.h"

extern const struct command commands[];
