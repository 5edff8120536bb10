/* Read-only private mapping of a whole regular file (large inputs are never copied). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct mapfile {
	const uint8_t *data;
	size_t len;
};

/* -errno with E set ("PATH: why"). An empty file maps to data = NULL, len = 0. */
int mapfile_open(struct mapfile *m, const char *path, struct err *e);
void mapfile_close(struct mapfile *m);
