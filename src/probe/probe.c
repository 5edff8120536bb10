#include "probe/probe.h"

#include <errno.h>

#include "model/classify.h"
#include "util/cleanup.h"

int probe_run(const struct root *r, struct snapshot **ret, struct err *e)
{
	_cleanup_(snapshot_freep) struct snapshot *s = snapshot_new();
	int rc;

	if (!s)
		return -ENOMEM;
	if ((rc = probe_pci(r, s, e)) < 0)
		return rc;
	if ((rc = probe_env(r, s, e)) < 0)
		return rc;
	if ((rc = probe_xorg(r, s, e)) < 0)
		return rc;
	classify_snapshot(s);
	*ret = TAKE_PTR(s);
	return 0;
}
