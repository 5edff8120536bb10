/* Snapshot <-> JSON (jansson: keeps key order, reports line and column). */
#pragma once
#include <jansson.h>

#include "snapshot.h"
#include "util/err.h"

json_t *snapshot_to_json(const struct snapshot *s);
/* Text form, two-space indent, ending in a newline. Caller frees. */
char *snapshot_to_string(const struct snapshot *s);
int snapshot_from_json(const json_t *j, struct snapshot **ret, struct err *e);
/* Parse text; errors carry NAME:line:column. */
int snapshot_from_string(const char *text, size_t len, const char *name, struct snapshot **ret, struct err *e);

/* Small helpers other JSON writers share. */
json_t *json_str_or_null(const char *s);
json_t *json_hex(unsigned v, int width);
json_t *json_strv(const struct strv *v);
