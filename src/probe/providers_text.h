/* The text 'xrandr --listproviders' prints, parsed into the snapshot's providers. */
#pragma once
#include <stddef.h>

#include "model/providers.h"
#include "util/err.h"

/* Parse the output of 'xrandr --listproviders' (optionally preceded by what
 * 'xrandr --version' prints). SOURCE names the input in messages and becomes
 * out->source. On error, e says "SOURCE:LINE: what" and out is left empty. */
int providers_parse_text(const char *text, size_t len, const char *source, struct providers *out, struct err *e);
