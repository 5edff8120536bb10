/* Scope-bound cleanup helpers (systemd style). */
#pragma once
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd) { if (*fd >= 0) close(*fd); }
static inline void fclosep(FILE **f) { if (*f) fclose(*f); }
static inline void closedirp(DIR **d) { if (*d) closedir(*d); }

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_closedir_ _cleanup_(closedirp)

/* Hand ownership on: returns the pointer and clears the local. */
#define TAKE_PTR(p) ({ __typeof__(p) _tp = (p); (p) = NULL; _tp; })
#define TAKE_FD(fd) ({ int _tf = (fd); (fd) = -1; _tf; })
/* The same for a struct that owns memory (a struct strv, a struct buf): returns its value and
 * leaves the local zeroed, so its scope cleanup frees nothing. */
#define TAKE_STRUCT(s) ({ __typeof__(s) _ts = (s); (s) = (__typeof__(s)){0}; _ts; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
