#include "plan/profile_load.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/checks.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fileio.h"
#include "util/root.h"

#define MAX_DATA_FILE (1u << 20)

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a > b && strcmp(s + a - b, suf) == 0 && s[0] != '.';
}

/* Names in DIR in version order (root_list_fd: no DIR and its 32 KiB buffer on the boot path). */
static int list_data_dir(const char *dir, char ***ret, size_t *ret_n)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return root_list_fd(fd, ret, ret_n);
}

int templates_load(const char *data_dir, struct templates *ret, struct err *e)
{
	_cleanup_free_ char *dir = NULL;
	char **names = NULL;
	size_t n = 0;
	if (asprintf(&dir, "%s/xorg-snippets", data_dir) < 0)
		return -ENOMEM;
	int rc = list_data_dir(dir, &names, &n);
	if (rc < 0) {
		err_set(e, "cannot list templates in '%s': %s; point --data-dir at the directory holding profiles/ and xorg-snippets/",
			dir, strerror(-rc));
		return rc;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!has_suffix(names[i], ".conf.in"))
			continue;
		_cleanup_free_ char *p = NULL;
		char *text = NULL;
		size_t len;
		if (asprintf(&p, "%s/%s", dir, names[i]) < 0) {
			rc = -ENOMEM;
		} else if ((rc = file_read_all(p, MAX_DATA_FILE, &text, &len)) < 0) {
			err_set(e, "cannot read template '%s': %s", p, strerror(-rc));
		} else {
			names[i][strlen(names[i]) - 8] = 0;
			if (strv_push(&ret->names, names[i]) < 0 || strv_push_take(&ret->texts, text) < 0)
				rc = -ENOMEM;
		}
	}
	root_list_free(names, n);
	return rc;
}

void templates_clear(struct templates *t)
{
	strv_clear(&t->names);
	strv_clear(&t->texts);
}

struct template_text *templates_view(const struct templates *t)
{
	struct template_text *v = calloc(t->names.n + 1, sizeof(*v));
	for (size_t i = 0; v && i < t->names.n; i++) {
		v[i].name = t->names.v[i];
		v[i].text = t->texts.v[i];
	}
	return v;
}

static int parse_text(const char *text, size_t len, const char *path, const struct templates *tpl,
		      struct profile *ret, struct err *e, struct strv *errors)
{
	struct profile_rules rules = { .check_ids = check_ids, .templates = tpl ? &tpl->names : NULL };
	return profile_parse_all(text, len, path, &rules, ret, e, errors);
}

int profile_load_file_all(const char *path, const struct templates *tpl, struct profile *ret, struct err *e,
			  struct strv *errors)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int rc = file_read_all(path, MAX_DATA_FILE, &text, &len);
	if (rc < 0) {
		err_set(e, "cannot read profile '%s': %s", path,
			rc == -EFBIG ? "larger than 1 MiB; a profile is a short text file" : strerror(-rc));
		if (errors && strv_push(errors, e->msg) < 0)
			return -ENOMEM;
		return rc;
	}
	return parse_text(text, len, path, tpl, ret, e, errors);
}

int profile_load_file(const char *path, const struct templates *tpl, struct profile *ret, struct err *e)
{
	return profile_load_file_all(path, tpl, ret, e, NULL);
}

int profiles_files(const char *data_dir, struct strv *paths, struct err *e)
{
	_cleanup_free_ char *dir = NULL;
	char **names = NULL;
	size_t n = 0, found = 0;
	if (asprintf(&dir, "%s/profiles", data_dir) < 0)
		return -ENOMEM;
	int rc = list_data_dir(dir, &names, &n);
	if (rc < 0) {
		err_set(e, "cannot list profiles in '%s': %s; point --data-dir at the directory holding profiles/",
			dir, strerror(-rc));
		return rc;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *p = NULL;
		if (!has_suffix(names[i], ".ini"))
			continue;
		found++;
		if (asprintf(&p, "%s/%s", dir, names[i]) < 0 || strv_push_take(paths, p) < 0)
			rc = -ENOMEM;
	}
	root_list_free(names, n);
	if (rc == 0 && found == 0) {
		err_set(e, "no profiles in '%s'; point --data-dir at the directory holding profiles/", dir);
		rc = -ENOENT;
	}
	return rc;
}

int profiles_load(const char *data_dir, const struct root *r, const struct templates *tpl,
		  struct profile_set *ret, struct err *e)
{
	return profiles_load_except(data_dir, r, tpl, NULL, ret, e);
}

int profiles_load_except(const char *data_dir, const struct root *r, const struct templates *tpl,
			 const struct strv *skip, struct profile_set *ret, struct err *e)
{
	_cleanup_strv_ struct strv files = {0};
	int rc = profiles_files(data_dir, &files, e);
	for (size_t i = 0; rc == 0 && i < files.n; i++) {
		struct profile prof = {0};
		if ((rc = profile_load_file(files.v[i], tpl, &prof, e)) == 0)
			rc = profile_set_add(ret, &prof);
	}
	if (rc < 0)
		return rc;

	/* local overrides under the guest's root, read last */
	char **names = NULL;
	size_t nn = 0;
	const char *local = "etc/optimus-guest/profiles.d";
	struct err le = {0};
	rc = r ? root_list(r, local, &names, &nn, &le) : -ENOENT;
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0) {
		return strv_push(&ret->errors, le.msg[0] ? le.msg : "cannot list etc/optimus-guest/profiles.d") < 0 ? -ENOMEM : 0;
	}
	for (size_t i = 0; i < nn; i++) {
		size_t l = strlen(names[i]);
		if (l < 5 || strcmp(names[i] + l - 4, ".ini") != 0 || names[i][0] == '.')
			continue;
		_cleanup_free_ char *rel = NULL, *text = NULL;
		size_t len = 0;
		struct profile prof = {0};
		struct err pe = {0};
		if (asprintf(&rel, "%s/%s", local, names[i]) < 0) {
			rc = -ENOMEM;
			break;
		}
		bool skipped = false;
		for (size_t k = 0; skip && k < skip->n && !skipped; k++)
			skipped = skip->v[k][0] == '/' && strcmp(skip->v[k] + 1, rel) == 0;
		if (skipped)
			continue;
		int prc = root_read_file(r, rel, MAX_DATA_FILE, &text, &len, &pe);
		if (prc == 0) {
			_cleanup_free_ char *shown = NULL;
			if (asprintf(&shown, "/%s", rel) < 0) {
				rc = -ENOMEM;
				break;
			}
			prc = parse_text(text, len, shown, tpl, &prof, &pe, NULL);
		}
		if (prc == 0) {
			rc = profile_set_add(ret, &prof);
		} else {
			char *msg = NULL;
			if (asprintf(&msg, "%s (local override skipped; the shipped profiles still apply)",
				     pe.msg[0] ? pe.msg : strerror(-prc)) < 0 || strv_push_take(&ret->errors, msg) < 0)
				rc = -ENOMEM;
		}
		if (rc < 0)
			break;
	}
	root_list_free(names, nn);
	return rc < 0 ? rc : 0;
}
