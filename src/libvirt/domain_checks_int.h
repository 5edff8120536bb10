/* What the check files share: adding a check, formatting, host files through the root. */
#pragma once
#include <stdarg.h>

#include "libvirt/domain_checks.h"

/* Add a check: FIX == NULL means passed. Returns -ENOMEM only. */
int lv_add(struct lv_checks *c, const char *id, enum severity sev, const char *fix, const char *msg, ...)
	__attribute__((format(printf, 5, 6)));
char *lv_vfmt(const char *f, va_list ap);
char *lv_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* A host file through the root; -ENOENT without a root (fuzzing, tests without a host). */
int lv_read_host(const struct root *r, const char *path, size_t max, char **ret, size_t *ret_len, struct err *e);
bool lv_is_q35(const struct vmconf *vm);
/* The driver the goal is about, for messages: "nouveau", "the NVIDIA driver", ... */
const char *lv_goal_driver(enum lv_goal g);
/* The NVIDIA _ROM table check (domain_checks_acpi.c). */
int lv_check_acpi(struct lv_checks *c, const struct root *r, const struct vmconf *vm, const struct vm_pci_hostdev *h,
		  enum lv_goal goal);
