/* render: decision -> file contents, from the templates in xorg-snippets/. Pure. */
#pragma once
#include <stddef.h>

#include "plan/plan.h"
#include "plan/profile.h"
#include "model/snapshot.h"
#include "util/err.h"

/* One file apply writes, relative to ROOT/etc/X11/xorg.conf.d. */
struct out_file {
	char *name;     /* "20-optimus-guest-gvt.conf" (always contains "optimus-guest") */
	char *content;  /* full text, starting with the OG_HEADER_MARK comment */
	size_t len;
};

struct rendered {
	char *profile;
	struct out_file *files;
	size_t n_files;
};

int render_decision(const struct decision *d, const struct snapshot *s, const struct template_text *tpl,
		    size_t n_tpl, struct rendered *ret, struct err *e);
void rendered_clear(struct rendered *r);
