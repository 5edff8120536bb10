/* Start and stop a throwaway X server (Xvfb) for the live RandR tests. */
#pragma once
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct xserver {
	pid_t pid;
	char display[24];
};

static inline void xserver_stop(struct xserver *x)
{
	if (x->pid > 0) {
		kill(x->pid, SIGKILL);
		waitpid(x->pid, NULL, 0);
	}
	x->pid = 0;
}

/* 0 when running; -1 when Xvfb could not start (the caller skips). */
static inline int xserver_start(struct xserver *x)
{
	int p[2];
	if (access("/usr/bin/Xvfb", X_OK) != 0 || pipe(p) < 0)
		return -1;
	x->pid = fork();
	if (x->pid < 0)
		return -1;
	if (x->pid == 0) {
		char fd[16];
		close(p[0]);
		snprintf(fd, sizeof(fd), "%d", p[1]);
		int null = open(getenv("XVFB_LOG") ? getenv("XVFB_LOG") : "/dev/null", O_RDWR | O_CREAT | O_APPEND, 0644);
		dup2(null, 1);
		dup2(null, 2);
		execl("/usr/bin/Xvfb", "Xvfb", "-displayfd", fd, "-nolisten", "tcp", "-noreset", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/* read up to the newline: X writes the number and the '\n' in two writes,
	 * and dies ("Cannot write display number") if the pipe closes in between */
	struct pollfd pf = { .fd = p[0], .events = POLLIN };
	char buf[16] = "";
	ssize_t n = 0;
	while ((size_t)n < sizeof(buf) - 1 && !memchr(buf, '\n', (size_t)n) && poll(&pf, 1, 15000) == 1) {
		ssize_t r = read(p[0], buf + n, sizeof(buf) - 1 - (size_t)n);
		if (r <= 0)
			break;
		n += r;
	}
	close(p[0]);
	if (n <= 0) {
		kill(x->pid, SIGKILL);
		waitpid(x->pid, NULL, 0);
		return -1;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	snprintf(x->display, sizeof(x->display), ":%s", buf);
	return 0;

}
