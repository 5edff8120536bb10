/* A directory under the root held open: its files are opened by name beneath it. */
#include "util/root.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/root_int.h"

int root_dir_open(const struct root *r, const char *rel, struct root_dir *d, struct err *e)
{
	d->r = r;
	d->fd = -1;
	d->rel = NULL;
	int fd = root_open_resolved(r, rel, O_PATH | O_DIRECTORY, e);
	if (fd < 0)
		return fd;
	if (!(d->rel = strdup(rel))) {
		close(fd);
		return -ENOMEM;
	}
	d->fd = fd;
	return 0;
}

void root_dir_close(struct root_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	free(d->rel);
	d->fd = -1;
	d->rel = NULL;
}

/* "DIR/NAME", the file's path under the root, for messages and the way round. */
static char *join(const struct root_dir *d, const char *name)
{
	size_t a = strlen(d->rel), b = strlen(name);
	char *p = malloc(a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, d->rel, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

/* NAME resolved beneath D in one lookup. A symlink that leads out of D (EXDEV: a '..' past D or
 * an absolute target), a loop, or a kernel without openat2 takes the root's own way, from the
 * top: the same file root_open_resolved would open for DIR/NAME, so D never widens the root. */
static int open_at(const struct root_dir *d, const char *name, const char *rel, int flags, struct err *e)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, d->fd, name, &how, sizeof(how));
	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENOTDIR || errno == EACCES)
		return -errno;
	return root_open_resolved(d->r, rel, flags, e);
}

int root_dir_read_line(const struct root_dir *d, const char *name, char **ret, struct err *e)
{
	_cleanup_free_ char *rel = join(d, name);
	if (!rel)
		return -ENOMEM;
	/* O_NONBLOCK: a FIFO planted where a file should be must not hang us */
	_cleanup_close_ int fd = open_at(d, name, rel, O_RDONLY | O_NONBLOCK, e);
	if (fd < 0) {
		if (fd != -ENOENT && e && !e->msg[0])
			err_set(e, "cannot read '%s' under root '%s': %s", rel, d->r->path, strerror(-fd));
		return fd;
	}
	return root_read_line_fd(d->r, fd, rel, ret, e);
}

int root_dir_read_hex(const struct root_dir *d, const char *name, unsigned *ret, struct err *e)
{
	_cleanup_free_ char *s = NULL;
	int rc = root_dir_read_line(d, name, &s, e);
	if (rc < 0)
		return rc;
	_cleanup_free_ char *rel = join(d, name);
	return rel ? root_parse_hex(d->r, rel, s, ret, e) : -ENOMEM;
}

int root_dir_readlink(const struct root_dir *d, const char *name, char **ret)
{
	char target[PATH_MAX];
	if (strchr(name, '/'))
		return -EINVAL;
	ssize_t n = readlinkat(d->fd, name, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	*ret = strdup(target);
	return *ret ? 0 : -ENOMEM;
}

bool root_dir_exists(const struct root_dir *d, const char *name)
{
	_cleanup_free_ char *rel = join(d, name);
	if (!rel)
		return false;
	_cleanup_close_ int fd = open_at(d, name, rel, O_PATH, NULL);
	return fd >= 0;
}

ssize_t root_dir_read_small(const struct root_dir *d, const char *name, char *buf, size_t size)
{
	if (size < 2)
		return -EINVAL;
	_cleanup_free_ char *rel = join(d, name);
	if (!rel)
		return -ENOMEM;
	_cleanup_close_ int fd = open_at(d, name, rel, O_RDONLY | O_NONBLOCK, NULL);
	if (fd < 0)
		return fd;
	ssize_t n;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n == size - 1)
		return -EFBIG;
	buf[n] = 0;
	return n;
}

int root_dir_list(const struct root_dir *d, const char *name, char ***ret, size_t *ret_n, struct err *e)
{
	_cleanup_free_ char *rel = join(d, name);
	if (!rel)
		return -ENOMEM;
	int fd = open_at(d, name, rel, O_RDONLY | O_DIRECTORY, e);
	if (fd < 0) {
		if (fd != -ENOENT && fd != -ENOTDIR && e && !e->msg[0])
			err_set(e, "cannot list '%s' under root '%s': %s", rel, d->r->path, strerror(-fd));
		return fd;
	}
	return root_list_fd(fd, ret, ret_n);
}

int root_dir_resolved(const struct root_dir *d, char **ret, struct err *e)
{
	/* The kernel's name of the open directory less the root's: one readlink instead of a walk
	 * (lstat and readlink per component). Both names come from the kernel, for descriptors
	 * opened inside the root; anything unexpected (no /proc, the root not a prefix) takes the
	 * walk. */
	if (d->r->real) {
		char self[32], path[PATH_MAX];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", d->fd);
		ssize_t n = readlink(self, path, sizeof(path) - 1);
		size_t rl = strlen(d->r->real);
		if (n > 0 && (size_t)n < sizeof(path) - 1) {
			path[n] = 0;
			const char *rest = NULL;
			if (strcmp(d->r->real, "/") == 0 && path[0] == '/')
				rest = path + 1;
			else if ((size_t)n >= rl && memcmp(path, d->r->real, rl) == 0 && (path[rl] == '/' || !path[rl]))
				rest = path[rl] ? path + rl + 1 : path + rl;
			if (rest && !strstr(rest, " (deleted)")) {
				*ret = strdup(rest);
				return *ret ? 0 : -ENOMEM;
			}
		}
	}
	return root_resolve(d->r, d->rel, ret, e);
}
