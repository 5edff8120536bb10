/* libFuzzer: mdevctl definition files (etc/mdevctl.d/PARENT/UUID) as host check reads
 * them. A file that parses gives a type name sysfs could have (printable, no '/', at most
 * 64 bytes); one that does not says why. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_mdevctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {0};
	struct mdevctl_def d;
	int rc = mdevctl_parse((const char *)data, size, "/etc/mdevctl.d/0000:00:02.0/x", "0000:00:02.0",
			       "4b20d080-1b54-4048-85b3-a6a62d165c01", &d, &e);
	if (rc == 0) {
		size_t n = strlen(d.type);
		if (!n || n > 64 || strchr(d.type, '/'))
			abort();
		for (size_t i = 0; i < n; i++)
			if (!isgraph((unsigned char)d.type[i]))
				abort();
		mdevctl_def_clear(&d);
	} else if (!e.msg[0] || d.type) {
		abort();
	}
	return 0;
}
