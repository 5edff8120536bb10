/* Profiles: one INI file per row of the matrix (profiles/NN-name.ini), read with inih.
 * Strict: unknown, repeated or missing keys, unknown check ids and missing templates are
 * errors with FILE:LINE. A file is used whole or not at all. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/strv.h"

/* An Xorg snippet template (xorg-snippets/NAME.conf.in), read by the caller and handed in as
 * name -> text pairs. */
struct template_text {
	const char *name;
	const char *text;
};

/* A row's status in the matrix (shared/MATRIX.md). */
enum profile_status {
	STATUS_WORKS,
	STATUS_NEEDS_PATCH,
	STATUS_UNTESTED,
	STATUS_BROKEN,
	STATUS_NEVER,
	_STATUS_MAX,
};

/* "works", "needs-patch", ...; "unknown" outside the enum. */
const char *profile_status_name(enum profile_status s);
/* The inverse; -EINVAL for any other word. */
int profile_status_from_string(const char *s, enum profile_status *ret);

struct profile {
	char *name;
	enum profile_status status;
	char *summary;
	int priority;
	char *source;        /* file it came from */
	struct strv roles;          /* [match] roles: all present */
	struct strv absent_roles;   /* [match] absent_roles: none present */
	struct strv any_roles;      /* [match] any_roles: at least one present */
	bool render_node;           /* [match] render_node = yes: some device has a render node */
	struct strv checks;         /* [checks] require */
	struct strv files;          /* [write] files: "NAME:TEMPLATE" */
	struct strv env;            /* [offload] env: "VAR=value" with @PLACEHOLDERS@ */
	struct strv links;          /* [session] links: "KIND:PROVIDER_ROLE:TARGET_ROLE" */
	char *primary;              /* [topology] primary: role of X's primary GPU */
	char *renderer;             /* [topology] renderer: role that renders offloaded work */
	char *explanation;          /* [explain] reason */
	char *fix;                  /* [explain] fix */
};

struct profile_set {
	struct profile *v;
	size_t n, cap;
	struct strv errors;   /* problems in files that were skipped (local overrides at boot) */
};

/* Knowledge the validator needs: known check ids and template names (NULL: skip that check). */
struct profile_rules {
	const char *const *check_ids;
	const struct strv *templates;
};

/* Parse one file's text. On error nothing is added and e holds "FILE:LINE: what; what to do". */
int profile_parse(const char *text, size_t len, const char *path, const struct profile_rules *rules,
		  struct profile *ret, struct err *e);
/* The same, and every error (at most ERR_LIST_MAX, then a count) is added to ERRORS. */
int profile_parse_all(const char *text, size_t len, const char *path, const struct profile_rules *rules,
		      struct profile *ret, struct err *e, struct strv *errors);
void profile_clear(struct profile *p);

/* Add P to the set; a profile of the same name is replaced (later directories win). Takes P. */
int profile_set_add(struct profile_set *s, struct profile *p);
const struct profile *profile_set_find(const struct profile_set *s, const char *name);
void profile_set_clear(struct profile_set *s);
