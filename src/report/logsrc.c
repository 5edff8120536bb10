#include "report/logsrc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"

extern char **environ;

static struct log_source *add_source(struct log_scan *ls, const char *name, enum log_kind kind)
{
	struct log_source *v = realloc(ls->v, (ls->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	ls->v = v;
	struct log_source *s = &ls->v[ls->n];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	if (!(s->name = strdup(name)))
		return NULL;
	ls->n++;
	return s;
}

static void set_note(struct log_source *s, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_note(struct log_source *s, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(s->note);
	if (vasprintf(&s->note, fmt, ap) < 0)
		s->note = NULL;
	va_end(ap);
	s->error = error;
}

/* Scan an open FD as source S. */
static int scan_fd(struct log_scan *ls, struct log_source *s, int fd)
{
	struct err e = {0};
	_cleanup_free_ struct logscan *scp = malloc(sizeof(*scp));   /* the line buffer stays off the stack */
	if (!scp)
		return -ENOMEM;
	logscan_init(scp, ls->sigs, s->kind, s->name, &ls->findings);
	scp->on_line = ls->on_line;
	scp->on_line_literals = ls->on_line_literals;
	scp->on_line_head = ls->on_line_head;
	scp->user = ls->user;
	int rc = logscan_fd(scp, fd, &e);
	s->st = scp->st;
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0)
		set_note(s, rc, "%s", e.msg);
	return 0;
}

/* Owner of the directory HOME under the root (a user's home), or -1. */
static long home_owner(const struct root *r, const char *home)
{
	DIR *d = NULL;
	struct err e = {0};
	struct stat st;
	if (root_opendir(r, home, &d, &e) < 0 || !d)
		return -1;
	long uid = fstat(dirfd(d), &st) == 0 ? (long)st.st_uid : -1;
	closedir(d);
	return uid;
}

/* REL, a log under the root; HOME ("home/USER", "root") when it lies in a user's tree: read as
 * root, it must stay in that tree (a link to /etc/shadow is not the user's log) and belong to
 * the user who owns it (a hard link to someone else's file is not theirs either). */
static int scan_root_file(struct log_scan *ls, const struct root *r, const char *rel, enum log_kind kind, const char *home)
{
	struct err e = {0};
	_cleanup_free_ char *resolved = NULL;
	const char *why = NULL;
	if (home) {
		int rr = root_resolve(r, rel, &resolved, &e);
		if (rr == -ENOENT || rr == -ENOTDIR)
			return 0;
		size_t hl = strlen(home);
		if (rr < 0 || strncmp(resolved, home, hl) != 0 || resolved[hl] != '/')
			why = "a symbolic link out of the user's directory, skipped (never followed as root)";
	}
	int fd = why ? -EPERM : root_open_file(r, resolved ? resolved : rel, &e);
	if (fd == -ENOENT || fd == -ENOTDIR)
		return 0;
	struct stat st;
	long owner = home && fd >= 0 ? home_owner(r, home) : -1;
	if (home && fd >= 0 && (fstat(fd, &st) < 0 || owner < 0 || (long)st.st_uid != owner)) {
		close(fd);
		fd = -EPERM;
		why = "not owned by the user whose directory holds it, skipped";
	}
	struct log_source *s = add_source(ls, rel, kind);
	if (!s) {
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	if (fd < 0) {
		if (why)
			set_note(s, fd, "%s", why);
		else if (fd == -EINVAL || fd == -EISDIR)
			set_note(s, fd, "not a regular file, skipped");
		else
			set_note(s, fd, "cannot open: %s, skipped", strerror(-fd));
		return 0;
	}
	int rc = scan_fd(ls, s, fd);
	close(fd);
	return rc;
}

static bool is_xorg_log(const char *name)
{
	return fnmatch("Xorg.*.log", name, 0) == 0 || fnmatch("Xorg.*.log.old", name, 0) == 0;
}

static int scan_xorg_dir(struct log_scan *ls, const struct root *r, const char *dir, const char *home)
{
	char **names = NULL;
	size_t n = 0;
	struct err e = {0};
	if (root_list(r, dir, &names, &n, &e) < 0)
		return 0;
	int rc = 0;
	/* Xorg.0.log before Xorg.0.log.old: versionsort already orders them so */
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!is_xorg_log(names[i]))
			continue;
		_cleanup_free_ char *rel = NULL;
		if (asprintf(&rel, "%s/%s", dir, names[i]) < 0) {
			rc = -ENOMEM;
			break;
		}
		rc = scan_root_file(ls, r, rel, LOG_XORG, home);
	}
	root_list_free(names, n);
	return rc;
}

int logsrc_scan_root(struct log_scan *ls, const struct root *r)
{
	int rc;
	if ((rc = scan_xorg_dir(ls, r, "var/log", NULL)) < 0)
		return rc;
	if ((rc = scan_root_file(ls, r, "var/log/kern.log", LOG_KERNEL, NULL)) < 0)
		return rc;
	if ((rc = scan_root_file(ls, r, "var/log/dmesg", LOG_KERNEL, NULL)) < 0)
		return rc;
	char **users = NULL;
	size_t n = 0;
	struct err e = {0};
	if (root_list(r, "home", &users, &n, &e) == 0) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			_cleanup_free_ char *dir = NULL, *home = NULL;
			if (asprintf(&dir, "home/%s/.local/share/xorg", users[i]) < 0 || asprintf(&home, "home/%s", users[i]) < 0)
				rc = -ENOMEM;
			else
				rc = scan_xorg_dir(ls, r, dir, home);
		}
		root_list_free(users, n);
		if (rc < 0)
			return rc;
	}
	return scan_xorg_dir(ls, r, "root/.local/share/xorg", "root");
}

int logsrc_scan_path(struct log_scan *ls, const char *path, struct err *e)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int errsv = errno;
		err_set(e, "cannot open log '%s': %s", path, strerror(errsv));
		return -errsv;
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		err_set(e, "log '%s' is not a regular file; save the log to a file first (e.g. 'journalctl -b > log.txt') and pass that",
			path);
		return -EINVAL;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	struct log_source *s = add_source(ls, path, LOG_ANY);
	if (!s)
		return -ENOMEM;
	return scan_fd(ls, s, fd);
}

/* journalctl -k -b: the current boot's kernel messages, including early boot ones that the
 * ring buffer may have lost. Returns lines read, or -errno when journalctl could not run. */
static int scan_journal(struct log_scan *ls, struct log_source *s)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	char *argv[] = { "journalctl", "-k", "-b", "--no-pager", "-q", "-o", "short", NULL };
	pid_t pid;
	int rc = posix_spawnp(&pid, "journalctl", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return -rc;
	}
	rc = scan_fd(ls, s, pipefd[0]);
	close(pipefd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc < 0)
		return rc;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		set_note(s, -EIO, "journalctl exited with status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

static int scan_kmsg(struct log_scan *ls, struct log_source *s)
{
	_cleanup_close_ int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	_cleanup_free_ struct logscan *sc = malloc(sizeof(*sc));
	if (!sc)
		return -ENOMEM;
	logscan_init(sc, ls->sigs, LOG_KERNEL, s->name, &ls->findings);
	sc->on_line = ls->on_line;
	sc->on_line_literals = ls->on_line_literals;
	sc->on_line_head = ls->on_line_head;
	sc->user = ls->user;
	char rec[8192];
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec));
		if (n < 0) {
			if (errno == EINTR || errno == EPIPE)  /* EPIPE: records overwritten while reading */
				continue;
			if (errno != EAGAIN)
				set_note(s, -errno, "read stopped: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		logscan_kmsg_record(sc, rec, (size_t)n);
	}
	int rc = logscan_finish(sc);
	s->st = sc->st;
	return rc == -ENOMEM ? rc : 0;
}

int logsrc_scan_live(struct log_scan *ls)
{
	struct log_source *s = add_source(ls, "journalctl -k -b", LOG_KERNEL);
	if (!s)
		return -ENOMEM;
	size_t js = ls->n - 1;   /* index: add_source may move the array */
	int rc = scan_journal(ls, s);
	if (rc == -ENOMEM)
		return rc;
	if (rc == 0 && s->st.lines > 0)
		return 0;
	if (rc < 0)
		set_note(s, rc, "cannot run journalctl: %s; reading /dev/kmsg instead", strerror(-rc));
	else if (!s->note)
		set_note(s, -ENODATA, "no kernel messages from the journal (no permission, or no journal); reading /dev/kmsg instead");
	struct log_source *k = add_source(ls, "/dev/kmsg", LOG_KERNEL);
	if (!k)
		return -ENOMEM;
	rc = scan_kmsg(ls, k);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0)
		set_note(k, rc, "cannot read the kernel ring buffer: %s; run as root, or pass 'dmesg' output with --log",
			 strerror(-rc));
	else
		ls->v[js].error = 0;   /* the ring buffer stood in: the journal's note is information */
	return 0;
}

void log_scan_clear(struct log_scan *ls)
{
	findings_clear(&ls->findings);
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->v[i].name);
		free(ls->v[i].note);
	}
	free(ls->v);
	ls->v = NULL;
	ls->n = 0;
}
