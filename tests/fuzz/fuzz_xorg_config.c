/* libFuzzer: the Xorg configuration reader probe uses. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct xorg_file f;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	probe_xorg_parse(text, "etc/X11/xorg.conf.d/fuzz.conf", &f);
	xorg_file_clear(&f);
	free(text);
	return 0;
}
