/* Reading profiles and templates from disk: the shipped data directory, then the guest's
 * ROOT/etc/optimus-guest/profiles.d (read last, wins). */
#pragma once
#include "plan/profile.h"
#include "util/root.h"

struct templates {
	struct strv names;   /* "gvt-primary" for xorg-snippets/gvt-primary.conf.in */
	struct strv texts;
};

int templates_load(const char *data_dir, struct templates *ret, struct err *e);
void templates_clear(struct templates *t);
/* As template_text pairs for render_decision (borrowed pointers). */
struct template_text *templates_view(const struct templates *t);

/* Shipped profiles must all parse (an error is returned); a broken local override is skipped
 * and its error recorded in set->errors, so a guest that planned before still plans. */
int profiles_load(const char *data_dir, const struct root *r, const struct templates *tpl,
		  struct profile_set *ret, struct err *e);
/* The same, leaving out the local files named in SKIP ("/etc/optimus-guest/profiles.d/X.ini",
 * as in profile.source): a local profile that fails later (its template has no value for this
 * guest) is skipped and the profiles it had replaced come back. */
int profiles_load_except(const char *data_dir, const struct root *r, const struct templates *tpl,
			 const struct strv *skip, struct profile_set *ret, struct err *e);
/* Parse one file for `profiles validate`. */
int profile_load_file(const char *path, const struct templates *tpl, struct profile *ret, struct err *e);
/* The same, adding every error of the file to ERRORS (E holds the first). */
int profile_load_file_all(const char *path, const struct templates *tpl, struct profile *ret, struct err *e,
			  struct strv *errors);
/* The shipped profile files, the .ini files in DATA_DIR/profiles in version order; none is an error. */
int profiles_files(const char *data_dir, struct strv *paths, struct err *e);
