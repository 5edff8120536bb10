/* Shared between write.c (apply) and write_revert.c. */
#pragma once
#include <stdbool.h>
#include <sys/stat.h>

#include "apply/manifest.h"
#include "apply/write.h"
#include "apply/write_fs.h"

struct wctx {
	int root_fd;            /* O_RDONLY directory, flock()ed */
	const char *root_name;
	int conf_fd;            /* etc/X11/xorg.conf.d, -1 when missing */
	int state_fd;           /* var/lib/optimus-guest, -1 when missing */
	int backup_fd;          /* .../backups, -1 when missing */
	bool have_manifest;     /* a valid one was read */
	bool manifest_corrupt;  /* one exists but does not parse */
	struct manifest old;
	char *old_text;         /* bytes of manifest.json as read, NULL when absent */
	size_t old_len;
	struct strv created;    /* directories this run made (rollback) */
	struct strv new_backups;/* backup files this run made (rollback) */
};

/* One file operation on etc/X11/xorg.conf.d, with what undoes it. */
struct wop {
	const char *name;
	const char *data;       /* new content; NULL = remove */
	size_t len;
	struct wfs_meta meta;   /* for the new content */
	bool old_exists;
	char *old_data;         /* owned */
	size_t old_len;
	struct stat old_st;
	bool attempted;
};

int wctx_open(struct wctx *c, const char *root, bool dry_run, bool force, struct err *e);
void wctx_close(struct wctx *c);
int wctx_open_state(struct wctx *c, bool create, bool backups, struct err *e);
int wctx_clean_temps(struct wctx *c, struct write_result *res);
/* Names in etc/X11/xorg.conf.d matching *optimus-guest*.conf (any type). */
int wctx_list_ours(struct wctx *c, struct strv *ret);
int wctx_write_manifest(struct wctx *c, const char *text, struct err *e);
/* Run OPS in order; on failure undo the attempted ones in reverse (and say so in res). */
int wctx_run_ops(struct wctx *c, struct wop *ops, size_t n, struct write_result *res, struct err *e);
void wctx_undo_ops(struct wctx *c, struct wop *ops, size_t n, struct write_result *res);
void wops_free(struct wop *ops, size_t n);
int write_note(struct strv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
