/* Snapshot <-> JSON (jansson: keeps key order, reports line and column). */
#pragma once
#include <jansson.h>

#include "model/snapshot.h"
#include "util/json.h"
#include "util/err.h"

json_t *snapshot_to_json(const struct snapshot *s);
/* Text form, two-space indent, ending in a newline. Caller frees. */
char *snapshot_to_string(const struct snapshot *s);
int snapshot_from_json(const json_t *j, struct snapshot **ret, struct err *e);
/* Parse text; errors carry NAME:line:column. */
int snapshot_from_string(const char *text, size_t len, const char *name, struct snapshot **ret, struct err *e);
