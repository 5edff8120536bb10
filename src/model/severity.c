#include "model/severity.h"

#include <errno.h>
#include <string.h>

static const char *const severity_names[_SEV_MAX] = {
	[SEV_INFO] = "info",
	[SEV_WARNING] = "warning",
	[SEV_ERROR] = "error",
};

const char *severity_name(enum severity s)
{
	return (unsigned)s < _SEV_MAX ? severity_names[s] : "unknown";
}

int severity_parse(const char *s, enum severity *ret)
{
	for (unsigned i = 0; i < _SEV_MAX; i++)
		if (strcmp(s, severity_names[i]) == 0) {
			*ret = (enum severity)i;
			return 0;
		}
	return -EINVAL;
}
