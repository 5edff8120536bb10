#include "util/mapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

int mapfile_open(struct mapfile *m, const char *path, struct err *e)
{
	*m = (struct mapfile){0};
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int r = errno;
		err_set(e, "cannot open '%s': %s", path, strerror(r));
		return -r;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, "'%s' is not a regular file", path);
		return -EINVAL;
	}
	if (st.st_size == 0)
		return 0;
	if ((uint64_t)st.st_size > SIZE_MAX) {
		err_set(e, "'%s' is too large to map", path);
		return -EFBIG;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		int r = errno;
		err_set(e, "cannot map '%s' (%lld bytes): %s", path, (long long)st.st_size, strerror(r));
		return -r;
	}
	m->data = p;
	m->len = (size_t)st.st_size;
	return 0;
}

void mapfile_close(struct mapfile *m)
{
	if (m->data)
		munmap((void *)m->data, m->len);
	*m = (struct mapfile){0};
}
