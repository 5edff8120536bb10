/* Small helpers every JSON writer shares (jansson). */
#pragma once
#include <jansson.h>
#include <stdbool.h>

#include "util/strv.h"

/* Text from the outside world (sysfs, files, logs, names) is bytes. A JSON string when S is
 * valid UTF-8, JSON null for NULL, and otherwise {"escaped": T} where T is S with each byte
 * that is not part of valid UTF-8 written as \xNN and each backslash as \\, so nothing is
 * dropped and json_text_dup gives back the very bytes. */
json_t *json_text(const char *s);
#define json_str_or_null json_text
/* The bytes of a json_text value: a string, null (*OUT = NULL) or {"escaped": T}.
 * -EINVAL for anything else or a bad escape, -ENOMEM. */
int json_text_dup(const json_t *v, char **out);
/* Is V a value json_text writes for a string (not null)? */
bool json_is_text(const json_t *v);
/* "0x" and V in WIDTH hex digits. */
json_t *json_hex(unsigned v, int width);
/* An array of the strings. */
json_t *json_strv(const struct strv *v);
