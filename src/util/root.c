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
#include "util/root_int.h"

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
	char self[32], real[PATH_MAX];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", r->fd);
	ssize_t n = readlink(self, real, sizeof(real) - 1);
	if (n > 0 && real[0] == '/') {
		real[n] = 0;
		r->real = strdup(real);
	}
	return r->path ? 0 : -ENOMEM;
}

void root_close(struct root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	free(r->path);
	free(r->real);
	r->fd = -1;
	r->path = NULL;
	r->real = NULL;
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

int root_open_resolved(const struct root *r, const char *rel, int flags, struct err *e)
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

int root_check_regular(const struct root *r, int fd, const char *rel, struct err *e)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		err_set(e, "'%s' under root '%s' is not a regular file", rel, r->path);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	return 0;
}

int root_open_file(const struct root *r, const char *rel, struct err *e)
{
	/* O_NONBLOCK: a FIFO planted where a file should be must not hang us */
	_cleanup_close_ int fd = root_open_resolved(r, rel, O_RDONLY | O_NONBLOCK, e);
	if (fd < 0)
		return fd;
	int rc = root_check_regular(r, fd, rel, e);
	return rc < 0 ? rc : TAKE_FD(fd);
}

/* Read FD to its end into B (which may hold a first part already), up to MAX bytes in all. */
static int read_rest(const struct root *r, int fd, const char *rel, size_t max, struct buf *b, struct err *e)
{
	char chunk[4096];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int errsv = errno;
			err_set(e, "cannot read '%s' under root '%s': %s", rel, r->path, strerror(errsv));
			return -errsv;
		}
		if (n == 0)
			return b->oom ? -ENOMEM : 0;
		if (b->len + (size_t)n > max) {
			err_set(e, "'%s' under root '%s' is larger than %zu bytes; is this the right file?", rel, r->path, max);
			return -EFBIG;
		}
		buf_append(b, chunk, (size_t)n);
	}
}

int root_read_file(const struct root *r, const char *rel, size_t max, char **ret, size_t *ret_len, struct err *e)
{
	_cleanup_close_ int fd = root_open_file(r, rel, e);
	if (fd < 0) {
		if (fd != -ENOENT && e && !e->msg[0])
			err_set(e, "cannot read '%s' under root '%s': %s", rel, r->path, strerror(-fd));
		return fd;
	}
	_cleanup_buf_ struct buf b = {0};
	int rc = read_rest(r, fd, rel, max, &b, e);
	if (rc < 0)
		return rc;
	size_t len = b.len;
	*ret = buf_steal(&b);
	if (!*ret)
		return -ENOMEM;
	if (ret_len)
		*ret_len = len;
	return 0;
}

/* Attribute files are small: one read takes a sysfs attribute whole (the kernel hands it over
 * in its first read), and a short read of a regular file is its end, so the common case costs
 * one read and one allocation; a file that fills the first read is read on, up to 64 KiB.
 * Whether it is a regular file is asked (fstat) only when the read does not look like one
 * (an error, nothing, or a full buffer): a FIFO (opened O_NONBLOCK) reads nothing, a
 * directory fails, a device that streams fills the buffer, and each is refused as before. */
#define LINE_MAX_FILE (64 * 1024)

int root_read_line_fd(const struct root *r, int fd, const char *rel, char **ret, struct err *e)
{
	char first[512];
	ssize_t n;
	do
		n = read(fd, first, sizeof(first));
	while (n < 0 && errno == EINTR);
	if (n <= 0 || (size_t)n == sizeof(first)) {
		int rc = root_check_regular(r, fd, rel, e);
		if (rc < 0)
			return rc;
	}
	if (n < 0) {
		int errsv = errno;
		err_set(e, "cannot read '%s' under root '%s': %s", rel, r->path, strerror(errsv));
		return -errsv;
	}
	char *s;
	if ((size_t)n < sizeof(first)) {
		s = strndup(first, (size_t)n);
	} else {
		_cleanup_buf_ struct buf b = {0};
		buf_append(&b, first, (size_t)n);
		int rc = read_rest(r, fd, rel, LINE_MAX_FILE, &b, e);
		if (rc < 0)
			return rc;
		s = buf_steal(&b);
	}
	if (!s)
		return -ENOMEM;
	char *nl = strchr(s, '\n');
	if (nl)
		*nl = 0;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		s[--len] = 0;
	*ret = s;
	return 0;
}

int root_read_line(const struct root *r, const char *rel, char **ret, struct err *e)
{
	/* O_NONBLOCK: a FIFO planted where a file should be must not hang us */
	_cleanup_close_ int fd = root_open_resolved(r, rel, O_RDONLY | O_NONBLOCK, e);
	if (fd < 0) {
		if (fd != -ENOENT && e && !e->msg[0])
			err_set(e, "cannot read '%s' under root '%s': %s", rel, r->path, strerror(-fd));
		return fd;
	}
	return root_read_line_fd(r, fd, rel, ret, e);
}

static int hexdigit(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int root_parse_hex(const struct root *r, const char *rel, const char *s, unsigned *ret, struct err *e)
{
	const char *p = s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	unsigned long long v = 0;
	const char *q = p;
	for (int d; (d = hexdigit((unsigned char)*q)) >= 0 && v <= 0xffffffffULL; q++)
		v = v * 16 + (unsigned)d;
	if (q == p || *q || v > 0xffffffffULL) {
		err_set(e, "'%s' under root '%s' holds '%.40s', not a hex number; the tree looks damaged (re-record it)",
			rel, r->path, s);
		return -EINVAL;
	}
	*ret = (unsigned)v;
	return 0;
}

int root_read_hex(const struct root *r, const char *rel, unsigned *ret, struct err *e)
{
	_cleanup_free_ char *s = NULL;
	int rc = root_read_line(r, rel, &s, e);
	if (rc < 0)
		return rc;
	return root_parse_hex(r, rel, s, ret, e);
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
	_cleanup_close_ int dfd = root_open_resolved(r, slash ? dir : "", O_PATH | O_DIRECTORY, NULL);
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
	_cleanup_close_ int fd = root_open_resolved(r, rel, O_PATH, NULL);
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
	int fd = root_open_resolved(r, rel, O_RDONLY | O_DIRECTORY, e);
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
	int fd = root_open_resolved(r, rel, O_RDONLY | O_DIRECTORY, e);
	if (fd < 0) {
		if (fd != -ENOENT && fd != -ENOTDIR && e && !e->msg[0])
			err_set(e, "cannot list '%s' under root '%s': %s", rel, r->path, strerror(-fd));
		return fd;
	}
	return root_list_fd(fd, ret, ret_n);
}

/* getdents64 straight into names: no DIR (whose fdopendir costs an fstat and two fcntl). */
int root_list_fd(int fd, char ***ret, size_t *ret_n)
{
	_cleanup_close_ int dfd = fd;
	char **v = NULL;
	size_t n = 0, cap = 0;
	char ents[4096] __attribute__((aligned(8)));
	for (;;) {
		ssize_t got = getdents64(dfd, ents, sizeof(ents));
		if (got < 0) {
			int errsv = errno;
			if (errsv == EINTR)
				continue;
			root_list_free(v, n);
			return -errsv;
		}
		if (got == 0)
			break;
		for (ssize_t off = 0; off < got;) {
			struct dirent64 *de = (struct dirent64 *)(ents + off);
			off += de->d_reclen;
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
