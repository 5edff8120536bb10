/* Where logs come from: the guest's files under the root, --log files, and (root '/' only)
 * the running kernel's log through journalctl -k -b, or /dev/kmsg when there is no journal. */
#pragma once
#include <stdbool.h>

#include "report/finding.h"
#include "report/logscan.h"
#include "util/root.h"
#include "report/signature.h"

struct log_source {
	char *name;                 /* as shown: "var/log/Xorg.0.log", "/dev/kmsg", a --log path */
	enum log_kind kind;
	int error;                  /* 0, or -errno when it could not be read (whole or part) */
	char *note;                 /* why it was skipped or stopped, NULL when fine */
	struct logscan_stats st;
};

struct log_scan {
	const struct signature_set *sigs;
	struct findings findings;
	struct log_source *v;
	size_t n;
	logscan_line_fn on_line;    /* see logscan.h */
	const char *const *on_line_literals;
	unsigned on_line_head;
	void *user;
};

/* Files under the root: var/log/Xorg.*.log(.old), var/log/kern.log, var/log/dmesg,
 * home/NAME/.local/share/xorg/Xorg.*.log, root/.local/share/xorg/Xorg.*.log. Missing files
 * are not mentioned; unreadable ones are noted. -ENOMEM only. */
int logsrc_scan_root(struct log_scan *ls, const struct root *r);
/* The running system's kernel log (call only when the root is '/'). */
int logsrc_scan_live(struct log_scan *ls);
/* A file the user named (--log); opened directly, regular files only. -errno with E set. */
int logsrc_scan_path(struct log_scan *ls, const char *path, struct err *e);
void log_scan_clear(struct log_scan *ls);
