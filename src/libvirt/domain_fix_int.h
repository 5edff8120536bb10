/* What the fix files share: edits that mark what they change (xml_write.c copies the rest). */
#pragma once
#include <stdbool.h>

#include <libxml/tree.h>

#include "host/host_pci.h"
#include "libvirt/vmconf.h"
#include "util/strv.h"

int lv_fix_note(struct strv *done, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Set an attribute; a value it has already is left alone (and the element unmarked). */
bool lv_fix_set_prop(xmlNodePtr n, const char *name, const char *value);
/* Remove N and the blank text before it. */
void lv_fix_remove_node(xmlNodePtr n);
/* The card VM->pci given in <qemu:commandline>: subsystem ids, romfile, no rombar=0 on its -device. */
int lv_fix_cmdline_card(const struct vmconf *vm, const struct vm_pci_hostdev *h, const struct host_pci *host,
			const char *vbios, bool keep_bar, struct strv *done);
