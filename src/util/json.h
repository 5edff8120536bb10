/* Small helpers every JSON writer shares (jansson). */
#pragma once
#include <jansson.h>

#include "util/strv.h"

/* A string, or JSON null for NULL. */
json_t *json_str_or_null(const char *s);
/* "0x" and V in WIDTH hex digits. */
json_t *json_hex(unsigned v, int width);
/* An array of the strings. */
json_t *json_strv(const struct strv *v);
