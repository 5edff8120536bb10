/* Applying the fixes to a libvirt domain document, in place, keeping the rest of it as it is. */
#pragma once
#include "libvirt/domain_xml.h"
#include "host/host_pci.h"
#include "util/err.h"
#include "util/strv.h"

struct lv_fix_opts {
	const char *vbios;            /* host path of the VBIOS for <rom file=>; NULL keeps the present one */
	const struct strv *acpi;      /* host paths for -acpitable file= */
	bool keep_rom_bar;            /* leave <rom bar='off'> (goals other than nouveau) */
};

/* Fix the NVIDIA hostdev VM->pci[NV] (VM read from D): user alias, qemu namespace, subsystem ids
 * as <qemu:override>, every -set of the card moved or removed, <rom file=> (and no bar='off'),
 * -acpitable; for a card given in <qemu:commandline>, its -device. RET_DONE gets one line per
 * change and stays empty when the domain needed none. */
int lv_fix_apply(struct lv_doc *d, const struct vmconf *vm, int nv, const struct host_pci *host,
		 const struct lv_fix_opts *o, struct strv *ret_done, struct err *e);
