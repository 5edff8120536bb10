#include "apply/manifest.h"
#include "apply/write.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

#define _cleanup_json_ _cleanup_(json_decrefp)

bool manifest_name_ok(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && n < 200 && !strchr(name, '/') && name[0] != '.' && strstr(name, "optimus-guest") &&
	       strcmp(name + n - 5, ".conf") == 0;
}

static bool hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static bool backup_name_ok(const char *s)
{
	return *s && strlen(s) < 256 && !strchr(s, '/') && s[0] != '.';
}

static bool rel_dir_ok(const char *s)
{
	if (!*s || s[0] == '/' || strlen(s) > 200)
		return false;
	for (const char *p = s; *p;) {
		const char *q = strchrnul(p, '/');
		size_t n = (size_t)(q - p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p = *q ? q + 1 : q;
	}
	return true;
}

/* A directory apply may have created: etc/X11/xorg.conf.d or var/lib/optimus-guest, or one
 * on the way to them (a bare tree lacks etc/X11). Anything else in "created_dirs" is a
 * manifest steering revert's deletions, and is refused. */
static bool created_dir_allowed(const char *s)
{
	static const char *const ours[] = { WRITE_CONF_DIR, WRITE_STATE_DIR };
	size_t n = strlen(s);
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (strncmp(ours[i], s, n) == 0 && (ours[i][n] == 0 || ours[i][n] == '/'))
			return true;
	return false;
}

/* Only the listed keys may appear. */
static bool only_keys(json_t *o, const char *const *keys, size_t n, const char **bad)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool ok = false;
		for (size_t i = 0; i < n; i++)
			ok |= strcmp(k, keys[i]) == 0;
		if (!ok) {
			*bad = k;
			return false;
		}
	}
	return true;
}

static int parse_original(json_t *o, struct mf_original *r, const char *name, struct err *e)
{
	static const char *const keys[] = { "backup", "sha256", "mode", "uid", "gid", "mtime_sec", "mtime_nsec" };
	const char *bad = NULL, *backup = NULL, *sha = NULL;
	json_int_t mode, uid, gid, sec, nsec;
	json_error_t je;
	if (!json_is_object(o) || !only_keys(o, keys, ARRAY_SIZE(keys), &bad) ||
	    json_unpack_ex(o, &je, JSON_STRICT, "{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "backup", &backup, "sha256", &sha,
			   "mode", &mode, "uid", &uid, "gid", &gid, "mtime_sec", &sec, "mtime_nsec", &nsec) < 0 ||
	    !backup_name_ok(backup) || !hex64(sha) || mode < 0 || mode > 07777 || uid < 0 || uid > UINT32_MAX ||
	    gid < 0 || gid > UINT32_MAX || nsec < 0 || nsec > 999999999) {
		err_set(e, "bad \"original\" of file '%s'%s%s", name, bad ? ": unknown key " : "", bad ? bad : "");
		return -EBADMSG;
	}
	r->backup = strdup(backup);
	memcpy(r->sha256, sha, 65);
	r->mode = (unsigned)mode;
	r->uid = (unsigned)uid;
	r->gid = (unsigned)gid;
	r->mtime_sec = sec;
	r->mtime_nsec = (long)nsec;
	return r->backup ? 0 : -ENOMEM;
}

static int parse_file(json_t *o, struct mf_file *f, struct err *e)
{
	static const char *const keys[] = { "name", "sha256", "previous", "original" };
	const char *bad = NULL;
	if (!json_is_object(o) || !only_keys(o, keys, ARRAY_SIZE(keys), &bad)) {
		err_set(e, "a \"files\" entry is not an object%s%s", bad ? " or has unknown key " : "", bad ? bad : "");
		return -EBADMSG;
	}
	json_t *name = json_object_get(o, "name"), *sha = json_object_get(o, "sha256"),
	       *prev = json_object_get(o, "previous"), *orig = json_object_get(o, "original");
	if (!json_is_string(name) || !manifest_name_ok(json_string_value(name))) {
		err_set(e, "a \"files\" entry has no valid \"name\" (*optimus-guest*.conf)");
		return -EBADMSG;
	}
	const char *n = json_string_value(name);
	if (!(f->name = strdup(n)))
		return -ENOMEM;
	if (!json_is_null(sha) && !(json_is_string(sha) && hex64(json_string_value(sha)))) {
		err_set(e, "file '%s': \"sha256\" is not 64 hex digits or null", n);
		return -EBADMSG;
	}
	if (json_is_string(sha))
		memcpy(f->sha256, json_string_value(sha), 65);
	if (prev && !(json_is_string(prev) && hex64(json_string_value(prev)))) {
		err_set(e, "file '%s': \"previous\" is not 64 hex digits", n);
		return -EBADMSG;
	}
	if (prev)
		memcpy(f->previous, json_string_value(prev), 65);
	if (orig) {
		int rc = parse_original(orig, &f->original, n, e);
		if (rc < 0)
			return rc;
		f->has_original = true;
	}
	if (!f->sha256[0] && !f->has_original && !f->previous[0]) {
		err_set(e, "file '%s' has neither a hash nor an original", n);
		return -EBADMSG;
	}
	return 0;
}

int manifest_parse(const char *text, size_t len, struct manifest *ret, struct err *e)
{
	static const char *const keys[] = { "format", "version", "profile", "created_dirs", "files" };
	struct manifest m = {0};
	json_error_t je;
	const char *bad = NULL;
	int rc = -EBADMSG;
	_cleanup_json_ json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);

	if (!root) {
		err_set(e, "not valid JSON (line %d, column %d: %s)", je.line, je.column, je.text);
		return -EBADMSG;
	}
	json_t *fmt = json_object_get(root, "format"), *ver = json_object_get(root, "version"),
	       *prof = json_object_get(root, "profile"), *dirs = json_object_get(root, "created_dirs"),
	       *files = json_object_get(root, "files");
	if (!json_is_object(root) || !only_keys(root, keys, ARRAY_SIZE(keys), &bad)) {
		err_set(e, "not a manifest object%s%s", bad ? ": unknown key " : "", bad ? bad : "");
		return -EBADMSG;
	}
	if (!json_is_string(fmt) || strcmp(json_string_value(fmt), MANIFEST_FORMAT) != 0) {
		err_set(e, "\"format\" is not \"%s\"", MANIFEST_FORMAT);
		return -EBADMSG;
	}
	if (!json_is_integer(ver) || json_integer_value(ver) != MANIFEST_VERSION) {
		err_set(e, "\"version\" is not %d", MANIFEST_VERSION);
		return -EBADMSG;
	}
	if (!(json_is_null(prof) || json_is_string(prof)) || !json_is_array(dirs) || !json_is_array(files)) {
		err_set(e, "\"profile\", \"created_dirs\" or \"files\" missing or of the wrong type");
		return -EBADMSG;
	}
	if (json_is_string(prof) && !(m.profile = strdup(json_string_value(prof))))
		goto oom;
	size_t i;
	json_t *v;
	json_array_foreach(dirs, i, v) {
		if (!json_is_string(v) || !rel_dir_ok(json_string_value(v))) {
			err_set(e, "\"created_dirs\"[%zu] is not a relative directory path", i);
			goto bad;
		}
		if (!created_dir_allowed(json_string_value(v))) {
			err_set(e, "\"created_dirs\"[%zu] '%s' is not a directory apply creates (only %s, %s and the "
				   "directories on the way to them)", i, json_string_value(v), WRITE_CONF_DIR, WRITE_STATE_DIR);
			goto bad;
		}
		if (strv_push(&m.created_dirs, json_string_value(v)) < 0)
			goto oom;
	}
	m.files = calloc(json_array_size(files) + 1, sizeof(*m.files));
	if (!m.files)
		goto oom;
	json_array_foreach(files, i, v) {
		rc = parse_file(v, &m.files[m.n_files++], e);
		if (rc < 0)
			goto bad;
		for (size_t k = 0; k + 1 < m.n_files; k++)
			if (strcmp(m.files[k].name, m.files[m.n_files - 1].name) == 0) {
				err_set(e, "file '%s' is listed twice", m.files[k].name);
				rc = -EBADMSG;
				goto bad;
			}
	}
	*ret = m;
	return 0;
oom:
	rc = -ENOMEM;
bad:
	manifest_clear(&m);
	return rc;
}

char *manifest_format(const struct manifest *m)
{
	_cleanup_json_ json_t *root = json_object();
	json_t *dirs = json_array(), *files = json_array();
	if (!root || !dirs || !files) {
		json_decref(dirs);
		json_decref(files);
		return NULL;
	}
	json_object_set_new(root, "format", json_string(MANIFEST_FORMAT));
	json_object_set_new(root, "version", json_integer(MANIFEST_VERSION));
	json_object_set_new(root, "profile", m->profile ? json_string(m->profile) : json_null());
	for (size_t i = 0; i < m->created_dirs.n; i++)
		json_array_append_new(dirs, json_string(m->created_dirs.v[i]));
	json_object_set_new(root, "created_dirs", dirs);
	for (size_t i = 0; i < m->n_files; i++) {
		const struct mf_file *f = &m->files[i];
		if (!f->sha256[0] && !f->has_original && !f->previous[0])
			continue;  /* nothing left to say about it */
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(f->name));
		json_object_set_new(o, "sha256", f->sha256[0] ? json_string(f->sha256) : json_null());
		if (f->previous[0])
			json_object_set_new(o, "previous", json_string(f->previous));
		if (f->has_original) {
			const struct mf_original *r = &f->original;
			json_object_set_new(o, "original",
					    json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "backup", r->backup, "sha256",
						      r->sha256, "mode", (json_int_t)r->mode, "uid", (json_int_t)r->uid,
						      "gid", (json_int_t)r->gid, "mtime_sec", (json_int_t)r->mtime_sec,
						      "mtime_nsec", (json_int_t)r->mtime_nsec));
		}
		json_array_append_new(files, o);
	}
	json_object_set_new(root, "files", files);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!s)
		return NULL;
	/* a trailing newline, so the file is a proper text file */
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		return NULL;
	}
	t[n] = '\n';
	t[n + 1] = 0;
	return t;
}

static void mf_file_clear(struct mf_file *f)
{
	free(f->name);
	free(f->original.backup);
	memset(f, 0, sizeof(*f));
}

void manifest_clear(struct manifest *m)
{
	free(m->profile);
	strv_clear(&m->created_dirs);
	for (size_t i = 0; i < m->n_files; i++)
		mf_file_clear(&m->files[i]);
	free(m->files);
	memset(m, 0, sizeof(*m));
}

struct mf_file *manifest_find(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->n_files; i++)
		if (strcmp(m->files[i].name, name) == 0)
			return &m->files[i];
	return NULL;
}

struct mf_file *manifest_add(struct manifest *m, const char *name)
{
	struct mf_file *v = realloc(m->files, (m->n_files + 1) * sizeof(*v));
	if (!v)
		return NULL;
	m->files = v;
	struct mf_file *f = &v[m->n_files];
	memset(f, 0, sizeof(*f));
	if (!(f->name = strdup(name)))
		return NULL;
	m->n_files++;
	return f;
}

void manifest_compact(struct manifest *m)
{
	size_t k = 0;
	for (size_t i = 0; i < m->n_files; i++) {
		if (!m->files[i].sha256[0] && !m->files[i].has_original) {
			mf_file_clear(&m->files[i]);
			continue;
		}
		m->files[k++] = m->files[i];
	}
	m->n_files = k;
}

int manifest_copy(struct manifest *dst, const struct manifest *src)
{
	memset(dst, 0, sizeof(*dst));
	if (src->profile && !(dst->profile = strdup(src->profile)))
		goto oom;
	if (strv_copy(&dst->created_dirs, &src->created_dirs) < 0)
		goto oom;
	for (size_t i = 0; i < src->n_files; i++) {
		struct mf_file *f = manifest_add(dst, src->files[i].name);
		if (!f)
			goto oom;
		memcpy(f->sha256, src->files[i].sha256, 65);
		memcpy(f->previous, src->files[i].previous, 65);
		f->has_original = src->files[i].has_original;
		f->original = src->files[i].original;
		f->original.backup = NULL;
		if (f->has_original && !(f->original.backup = strdup(src->files[i].original.backup)))
			goto oom;
	}
	return 0;
oom:
	manifest_clear(dst);
	return -ENOMEM;
}
