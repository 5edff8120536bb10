/* libFuzzer target: the 'xrandr --listproviders' parser. */
#include <stddef.h>
#include <stdint.h>

#include "model/providers.h"
#include "probe/providers_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct providers p = {0};
	struct err e = {0};
	if (providers_parse_text((const char *)data, size, "fuzz", &p, &e) == 0)
		providers_clear(&p);
	return 0;
}
