/* Existing Xorg configuration (the lines that decide topology) and the server version. */
#include "probe/probe.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"

static const char *const keywords[] = {
	"Section", "EndSection", "SubSection", "EndSubSection", "Identifier", "Driver", "BusID",
	"MatchDriver", "MatchIsPCI", "Screen", "Inactive", "Device", "GPUDevice", "Option",
};

static bool wanted(const char *line)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(*keywords); i++) {
		size_t n = strlen(keywords[i]);
		if (strncasecmp(line, keywords[i], n) == 0 && (!line[n] || isspace((unsigned char)line[n])))
			return true;
	}
	return false;
}

int probe_xorg_parse(char *text, const char *rel, struct xorg_file *f)
{
	memset(f, 0, sizeof(*f));
	if (!(f->path = strdup(rel)))
		return -ENOMEM;
	unsigned lineno = 0;
	for (char *line = text; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		lineno++;
		if (lineno <= 3 && strstr(line, OG_HEADER_MARK))
			f->ours = true;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		while (isspace((unsigned char)*line))
			line++;
		size_t n = strlen(line);
		while (n && isspace((unsigned char)line[n - 1]))
			line[--n] = 0;
		if (n && wanted(line)) {
			struct xorg_line *l = realloc(f->lines, (f->n_lines + 1) * sizeof(*l));
			if (!l)
				return -ENOMEM;
			f->lines = l;
			l[f->n_lines].line = lineno;
			if (!(l[f->n_lines].text = strdup(line)))
				return -ENOMEM;
			f->n_lines++;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}


static int add_file(const struct root *r, struct snapshot *s, const char *rel, struct err *e)
{
	_cleanup_free_ char *text = NULL;
	struct err fe = {0};
	int rc = root_read_file(r, rel, 1u << 20, &text, NULL, &fe);
	if (rc == -ENOENT)
		return 0;
	if (rc == -EFBIG || rc == -EINVAL || rc == -EISDIR || rc == -ELOOP) {
		/* a FIFO, directory, link loop or huge file where a .conf should be: X would not use
		 * it either; recorded, and the probe goes on */
		const char *why = rc == -EFBIG ? "larger than 1 MiB, not read" : rc == -EISDIR ? "a directory"
				  : rc == -ELOOP ? "a symbolic link loop" : "not a regular file (a FIFO, device or socket)";
		char *note = NULL;
		if (asprintf(&note, "%s: %s", rel, why) < 0)
			return -ENOMEM;
		return strv_push_take(&s->skipped, note);   /* frees NOTE on failure */
	}
	if (rc < 0) {
		err_set(e, "%s", fe.msg);
		return rc;
	}
	struct xorg_file *v = realloc(s->xorg, (s->n_xorg + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->xorg = v;
	return probe_xorg_parse(text, rel, &s->xorg[s->n_xorg++]);
}

static int add_dir(const struct root *r, struct snapshot *s, const char *dir, struct err *e)
{
	char **names = NULL;
	size_t n = 0;
	int rc = root_list(r, dir, &names, &n, e);
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		size_t l = strlen(names[i]);
		if (l < 6 || strcmp(names[i] + l - 5, ".conf") != 0)
			continue;
		_cleanup_free_ char *p = NULL;
		if (asprintf(&p, "%s/%s", dir, names[i]) < 0)
			rc = -ENOMEM;
		else
			rc = add_file(r, s, p, e);
	}
	root_list_free(names, n);
	return rc < 0 ? rc : 0;
}

/* Open REL when it is newer than *best (by mtime): *best_fd then owns it. */
static void newer_log(const struct root *r, const char *rel, int *best_fd, struct timespec *best)
{
	struct err ignore = {0};
	int fd = root_open_file(r, rel, &ignore);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && (*best_fd < 0 || st.st_mtim.tv_sec > best->tv_sec ||
				    (st.st_mtim.tv_sec == best->tv_sec && st.st_mtim.tv_nsec > best->tv_nsec))) {
		if (*best_fd >= 0)
			close(*best_fd);
		*best_fd = fd;
		*best = st.st_mtim;
		return;
	}
	close(fd);
}

/* Apart from read_version, so that its 8 KiB buffer is not beneath the calls that find the
 * log (stack pages touched once stay in the boot's peak RSS). */
static __attribute__((noinline)) void version_from_head(int fd, struct snapshot *s)
{
	char head[8192];
	ssize_t len = read(fd, head, sizeof(head) - 1);
	if (len <= 0)
		return;
	head[len] = 0;
	const char *p = strstr(head, "X.Org X Server ");
	if (!p)
		return;
	p += strlen("X.Org X Server ");
	size_t vl = strspn(p, "0123456789.");
	if (vl)
		s->env.xorg_version = strndup(p, vl); /* NULL (unknown) when out of memory */
}

/* The X server's version from the newest display-0 log: the system log (var/log) or a
 * rootless server's (home/USER/.local/share/xorg, root/.local/share/xorg), the places
 * report scans. */
static int read_version(const struct root *r, struct snapshot *s)
{
	_cleanup_close_ int fd = -1;
	struct timespec best = {0};
	newer_log(r, "var/log/Xorg.0.log", &fd, &best);
	newer_log(r, "root/.local/share/xorg/Xorg.0.log", &fd, &best);
	char **users = NULL;
	size_t n = 0;
	struct err ignore = {0};
	if (root_list(r, "home", &users, &n, &ignore) == 0) {
		for (size_t i = 0; i < n; i++) {
			_cleanup_free_ char *rel = NULL;
			if (asprintf(&rel, "home/%s/.local/share/xorg/Xorg.0.log", users[i]) < 0)
				break;
			newer_log(r, rel, &fd, &best);
		}
		root_list_free(users, n);
	}
	if (fd >= 0)
		version_from_head(fd, s);
	return 0;
}

int probe_xorg(const struct root *r, struct snapshot *s, struct err *e)
{
	int rc;
	if ((rc = add_file(r, s, "etc/X11/xorg.conf", e)) < 0 ||
	    (rc = add_dir(r, s, "etc/X11/xorg.conf.d", e)) < 0 ||
	    (rc = add_dir(r, s, "usr/share/X11/xorg.conf.d", e)) < 0)
		return rc;
	return read_version(r, s);
}
