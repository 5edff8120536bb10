#include "util/root.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cleanup.h"

#define MAX_LINKS 40

int root_open_dir(struct root *r, const char *path, struct err *e)
{
	r->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->fd < 0) {
		int errsv = errno;
		err_set(e, "cannot open root '%s': %s; give --root a directory that holds a guest's sys/, proc/ and etc/",
			path, strerror(errsv));
		return -errsv;
	}
	r->path = strdup(path);
	return r->path ? 0 : -ENOMEM;
}

void root_close(struct root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	free(r->path);
	r->fd = -1;
	r->path = NULL;
}

bool root_is_slash(const struct root *r)
{
	return r->path && strcmp(r->path, "/") == 0;
}

/* Pop the last component of a resolved path (clamped at the root). */
static void pop(struct buf *out)
{
	while (out->len > 0 && out->s[out->len - 1] != '/')
		out->len--;
	if (out->len > 0)
		out->len--;
	if (out->s)
		out->s[out->len] = 0;
}

int root_resolve(const struct root *r, const char *rel, char **ret, struct err *e)
{
	_cleanup_buf_ struct buf out = {0};
	_cleanup_free_ char *pending = strdup(rel);
	int links = 0;

	if (!pending)
		return -ENOMEM;
	buf_puts(&out, "");
	char *rest = pending;
	while (rest && *rest) {
		char *slash = strchr(rest, '/');
		char *comp = rest;
		if (slash) {
			*slash = 0;
			rest = slash + 1;
		} else {
			rest = NULL;
		}
		if (!*comp || strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			pop(&out);
			continue;
		}
		size_t mark = out.len;
		if (out.len)
			buf_puts(&out, "/");
		buf_puts(&out, comp);
		if (out.oom)
			break;

		struct stat st;
		if (fstatat(r->fd, out.s, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			int errsv = errno;
			if (errsv == ENOENT && !rest) {
				/* leave the missing last component; the caller's open says ENOENT */
				*ret = buf_steal(&out);
				return *ret ? 0 : -ENOMEM;
			}
			return -errsv;
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		if (++links > MAX_LINKS) {
			err_set(e, "too many levels of symbolic links at '%s' under root '%s'", out.s, r->path);
			return -ELOOP;
		}
		char target[PATH_MAX];
		ssize_t n = readlinkat(r->fd, out.s, target, sizeof(target) - 1);
		if (n < 0) {
			int errsv = errno;
			return -errsv;
		}
		target[n] = 0;
		out.len = mark;
		out.s[out.len] = 0;
		if (target[0] == '/') {
			out.len = 0;
			out.s[0] = 0;
		}
		/* splice the link target in front of what is left */
		char *next = NULL;
		if (asprintf(&next, "%s%s%s", target, rest ? "/" : "", rest ? rest : "") < 0) {
			return -ENOMEM;
		}
		free(pending);
		pending = next;
		rest = pending;
	}
	if (out.oom) {
		return -ENOMEM;
	}
	*ret = buf_steal(&out);
	return *ret ? 0 : -ENOMEM;
}

static int open_resolved(const struct root *r, const char *rel, int flags, struct err *e)
{
	/* the kernel resolves inside the root in one call where it can (Linux >= 5.6) */
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	/* EAGAIN: a rename anywhere on the system raced with resolving a '..' (the fixtures'
	 * relative symlinks have them); openat2(2) says to retry, then we resolve ourselves */
	int fd = -1;
	for (int tries = 0; tries < 16; tries++) {
		fd = (int)syscall(SYS_openat2, r->fd, *rel ? rel : ".", &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	if (fd >= 0)
		return fd;
	if (errno == ELOOP) {
		err_set(e, "too many levels of symbolic links at '%s' under root '%s'", rel, r->path);
		return -ELOOP;
	}
	if (errno != ENOSYS && errno != EPERM && errno != E2BIG && errno != EAGAIN)
		return -errno;
	_cleanup_free_ char *res = NULL;
	int ret = root_resolve(r, rel, &res, e);
	if (ret < 0)
		return ret;
	fd = openat(r->fd, *res ? res : ".", flags | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int root_open_file(const struct root *r, const char *rel, struct err *e)
{
	/* O_NONBLOCK: a FIFO planted where a file should be must not hang us */
	_cleanup_close_ int fd = open_resolved(r, rel, O_RDONLY | O_NONBLOCK, e);
	struct stat st;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		err_set(e, "'%s' under root '%s' is not a regular file", rel, r->path);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	return TAKE_FD(fd);
}

int root_read_file(const struct root *r, const char *rel, size_t max, char **ret, size_t *ret_len, struct err *e)
{
	_cleanup_close_ int fd = root_open_file(r, rel, e);
	if (fd < 0) {
		if (fd != -ENOENT && e && !e->msg[0])
			err_set(e, "cannot read '%s' under root '%s': %s", rel, r->path, strerror(-fd));
		return fd;
	}
	struct buf b = {0};
	char chunk[8192];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int errsv = errno;
			buf_free(&b);
			err_set(e, "cannot read '%s' under root '%s': %s", rel, r->path, strerror(errsv));
			return -errsv;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			buf_free(&b);
			err_set(e, "'%s' under root '%s' is larger than %zu bytes; is this the right file?", rel, r->path, max);
			return -EFBIG;
		}
		buf_append(&b, chunk, (size_t)n);
	}
	size_t len = b.len;
	*ret = buf_steal(&b);
	if (!*ret)
		return -ENOMEM;
	if (ret_len)
		*ret_len = len;
	return 0;
}

int root_read_line(const struct root *r, const char *rel, char **ret, struct err *e)
{
	char *s = NULL;
	int rc = root_read_file(r, rel, 64 * 1024, &s, NULL, e);
	if (rc < 0)
		return rc;
	char *nl = strchr(s, '\n');
	if (nl)
		*nl = 0;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	*ret = s;
	return 0;
}

int root_read_hex(const struct root *r, const char *rel, unsigned *ret, struct err *e)
{
	_cleanup_free_ char *s = NULL;
	int rc = root_read_line(r, rel, &s, e);
	if (rc < 0)
		return rc;
	const char *p = s;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	char *end = NULL;
	errno = 0;
	unsigned long v = *p ? strtoul(p, &end, 16) : 0;
	if (!*p || errno || *end || v > 0xffffffffUL || *p == '-' || *p == '+') {
		err_set(e, "'%s' under root '%s' holds '%.40s', not a hex number; the tree looks damaged (re-record it)",
			rel, r->path, s);
		return -EINVAL;
	}
	*ret = (unsigned)v;
	return 0;
}

int root_readlink(const struct root *r, const char *rel, char **ret)
{
	char target[PATH_MAX];
	/* resolve the parent only: the link itself is what we want */
	_cleanup_free_ char *dir = strdup(rel);
	if (!dir)
		return -ENOMEM;
	char *slash = strrchr(dir, '/');
	const char *base = slash ? rel + (slash - dir) + 1 : rel;
	if (slash)
		*slash = 0;
	_cleanup_close_ int dfd = open_resolved(r, slash ? dir : "", O_PATH | O_DIRECTORY, NULL);
	if (dfd < 0)
		return dfd;
	ssize_t n = readlinkat(dfd, base, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	*ret = strdup(target);
	return *ret ? 0 : -ENOMEM;
}

static int stat_resolved(const struct root *r, const char *rel, struct stat *st)
{
	_cleanup_close_ int fd = open_resolved(r, rel, O_PATH, NULL);
	if (fd < 0)
		return fd;
	return fstat(fd, st) < 0 ? -errno : 0;
}

bool root_exists(const struct root *r, const char *rel)
{
	struct stat st;
	return stat_resolved(r, rel, &st) == 0;
}

bool root_is_dir(const struct root *r, const char *rel)
{
	struct stat st;
	return stat_resolved(r, rel, &st) == 0 && S_ISDIR(st.st_mode);
}

int root_opendir(const struct root *r, const char *rel, DIR **ret, struct err *e)
{
	int fd = open_resolved(r, rel, O_RDONLY | O_DIRECTORY, e);
	if (fd < 0) {
		if (fd != -ENOENT && fd != -ENOTDIR && e && !e->msg[0])
			err_set(e, "cannot list '%s' under root '%s': %s", rel, r->path, strerror(-fd));
		return fd;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		int errsv = errno;
		close(fd);
		return -errsv;
	}
	*ret = d;
	return 0;
}

static int vcmp(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

int root_list(const struct root *r, const char *rel, char ***ret, size_t *ret_n, struct err *e)
{
	_cleanup_closedir_ DIR *d = NULL;
	int rc = root_opendir(r, rel, &d, e);
	if (rc < 0)
		return rc;
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				root_list_free(v, n);
				return -ENOMEM;
			}
			v = nv;
		}
		if (!(v[n] = strdup(de->d_name))) {
			root_list_free(v, n);
			return -ENOMEM;
		}
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), vcmp);
	*ret = v;
	*ret_n = n;
	return 0;
}

void root_list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
