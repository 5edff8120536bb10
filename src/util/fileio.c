#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

int file_read_all(const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* straight into one buffer the size of the file (no bounce through the stack, no
	 * doubling as it fills); a pipe or a file that grows takes a larger buffer as it comes */
	struct stat st;
	/* + 2: the NUL, and room for the read that finds the end without growing the buffer */
	size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size < max ? (size_t)st.st_size + 2 : 4096;
	size_t len = 0;
	_cleanup_free_ char *s = malloc(cap);
	if (!s)
		return -ENOMEM;
	for (;;) {
		if (len + 1 == cap) {
			if (cap > max)
				return -EFBIG;
			size_t ncap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			char *ns = realloc(s, ncap);
			if (!ns)
				return -ENOMEM;
			s = ns;
			cap = ncap;
		}
		ssize_t n = read(fd, s + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return -EFBIG;
	}
	s[len] = 0;
	*ret_len = len;
	*ret = TAKE_PTR(s);
	return 0;
}

static const char *kind_name(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISLNK(m) ? "a symbolic link" : S_ISCHR(m) ? "a character device"
	       : S_ISBLK(m) ? "a block device" : S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* lstat PATH: 0 absent, 1 a regular file (*ST filled), -errno refused with E set. */
static int output_lstat(const char *path, struct stat *st, struct err *e)
{
	if (lstat(path, st) < 0) {
		if (errno == ENOENT)
			return 0;
		int errsv = errno;
		err_set(e, "cannot write '%s': %s", path, strerror(errsv));
		return -errsv;
	}
	if (S_ISREG(st->st_mode))
		return 1;
	const char *what = kind_name(st->st_mode);
	if (S_ISDIR(st->st_mode)) {
		err_set(e, "'%s' is a directory; name a file to write (it is left alone)", path);
		return -EISDIR;
	}
	if (S_ISLNK(st->st_mode)) {
		err_set(e, "'%s' is a symbolic link, which is never followed; name the file itself, "
			   "or remove the link (it is left alone)", path);
		return -ELOOP;
	}
	err_set(e, "'%s' is %s, not a regular file; name a regular file, or '-' for standard output "
		   "(it is left alone)", path, what);
	return -EPERM;
}

int file_output_check(const char *path, struct err *e)
{
	struct stat st;
	int rc = output_lstat(path, &st, e);
	return rc < 0 ? rc : 0;
}

void file_output_abort(const char *tmp)
{
	if (tmp)
		unlink(tmp);
}

int file_output_prepare(const char *path, const void *data, size_t len, char **tmp_ret, struct err *e)
{
	struct stat st;
	int kind = output_lstat(path, &st, e);
	if (kind < 0)
		return kind;
	_cleanup_free_ char *dcopy = strdup(path), *bcopy = strdup(path);
	_cleanup_free_ char *tmp = NULL;
	if (!dcopy || !bcopy)
		return -ENOMEM;
	const char *dir = dirname(dcopy);
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, basename(bcopy)) < 0)
		return -ENOMEM;
	int fd = mkostemp(tmp, O_CLOEXEC);   /* O_EXCL: a new file, never one planted there */
	if (fd < 0) {
		int errsv = errno;
		err_set(e, "cannot write '%s': cannot create a file in '%s': %s", path, dir, strerror(errsv));
		return -errsv;
	}
	int rc = 0;
	for (size_t off = 0; off < len && rc == 0;) {
		ssize_t n = write(fd, (const char *)data + off, len - off);
		if (n < 0 && errno != EINTR)
			rc = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (rc == 0 && fchmod(fd, kind == 1 ? (st.st_mode & 0777) : 0644) < 0)
		rc = -errno;
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		err_set(e, "cannot write '%s': %s", path, strerror(-rc));
		return rc;
	}
	*tmp_ret = TAKE_PTR(tmp);
	return 0;
}

int file_output_commit(const char *path, const char *tmp, struct err *e)
{
	struct stat st;
	int kind = output_lstat(path, &st, e);   /* again: what is there now */
	int rc = 0;
	if (kind < 0) {
		rc = kind;
	} else if (kind == 1) {
		if (rename(tmp, path) < 0)
			rc = -errno;
	} else if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) < 0) {
		rc = -errno;
		if (rc == -EINVAL) {   /* a file system without RENAME_NOREPLACE: link is exclusive too */
			rc = link(tmp, path) < 0 ? -errno : 0;
			if (rc == 0)
				unlink(tmp);
		}
		if (rc == -EEXIST)
			err_set(e, "cannot write '%s': something was created there meanwhile (it is left alone)", path);
	}
	if (rc < 0) {
		unlink(tmp);
		if (!e->msg[0])
			err_set(e, "cannot write '%s': %s", path, strerror(-rc));
		return rc;
	}
	_cleanup_free_ char *dcopy = strdup(path);
	_cleanup_close_ int dfd = dcopy ? open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (dfd >= 0)
		(void)fsync(dfd);
	return 0;
}

int file_output(const char *path, const void *data, size_t len, struct err *e)
{
	_cleanup_free_ char *tmp = NULL;
	int rc = file_output_prepare(path, data, len, &tmp, e);
	return rc < 0 ? rc : file_output_commit(path, tmp, e);
}
