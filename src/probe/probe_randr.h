/* The live RandR query, through a connection to an X server that never exits the process. */
#pragma once
#include <stdbool.h>
#include <X11/Xlib.h>

#include "model/providers.h"
#include <X11/extensions/Xrandr.h>
#include "util/err.h"

/* Test hooks for the live query: called between its steps (e.g. to stop the server). */
struct randr_hooks {
	void (*after_version)(void *ctx);
	void *ctx;
};

/* Ask the X server on DISPLAY (NULL: $DISPLAY) for its RandR version and
 * providers. Never exits the process: a server that cannot be reached or goes
 * away is an error in e. */
int probe_randr(const char *display, const struct randr_hooks *hooks, struct providers *out, struct err *e);

struct randr_conn {
	Display *dpy;
	bool gone;        /* set by the IO exit handler: the server went away */
	char name[256];   /* display name, for messages */
};

/* DISPLAY NULL or "": $DISPLAY. */
int randr_open(struct randr_conn *c, const char *display, struct err *e);
void randr_close(struct randr_conn *c);
int randr_read_providers(struct randr_conn *c, const struct randr_hooks *hooks, struct providers *out, struct err *e);
/* Sets e for a server that went away DURING something; returns -ECONNRESET. */
int randr_gone(struct randr_conn *c, struct err *e, const char *during);
