/* nvidia-vbios-acpi: the binary driver reads a muxless card's VBIOS only through ACPI _ROM, which
 * the tables of `acpi-table` provide. The rule for the GPU's place in those tables: it is read from
 * the VM definition (the card's guest address and the root port it sits behind); a command is
 * printed only when the definition says where the card is, and then it runs as printed. The
 * table set is counted: a _ROM table names the data tables it reads, and all must be loaded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_path.h"
#include "acpi/acpi_table.h"
#include "libvirt/domain_checks_int.h"
#include "util/buf.h"
#include "util/cleanup.h"

#define LV_ACPI_OUT "/var/lib/libvirt/acpi/vbios-rom.aml"

/* acpi-table's --slot (and --root-port) for the card; false when the definition does not say. */
static bool place_args(const struct vm_pci_hostdev *h, struct pci_bdf *gpu, struct pci_bdf *port, bool *behind,
		       char *buf, size_t n)
{
	if (!h || h->guest_bus < 0 || h->guest_slot < 0 || h->guest_fn < 0)
		return false;
	*gpu = (struct pci_bdf){ (unsigned)h->guest_bus, (unsigned)h->guest_slot, (unsigned)h->guest_fn };
	*behind = h->guest_bus > 0;
	if (*behind && (h->port_slot < 0 || h->port_fn < 0))
		return false;
	if (*behind) {
		*port = (struct pci_bdf){ 0, (unsigned)h->port_slot, (unsigned)h->port_fn };
		snprintf(buf, n, "--slot %02x:%02x.%x --root-port %02x.%x", gpu->bus, gpu->dev, gpu->fn, port->dev, port->fn);
	} else {
		snprintf(buf, n, "--slot %02x:%02x.%x", gpu->bus, gpu->dev, gpu->fn);
	}
	return true;
}

/* How many tables acpi-table writes for the ROM at ROM_FILE (0: the ROM cannot be read or used). */
static size_t table_count(const struct root *r, const char *rom_file, const struct pci_bdf *gpu,
			  const struct pci_bdf *port, bool behind)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	struct err e = {0};
	char path[256];
	if (lv_read_host(r, rom_file, 32u << 20, &data, &len, &e) < 0 ||
	    qemu_q35_path(gpu, behind ? port : NULL, path, sizeof(path), &e) < 0)
		return 0;
	struct acpi_table_opts o = { .device_path = path };
	struct acpi_ssdt_set set;
	if (acpi_tables_build((const uint8_t *)data, len, &o, &set, &e) < 0)
		return 0;
	size_t n = set.n;
	acpi_ssdt_set_free(&set);
	return n;
}

/* " --acpi-table T --acpi-table T-d01.aml ..." (libvirt) or " -acpitable file=T ..." (QEMU) for N tables. */
static void load_args(struct buf *b, const char *rom_table, size_t n, bool qemu)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *f = i ? acpi_data_table_file(rom_table, (unsigned)i) : strdup(rom_table);
		buf_printf(b, qemu ? " -acpitable file=%s" : " --acpi-table %s", f ? f : "?");
	}
}

static const char *domain_file(const struct vmconf *vm)
{
	return vm->file && strcmp(vm->file, "(stdin)") != 0 ? vm->file : "DOMAIN.xml";
}

static char *build_fix(const struct root *r, const struct vmconf *vm, const struct vm_pci_hostdev *h, enum lv_goal goal)
{
	bool qemu = vm->input == VM_QEMU;
	char place[96];
	struct pci_bdf gpu, port;
	bool behind = false;
	if (!h || !h->rom_file)
		return lv_fmt("give the card its VBIOS first (see nvidia-rom); then this check prints the acpi-table command that builds the _ROM table");
	if (!place_args(h, &gpu, &port, &behind, place, sizeof(place)))
		return lv_fmt("the definition does not say where the card sits in the guest, and the _ROM method must sit at the card's ACPI node: %s, then run this check again (it prints the acpi-table command)",
			      qemu ? "give the card's -device vfio-pci a bus= of a root port (-device pcie-root-port,id=rp1,bus=pcie.0,addr=1c.0,chassis=1) and addr=0"
				   : "give the hostdev a guest <address type='pci' .../> behind a pcie-root-port (virsh dumpxml shows the one libvirt assigned)");
	const char *out = qemu ? "vbios-rom.aml" : LV_ACPI_OUT;
	size_t n = table_count(r, h->rom_file, &gpu, &port, behind);
	_cleanup_buf_ struct buf b = {0};
	buf_printf(&b, "build the table%s: optimus-guest acpi-table --vbios %s %s%s -o %s", n > 1 ? "s" : "", h->rom_file, place,
		   goal == LV_GOAL_WINDOWS ? " --battery" : "", out);
	if (n > 1)
		buf_printf(&b, " (the VBIOS needs %zu tables: it writes %s and its data tables)", n, out);
	if (goal == LV_GOAL_WINDOWS)
		buf_puts(&b, " (--battery adds the battery the Windows driver looks for; without one it stops with Code 43)");
	if (qemu) {
		buf_puts(&b, "; then add");
		load_args(&b, out, n ? n : 1, true);
		buf_puts(&b, " to the QEMU command line");
	} else {
		buf_printf(&b, "; then load %s: optimus-guest libvirt fix %s", n > 1 ? "every one" : "it", domain_file(vm));
		load_args(&b, out, n ? n : 1, false);
		buf_puts(&b, " -o FIXED.xml (adds -acpitable to <qemu:commandline>)");
	}
	return buf_steal(&b); /* NULL when out of memory */
}

int lv_check_acpi(struct lv_checks *c, const struct root *r, const struct vmconf *vm, const struct vm_pci_hostdev *h,
		  enum lv_goal goal)
{
	const char *id = "nvidia-vbios-acpi";
	if (goal == LV_GOAL_NOUVEAU)
		return 0;
	const char *who = goal == LV_GOAL_WINDOWS ? "the Windows NVIDIA driver (Code 43 without it)" : "the NVIDIA binary driver";
	_cleanup_free_ char *fix = build_fix(r, vm, h, goal);
	if (!fix)
		return -ENOMEM;
	if (vm->acpi_tables.n == 0)
		return lv_add(c, id, SEV_ERROR, fix, "no -acpitable: %s reads the VBIOS only through the ACPI _ROM method, which a VM does not have", who);
	const char *rom_table = NULL;
	struct acpi_table_ident rom_id = {0};
	bool have[ACPI_IDENT_MAX_DATA] = {0};
	for (size_t i = 0; i < vm->acpi_tables.n; i++) {
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		struct err e = {0};
		const char *f = vm->acpi_tables.v[i];
		int rc = lv_read_host(r, f, 1u << 20, &data, &len, &e);
		if (rc < 0)
			return lv_add(c, id, SEV_ERROR, fix, "the ACPI table '%s' %s", f,
				      rc == -ENOENT ? "does not exist on the host: QEMU will not start" : "cannot be read");
		struct acpi_table_ident t;
		if (acpi_table_ident((const uint8_t *)data, len, &t) < 0)
			continue;
		if (t.kind == ACPI_IDENT_ROM && !rom_table) {
			rom_table = f;
			rom_id = t;
		} else if (t.kind == ACPI_IDENT_DATA && t.data_no < ACPI_IDENT_MAX_DATA) {
			have[t.data_no] = true;
		}
	}
	if (!rom_table)
		return lv_add(c, id, SEV_WARNING, fix,
			      "none of the %zu ACPI table(s) given is an optimus-guest _ROM table (OEM id OPTGST, table id VBIOSROM); if one implements _ROM at the card's ACPI path this is fine",
			      vm->acpi_tables.n);
	_cleanup_buf_ struct buf miss = {0};
	size_t nmiss = 0;
	for (size_t k = 0; k < rom_id.n_needs; k++)
		if (!have[rom_id.needs[k]]) {
			_cleanup_free_ char *f = acpi_data_table_file(rom_table, rom_id.needs[k]);
			buf_printf(&miss, "%sVBIOSD%02u ('%s')", nmiss++ ? ", " : "", rom_id.needs[k], f ? f : "?");
		}
	if (nmiss) {
		_cleanup_buf_ struct buf f = {0};
		if (vm->input == VM_QEMU) {
			buf_puts(&f, "add");
			load_args(&f, rom_table, 1 + rom_id.n_needs, true);
			buf_puts(&f, " to the QEMU command line (all the tables acpi-table wrote)");
		} else {
			buf_printf(&f, "load every table of the set: optimus-guest libvirt fix %s", domain_file(vm));
			load_args(&f, rom_table, 1 + rom_id.n_needs, false);
			buf_puts(&f, " -o FIXED.xml");
		}
		if (f.oom || miss.oom)
			return -ENOMEM;
		return lv_add(c, id, SEV_ERROR, f.s,
			      "the _ROM table '%s' reads its VBIOS from %zu data table(s), but the definition does not load %s: %s finds a hole in the VBIOS",
			      rom_table, rom_id.n_needs, miss.s, who);
	}
	if (rom_id.n_needs)
		return lv_add(c, id, SEV_ERROR, NULL, "the _ROM table '%s' and its %zu data table(s) are passed with -acpitable", rom_table, rom_id.n_needs);
	return lv_add(c, id, SEV_ERROR, NULL, "the _ROM table is passed with -acpitable ('%s')", rom_table);
}
