/* Start and stop a throwaway X server (Xvfb) for the live RandR tests. */
#pragma once
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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
		int null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		dup2(null, 2);
		execl("/usr/bin/Xvfb", "Xvfb", "-displayfd", fd, "-nolisten", "tcp", "-noreset", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	struct pollfd pf = { .fd = p[0], .events = POLLIN };
	char buf[16] = "";
	ssize_t n = 0;
	if (poll(&pf, 1, 15000) == 1)
		n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	if (n <= 0) {
		kill(x->pid, SIGKILL);
		waitpid(x->pid, NULL, 0);
		return -1;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	snprintf(x->display, sizeof(x->display), ":%s", buf);
	/* -displayfd can come before the socket accepts: wait until a connect works */
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/.X11-unix/X%s", buf);
	for (int i = 0; i < 500; i++) {
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int ok = s >= 0 && connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0;
		if (s >= 0)
			close(s);
		if (ok)
			return 0;
		usleep(10000);
	}
	xserver_stop(x);
	return -1;
}
