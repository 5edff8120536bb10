/* libFuzzer: the manifest parser, and format(parse(x)) parses again to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apply/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m = {0};
	struct err e = {0};
	if (manifest_parse((const char *)data, size, &m, &e) == 0) {
		char *t = manifest_format(&m);
		if (t) {
			struct manifest m2 = {0};
			if (manifest_parse(t, strlen(t), &m2, &e) != 0)
				abort();
			char *t2 = manifest_format(&m2);
			if (!t2 || strcmp(t, t2) != 0)
				abort();
			free(t2);
			manifest_clear(&m2);
		}
		free(t);
		manifest_clear(&m);
	}
	return 0;
}
