/* The matrix's conditions on a VM definition (libvirt domain or QEMU command line), with the
 * check ids the guest planner uses for the same facts (COMMON check table). Reads only the
 * host files the definition names (ROM, ACPI tables) and sysfs, through the root. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "model/severity.h"
#include "host/host_pci.h"
#include "libvirt/vmconf.h"
#include "util/root.h"
#include "util/err.h"

enum lv_goal { LV_GOAL_NOUVEAU, LV_GOAL_NVIDIA, LV_GOAL_WINDOWS };

struct lv_check {
	const char *id;
	enum severity severity;   /* of the failure; a passed check is reported as info */
	bool passed;
	char *message;
	char *fix;              /* NULL when passed */
};

struct lv_checks {
	struct lv_check *v;
	size_t n;
};

int lv_goal_parse(const char *s, enum lv_goal *ret);
const char *lv_goal_name(enum lv_goal g);

/* Which PCI hostdev is the NVIDIA card: WANT (alias or host address) when given, else the
 * only one whose host device is an NVIDIA display device. *RET_IDX = -1 when the domain has
 * none. Errors (ambiguous, absent from the host, no such hostdev): -EINVAL/-ENOENT with a message. */
int lv_select_nvidia(const struct root *r, const struct vmconf *vm, const char *want,
		     int *ret_idx, struct host_pci *ret_host, struct err *e);

/* R may be NULL: no host files are read (ROM, ACPI tables, mdevs count as absent). */
int lv_checks_run(const struct root *r, const struct vmconf *vm, int nv, const struct host_pci *host,
		  enum lv_goal goal, struct lv_checks *ret);
void lv_checks_clear(struct lv_checks *c);
size_t lv_checks_count(const struct lv_checks *c, enum severity s);

/* The user alias the fix gives the NVIDIA hostdev. */
#define LV_NVIDIA_ALIAS "ua-nvidia"
