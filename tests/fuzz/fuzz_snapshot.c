/* libFuzzer: snapshot JSON reader, and the round trip of what it accepts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot *s = NULL;
	struct err e = {0};
	if (snapshot_from_string((const char *)data, size, "fuzz.json", &s, &e) == 0) {
		char *a = snapshot_to_string(s);
		struct snapshot *s2 = NULL;
		if (a && snapshot_from_string(a, strlen(a), "again.json", &s2, &e) == 0) {
			char *b = snapshot_to_string(s2);
			if (b && strcmp(a, b) != 0)
				abort();  /* the round trip must be byte-identical */
			free(b);
			snapshot_free(s2);
		}
		free(a);
		snapshot_free(s);
	}
	return 0;
}
