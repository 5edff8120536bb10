/* Unified diff of two small texts (line-based, Myers), as `diff -u` prints it. Pure. */
#pragma once
#include <stddef.h>

#include "util/buf.h"

/* Append "--- A_NAME\n+++ B_NAME\n" and the hunks (3 lines of context) to OUT.
 * Appends nothing when the texts are equal. Returns 0, or -ENOMEM. */
int diff_unified(const char *a, size_t alen, const char *b, size_t blen, const char *a_name, const char *b_name,
		 struct buf *out);
