#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cleanup.h"

int file_read_all(const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	struct buf b = {0};
	char chunk[65536];
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int errsv = errno;
			buf_free(&b);
			return -errsv;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			buf_free(&b);
			return -EFBIG;
		}
		buf_append(&b, chunk, (size_t)n);
	}
	*ret_len = b.len;
	*ret = b.s ? buf_steal(&b) : strdup("");
	return *ret ? 0 : -ENOMEM;
}

int file_write_atomic(const char *path, const void *data, size_t len, struct err *e)
{
	_cleanup_free_ char *dcopy = strdup(path), *bcopy = strdup(path), *tmp = NULL;
	if (!dcopy || !bcopy)
		return -ENOMEM;
	const char *dir = dirname(dcopy);
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, basename(bcopy)) < 0)
		return -ENOMEM;
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		int errsv = errno;
		err_set(e, "cannot create a file in '%s': %s", dir, strerror(errsv));
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
	if (rc == 0 && fchmod(fd, 0644) < 0)
		rc = -errno;
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		err_set(e, "cannot write '%s': %s", path, strerror(-rc));
		return rc;
	}
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		(void)fsync(dfd);
	return 0;
}
