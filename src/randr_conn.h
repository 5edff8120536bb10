/* A connection to an X server that never exits the process (probe_randr.c). */
#pragma once
#include <stdbool.h>
#include <X11/Xlib.h>

#include "providers.h"

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
