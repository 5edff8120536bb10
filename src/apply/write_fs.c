#include "apply/write_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cleanup.h"

static int fail(struct err *e, int errsv, const char *fmt, const char *a, const char *b)
{
	char what[768];
	snprintf(what, sizeof(what), fmt, a, b);
	err_set(e, "%s: %s", what, strerror(errsv));
	return -errsv;
}

/* Open one component COMP of a walk: never through a symlink. */
static int open_component(int dir_fd, const char *comp, const char *shown, const char *root_name, struct err *e)
{
	struct stat st;
	if (fstatat(dir_fd, comp, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;  /* ENOENT handled by the caller */
	if (S_ISLNK(st.st_mode)) {
		char target[512] = "";
		ssize_t n = readlinkat(dir_fd, comp, target, sizeof(target) - 1);
		if (n > 0)
			target[n] = 0;
		err_set(e, "'%s' under root '%s' is a symbolic link (to '%s'); optimus-guest never writes through "
			"a symlink: make it a real directory, or point --root at the tree that holds it", shown,
			root_name, target);
		return -ELOOP;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_set(e, "'%s' under root '%s' is not a directory; move it away so optimus-guest can create it", shown,
			root_name);
		return -ENOTDIR;
	}
	int fd = openat(dir_fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int errsv = errno;
		if (errsv == ELOOP || errsv == ENOTDIR)
			err_set(e, "'%s' under root '%s' changed into a symlink or a file while being opened; run again", shown,
				root_name);
		else
			fail(e, errsv, "cannot open directory '%s' under root '%s'", shown, root_name);
		return -errsv;
	}
	return fd;
}

int wfs_open_dir(int root_fd, const char *root_name, const char *rel, bool create, struct strv *created,
		 int *ret_fd, struct err *e)
{
	_cleanup_free_ char *copy = strdup(rel);
	struct buf shown = {0};
	int fd = -1, rc = 0;

	if (!copy)
		return -ENOMEM;
	fd = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return fail(e, errno, "cannot use root '%s'%s", root_name, "");
	char *save = NULL;
	for (char *comp = strtok_r(copy, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
			err_set(e, "internal: path '%s' has a '%s' component", rel, comp);
			rc = -EINVAL;
			break;
		}
		buf_printf(&shown, "%s%s", shown.len ? "/" : "", comp);
		int nfd = open_component(fd, comp, shown.s, root_name, e);
		if (nfd == -ENOENT && create) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
				rc = fail(e, errno, "cannot create directory '%s' under root '%s'", shown.s, root_name);
				break;
			}
			/* recorded at once, so that an undo removes it whatever fails next */
			if (created && (rc = strv_push(created, shown.s)) < 0)
				break;
			nfd = open_component(fd, comp, shown.s, root_name, e);
			if (nfd >= 0) {
				/* the umask may have taken bits away */
				if (fchmod(nfd, 0755) < 0 || fsync(fd) < 0) {
					rc = fail(e, errno, "cannot set up new directory '%s' under root '%s'", shown.s, root_name);
					close(nfd);
					break;
				}
			}
		}
		if (nfd < 0) {
			rc = nfd;
			break;
		}
		close(fd);
		fd = nfd;
	}
	buf_free(&shown);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	*ret_fd = fd;
	return 0;
}

int wfs_read(int dir_fd, const char *name, size_t max, char **ret, size_t *ret_len, struct stat *ret_st,
	     const char *where, struct err *e)
{
	_cleanup_close_ int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0) {
		int errsv = errno;
		if (errsv == ENOENT)
			return -ENOENT;
		if (errsv == ELOOP) {
			err_set(e, "'%s/%s' is a symbolic link; optimus-guest only manages regular files: move it away",
				where, name);
			return -ELOOP;
		}
		return fail(e, errsv, "cannot open '%s/%s'", where, name);
	}
	if (fstat(fd, &st) < 0)
		return fail(e, errno, "cannot stat '%s/%s'", where, name);
	if (!S_ISREG(st.st_mode)) {
		err_set(e, "'%s/%s' is not a regular file; move it away", where, name);
		return -EINVAL;
	}
	if ((size_t)st.st_size > max) {
		err_set(e, "'%s/%s' is %lld bytes, more than the %zu a configuration snippet can be; move it away",
			where, name, (long long)st.st_size, max);
		return -EFBIG;
	}
	char *data = malloc((size_t)st.st_size + 1);
	size_t len = 0;
	if (!data)
		return -ENOMEM;
	for (;;) {
		if (len == (size_t)st.st_size + 1)
			break;  /* grew while reading: caught below */
		ssize_t n = read(fd, data + len, (size_t)st.st_size + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int errsv = errno;
			free(data);
			return fail(e, errsv, "cannot read '%s/%s'", where, name);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > (size_t)st.st_size) {
		free(data);
		err_set(e, "'%s/%s' changed while being read; run again", where, name);
		return -EAGAIN;
	}
	data[len] = 0;
	*ret = data;
	*ret_len = len;
	if (ret_st)
		*ret_st = st;
	return 0;
}

static int temp_name(const char *name, char *out, size_t size)
{
	int n = snprintf(out, size, ".%s.tmp", name);
	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

bool wfs_is_temp_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' && strstr(name, "optimus-guest") && n > 5 && strcmp(name + n - 4, ".tmp") == 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int wfs_write_atomic(int dir_fd, const char *name, const void *data, size_t len, const struct wfs_meta *meta,
		     const char *where, struct err *e)
{
	char tmp[512];
	int fd, rc;

	if (temp_name(name, tmp, sizeof(tmp)) < 0) {
		err_set(e, "file name '%s' is too long", name);
		return -ENAMETOOLONG;
	}
	fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno == EEXIST) {
		/* left by a run that was killed: ours by name, and we hold the lock */
		(void)unlinkat(dir_fd, tmp, 0);
		fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	}
	if (fd < 0)
		return fail(e, errno, "cannot create a temporary file '%s' in '%s'", tmp, where);

	const char *step = "write";
	rc = write_all(fd, data, len);
	if (rc == 0) {
		step = "set the mode of";
		rc = fchmod(fd, meta->mode) < 0 ? -errno : 0;
	}
	if (rc == 0 && meta->owner) {
		step = "set the owner of";
		rc = fchown(fd, meta->uid, meta->gid) < 0 ? -errno : 0;
	}
	if (rc == 0 && meta->times) {
		struct timespec ts[2] = { meta->mtime, meta->mtime };
		step = "set the time of";
		rc = futimens(fd, ts) < 0 ? -errno : 0;
	}
	if (rc == 0) {
		step = "flush";
		rc = fsync(fd) < 0 ? -errno : 0;
	}
	if (close(fd) < 0 && rc == 0) {
		step = "close";
		rc = -errno;
	}
	if (rc == 0) {
		step = "rename into place";
		rc = renameat(dir_fd, tmp, dir_fd, name) < 0 ? -errno : 0;
	}
	if (rc < 0) {
		(void)unlinkat(dir_fd, tmp, 0);
		char what[600];
		snprintf(what, sizeof(what), "cannot %s '%s/%s'", step, where, name);
		err_set(e, "%s: %s; the file was left as it was", what, strerror(-rc));
		return rc;
	}
	if (fsync(dir_fd) < 0) {
		int errsv = errno;
		err_set(e, "wrote '%s/%s' but cannot flush the directory: %s", where, name, strerror(errsv));
		return -errsv;
	}
	return 0;
}

int wfs_remove(int dir_fd, const char *name, const char *where, struct err *e)
{
	if (unlinkat(dir_fd, name, 0) < 0) {
		if (errno == ENOENT)
			return 0;
		return fail(e, errno, "cannot remove '%s/%s'", where, name);
	}
	if (fsync(dir_fd) < 0)
		return fail(e, errno, "removed '%s/%s' but cannot flush the directory", where, name);
	return 0;
}

int wfs_rmdir(int root_fd, const char *rel, struct err *e)
{
	_cleanup_free_ char *copy = strdup(rel);
	if (!copy)
		return -ENOMEM;
	char *slash = strrchr(copy, '/');
	int parent = -1, rc;
	const char *leaf = copy;
	if (slash) {
		*slash = 0;
		leaf = slash + 1;
		rc = wfs_open_dir(root_fd, "", copy, false, NULL, &parent, e);
		if (rc < 0)
			return rc == -ENOENT ? 0 : rc;
	} else {
		parent = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
		if (parent < 0)
			return -errno;
	}
	rc = unlinkat(parent, leaf, AT_REMOVEDIR) < 0 ? -errno : 0;
	if (rc == 0)
		rc = fsync(parent) < 0 ? -errno : 0;
	close(parent);
	if (rc == -ENOENT || rc == -ENOTEMPTY || rc == -EEXIST)
		return rc;
	if (rc < 0)
		err_set(e, "cannot remove directory '%s': %s", rel, strerror(-rc));
	return rc;
}

int wfs_missing(int root_fd, const char *rel, struct strv *ret)
{
	_cleanup_free_ char *copy = strdup(rel);
	if (!copy)
		return -ENOMEM;
	for (char *p = copy;;) {
		char *slash = strchr(p, '/');
		if (slash)
			*slash = 0;
		struct stat st;
		if (fstatat(root_fd, copy, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				return -errno;
			int rc = strv_push(ret, copy);
			if (rc < 0)
				return rc;
		}
		if (!slash)
			return 0;
		*slash = '/';
		p = slash + 1;
	}
}
