/* Check implementations. Each says what it found and where, and on failure what to do. */
#include "plan/checks_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/classify.h"
#include "util/buf.h"
#include "util/cleanup.h"

typedef bool (*check_fn)(struct ctx *c);

void check_say(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&c->msg, fmt, ap);
	va_end(ap);
}

void check_fix(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&c->fix, fmt, ap);
	va_end(ap);
}

static const struct pci_device *nvidia(const struct snapshot *s)
{
	const struct pci_device *d = snapshot_find_role(s, ROLE_NVIDIA_MUXLESS);
	return d ? d : snapshot_find_role(s, ROLE_NVIDIA_OUTPUTS);
}

static bool c_machine(struct ctx *c)
{
	const struct pci_device *hb = snapshot_find_role(c->s, ROLE_HOST_BRIDGE);
	const char *m = c->s->env.machine && *c->s->env.machine ? c->s->env.machine : "unknown";
	if (strcmp(m, "q35") == 0) {
		if (hb)
			check_say(c, "q35 machine (host bridge %04x:%04x at %s)", hb->vendor, hb->device, hb->slot);
		else
			check_say(c, "q35 machine (as the snapshot records; it lists no host bridge)");
		return true;
	}
	if (hb)
		check_say(c, "machine type is %s (host bridge %04x:%04x at %s); the matrix was tested on q35 only", m,
		    hb->vendor, hb->device, hb->slot);
	else
		check_say(c, "no host bridge at 0000:00:00.0, machine type unknown; the matrix was tested on q35 only");
	check_fix(c, "untested, it may work; if it does not, give the VM the q35 machine type (libvirt <type machine='q35'>, virt-install --machine q35)");
	return false;
}

static bool c_firmware(struct ctx *c)
{
	if (c->s->env.firmware && strcmp(c->s->env.firmware, "uefi") == 0) {
		check_say(c, "booted through UEFI (sys/firmware/efi present%s%s)", c->s->env.dmi_bios_vendor ? ", " : "",
		    c->s->env.dmi_bios_vendor ? c->s->env.dmi_bios_vendor : "");
		return true;
	}
	check_say(c, "booted by a legacy BIOS (no sys/firmware/efi%s%s); the matrix was tested with OVMF only",
	    c->s->env.dmi_bios_vendor ? ", BIOS vendor " : "", c->s->env.dmi_bios_vendor ? c->s->env.dmi_bios_vendor : "");
	check_fix(c, "untested; use OVMF (libvirt <os firmware='efi'>, or a <loader> with OVMF_CODE.fd)");
	return false;
}

static bool c_subsys(struct ctx *c)
{
	const struct pci_device *d = nvidia(c->s);
	if (!d) {
		check_say(c, "no NVIDIA card");
		return false;
	}
	if (d->subsystem_vendor && d->subsystem_device) {
		check_say(c, "NVIDIA %s has subsystem ids %04x:%04x", d->slot, d->subsystem_vendor, d->subsystem_device);
		return true;
	}
	check_say(c, "NVIDIA %s reports subsystem %04x:%04x (sys/bus/pci/devices/%s/subsystem_vendor): the ids were not set on the passed-through device, so nouveau cannot use the VBIOS",
	    d->slot, d->subsystem_vendor, d->subsystem_device, d->slot);
	check_fix(c, "set the host card's real subsystem ids (on the host: cat /sys/bus/pci/devices/<card>/subsystem_vendor subsystem_device) with the vfio-pci properties x-pci-sub-vendor-id and x-pci-sub-device-id (QEMU -device vfio-pci,host=...,x-pci-sub-vendor-id=0x1028,x-pci-sub-device-id=0x07be); with libvirt, 'optimus-guest libvirt fix' adds them as <qemu:override>");
	return false;
}

static bool c_rom(struct ctx *c)
{
	const struct pci_device *d = nvidia(c->s);
	if (d && d->rom) {
		check_say(c, "NVIDIA %s has a ROM (sys/bus/pci/devices/%s/rom)", d->slot, d->slot);
		return true;
	}
	check_say(c, "NVIDIA %s has no ROM (no sys/bus/pci/devices/%s/rom): the VBIOS was not handed to the guest", d ? d->slot : "card",
	    d ? d->slot : "*");
	check_fix(c, "hand the VBIOS to the guest as the device's ROM (libvirt <rom file='/path/vbios.rom'/> in the hostdev, QEMU romfile=); get the VBIOS on the host with 'optimus-guest vbios extract' from the laptop's BIOS update");
	return false;
}

/* The ROMs of the SETUP_PCI entries, "10de:139b (0000:01:00.0), 1b36:0100 (...)". */
static void rom_list(const struct environment *e, struct buf *b)
{
	for (size_t i = 0; i < e->pci_roms.n; i++) {
		const char *r = e->pci_roms.v[i], *at = strchr(r, '@');
		if (at)
			buf_printf(b, "%s%.*s (%s)", i ? ", " : "", (int)(at - r), r, at + 1);
		else
			buf_printf(b, "%s%s", i ? ", " : "", r);
	}
	if (!b->len)
		buf_puts(b, "ids not recorded");
}

/* SETUP_PCI entries exist: the NVIDIA card's own ROM (by vendor and device id) must be one. */
static bool handover_has_nvidia(struct ctx *c)
{
	const struct environment *e = &c->s->env;
	const struct pci_device *d = nvidia(c->s);
	_cleanup_buf_ struct buf roms = {0};
	rom_list(e, &roms);
	char want[16];
	bool found = false;
	if (d) {
		snprintf(want, sizeof(want), "%04x:%04x", d->vendor, d->device);
		for (size_t i = 0; i < e->pci_roms.n && !found; i++)
			found = strncmp(e->pci_roms.v[i], want, 9) == 0 &&
				(e->pci_roms.v[i][9] == 0 || e->pci_roms.v[i][9] == '@');
	}
	if (!d)
		check_say(c, "the kernel received PCI option ROMs from the firmware (setup_data type 3, SETUP_PCI): %s", roms.s);
	else if (found)
		check_say(c, "the kernel received the NVIDIA card's own ROM (%s) from the firmware (setup_data type 3, SETUP_PCI); ROMs handed over: %s",
		    want, roms.s);
	else {
		check_say(c, "the firmware handed PCI option ROMs to the kernel (setup_data type 3: %s) but not the NVIDIA card's (%s at %s), so nouveau cannot load the VBIOS from it",
		    roms.s, want, d->slot);
		check_fix(c, "hand the VBIOS to the card as its ROM so the firmware loads it (libvirt <rom file='/path/vbios.rom'/> in the hostdev, QEMU romfile=); 'optimus-guest vbios inspect FILE' shows whether it has the EFI image OVMF needs");
	}
	return !d || found;
}

static bool c_handover(struct ctx *c)
{
	const struct environment *e = &c->s->env;
	if (e->efi_pci_rom)
		return handover_has_nvidia(c);
	_cleanup_buf_ struct buf types = {0};
	for (size_t i = 0; i < e->setup_data_types.n; i++)
		buf_printf(&types, "%s%s", i ? " " : "", e->setup_data_types.v[i]);
	check_say(c, "no SETUP_PCI entry (type 3) under sys/kernel/boot_params/setup_data (types seen: %s): the kernel was not entered through the EFI stub or EFI handover, so nouveau cannot load the VBIOS",
	    types.len ? types.s : "none");
	check_fix(c, "start the kernel through the EFI stub: OVMF direct kernel boot (libvirt <kernel>/<initrd>/<cmdline>), the kernel as an EFI application from the firmware's boot menu, or a boot loader with EFI handover such as Fedora's grub2 'linuxefi' (mainline GRUB lacks EFI handover)");
	return false;
}

static bool c_muxless(struct ctx *c)
{
	const struct pci_device *d = snapshot_find_role(c->s, ROLE_NVIDIA_OUTPUTS);
	if (!d) {
		d = snapshot_find_role(c->s, ROLE_NVIDIA_MUXLESS);
		if (d)
			check_say(c, "NVIDIA %s is a 3D controller (class 0x%06x): muxless, no display outputs", d->slot, d->class);
		else
			check_say(c, "no NVIDIA card with display outputs");
		return true;
	}
	check_say(c, "NVIDIA %s is a VGA compatible controller (class 0x%06x): a card with display outputs (MXM), which optimus-guest does not handle",
	    d->slot, d->class);
	check_fix(c, "out of scope: a card with outputs is passed through like a desktop GPU (see the VFIO passthrough guides); optimus-guest stops here");
	return false;
}

static bool bound(struct ctx *c, const char *drv, const char *other)
{
	const struct pci_device *d = nvidia(c->s);
	if (d && d->driver && strcmp(d->driver, drv) == 0) {
		check_say(c, "NVIDIA %s is bound to %s", d->slot, drv);
		return true;
	}
	if (d && d->driver)
		check_say(c, "NVIDIA %s is bound to '%s', not %s", d->slot, d->driver, drv);
	else
		check_say(c, "no kernel driver is bound to NVIDIA %s (module %s %s)", d ? d->slot : "card", drv,
		    strv_contains(&c->s->env.modules, drv) ? "loaded but not bound: look at the kernel log" : "not loaded");
	check_fix(c, "use the %s kernel driver for the card (modprobe %s; remove blacklists of it), or choose the profile for %s; 'optimus-guest report' shows the kernel's errors",
	    drv, drv, other);
	return false;
}

static bool c_nouveau(struct ctx *c) { return bound(c, "nouveau", "the binary driver (gvt-nvidia-offload)"); }
static bool c_nvidia(struct ctx *c) { return bound(c, "nvidia", "nouveau (gvt-nouveau-offload)"); }

static bool ddx(struct ctx *c, const char *name, const char *pkg)
{
	if (strv_contains(&c->s->env.xorg_drivers, name)) {
		check_say(c, "Xorg driver %s is installed (%s_drv.so)", name, name);
		return true;
	}
	check_say(c, "Xorg driver %s is not installed (no %s_drv.so under usr/lib/xorg/modules/drivers)", name, name);
	check_fix(c, "install %s", pkg);
	return false;
}

static bool c_ddx_ms(struct ctx *c) { return ddx(c, "modesetting", "xserver-xorg-core (it ships the modesetting driver)"); }
static bool c_ddx_nv(struct ctx *c) { return ddx(c, "nvidia", "the NVIDIA driver's X module (Debian: nvidia-driver)"); }

static bool c_acpi_rom(struct ctx *c)
{
	const struct environment *e = &c->s->env;
	for (size_t i = 0; i < e->n_acpi_tables; i++) {
		const struct acpi_table *t = &e->acpi_tables[i];
		if (t->oem_id && t->oem_table_id && strcmp(t->oem_id, "OPTGST") == 0 && strcmp(t->oem_table_id, "VBIOSROM") == 0) {
			check_say(c, "ACPI table %s (OEM OPTGST VBIOSROM) provides _ROM for the NVIDIA card", t->name);
			return true;
		}
	}
	check_say(c, "no ACPI table provides _ROM for the NVIDIA card (looked for OEM table id VBIOSROM under sys/firmware/acpi/tables): the binary driver reads a muxless card's VBIOS only through ACPI _ROM");
	/* the table's place is the card's, as this guest sees it: its address and its root port's */
	const struct pci_device *d = nvidia(c->s);
	unsigned dom, bus, dev, fn, pdom, pbus, pdev, pfn;
	char place[64] = "";
	if (d && sscanf(d->slot, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) == 4) {
		if (bus == 0)
			snprintf(place, sizeof(place), "--slot 00:%02x.%x", dev, fn);
		else if (d->parent && sscanf(d->parent, "%x:%x:%x.%x", &pdom, &pbus, &pdev, &pfn) == 4 && pbus == 0)
			snprintf(place, sizeof(place), "--slot %02x:%02x.%x --root-port %02x.%x", bus, dev, fn, pdev, pfn);
	}
	if (place[0])
		check_fix(c, "on the host, with the card's VBIOS in vbios.rom: 'optimus-guest acpi-table --vbios vbios.rom %s -o vbios.aml' "
		       "(the card's place in this guest) and load every table it writes with QEMU -acpitable "
		       "('optimus-guest libvirt fix DOMAIN.xml --acpi-table vbios.aml' adds them), or use a driver patched to return a built-in VBIOS", place);
	else
		check_fix(c, "on the host: build the table with 'optimus-guest acpi-table' at the card's ACPI path (--device-path: 'cat /sys/bus/pci/devices/%s/firmware_node/path' in this guest) "
		       "and load every table it writes with QEMU -acpitable, or use a driver patched to return a built-in VBIOS", d ? d->slot : "SLOT");
	return false;
}

static bool c_emulated(struct ctx *c)
{
	for (size_t i = 0; i < c->s->n_pci; i++) {
		const struct pci_device *d = &c->s->pci[i];
		if (!role_is_emulated(d->role))
			continue;
		check_say(c, "%s %s is an emulated display%s: X would take it as the primary GPU, and newer X servers bind it as GVT's output sink (the broken qxl-reverse-prime row)",
		    d->role, d->slot, d->boot_vga == 1 ? " and the boot VGA" : "");
		check_fix(c, "the written configuration makes GVT the primary GPU (OutputClass PrimaryGPU) and turns AutoBindGPU off; to be rid of it, remove the video device from the VM (libvirt <video><model type='none'/></video>) and use the vGPU's display");
		return false;
	}
	check_say(c, "no emulated display device");
	return true;
}

static bool truthy(const char *v)
{
	return !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") || !strcmp(v, "1");
}

/* What in an admin's line fights the topology; KIND orders the search (PrimaryGPU first). */
static const char *conflict(const char *t, int kind)
{
	char a[64], b[64];
	if (kind == 0 && sscanf(t, "Option \"%63[^\"]\" \"%63[^\"]\"", a, b) == 2 && !strcasecmp(a, "PrimaryGPU") && truthy(b))
		return "sets PrimaryGPU on another device";
	if (kind == 1 && sscanf(t, "Section \"%63[^\"]\"", a) == 1 && !strcasecmp(a, "ServerLayout"))
		return "declares its own ServerLayout";
	if (kind == 2 && sscanf(t, "Driver \"%63[^\"]\"", a) == 1 &&
	    (!strcmp(a, "qxl") || !strcmp(a, "nouveau") || !strcmp(a, "nvidia")))
		return "binds a driver to a device that must not be X's primary";
	return NULL;
}

static bool c_conflict(struct ctx *c)
{
	const struct snapshot *s = c->s;
	for (int kind = 0; kind < 3; kind++)
		for (size_t i = 0; i < s->n_xorg; i++) {
			const struct xorg_file *f = &s->xorg[i];
			if (f->ours || strncmp(f->path, "etc/", 4) != 0)
				continue;
			for (size_t j = 0; j < f->n_lines; j++) {
				const char *why = conflict(f->lines[j].text, kind);
				if (!why)
					continue;
				check_say(c, "/%s:%u: '%s' %s, which fights the chosen topology", f->path, f->lines[j].line,
				    f->lines[j].text, why);
				check_fix(c, "move /%s aside (mv /%s /%s.disabled) or delete that line; optimus-guest never edits it ('apply --force' writes its own files anyway)",
				    f->path, f->path, f->path);
				return false;
			}
		}
	check_say(c, "no Xorg configuration of the admin's fights the topology");
	return true;
}

static bool c_remote(struct ctx *c)
{
	const struct pci_device *g = snapshot_find_role(c->s, ROLE_GVT);
	for (size_t i = 0; g && i < g->n_connectors; i++)
		if (strncmp(g->connectors[i].name, "Virtual", 7) == 0 && !strcmp(g->connectors[i].status, "connected")) {
			check_say(c, "GVT %s has a connected %s connector (the vGPU's dma-buf display): view it through QEMU's SPICE/VNC",
			    g->slot, g->connectors[i].name);
			return true;
		}
	check_say(c, "GVT-g has no local display output: the desktop is seen only through a remote display");
	check_fix(c, "enable the vGPU's dma-buf display (libvirt hostdev display='on' with SPICE or VNC graphics), or run a VNC/RDP server in the guest");
	return false;
}

static bool c_wayland(struct ctx *c)
{
	const char *t = c->s->env.session_type;
	if (t && !strcmp(t, "wayland")) {
		check_say(c, "the session is Wayland (XDG_SESSION_TYPE=wayland): xorg.conf.d does not apply to a Wayland compositor, and the matrix is untested there");
		check_fix(c, "log in to an X11 session (the display manager's session menu) or expect the compositor to pick GPUs itself");
		return false;
	}
	check_say(c, "session type %s", t ? t : "not known (no running session seen)");
	return true;
}

static bool c_render(struct ctx *c)
{
	_cleanup_buf_ struct buf b = {0};
	for (size_t i = 0; i < c->s->n_pci; i++)
		for (size_t k = 0; k < c->s->pci[i].drm_renders.n; k++)
			buf_printf(&b, "%s/dev/dri/%s (%s)", b.len ? ", " : "", c->s->pci[i].drm_renders.v[k], c->s->pci[i].slot);
	if (b.len) {
		check_say(c, "render nodes: %s", b.s);
		return true;
	}
	check_say(c, "no DRM render node on any device");
	check_fix(c, "load the kernel driver of a GPU (i915 for GVT-g, nouveau for the NVIDIA card)");
	return false;
}

struct check_def {
	const char *id;
	enum severity severity;
	check_fn fn;
	const char *what;
};

/* Every check: id, severity of a failure, function, what it looks at. The one list: the
 * table below and the ids profiles may name both come from it. */
#define CHECK_TABLE(X) \
	X("machine-q35", SEV_WARNING, c_machine, "q35 machine type (i440fx is untested)") \
	X("firmware-uefi", SEV_WARNING, c_firmware, "UEFI firmware, OVMF (SeaBIOS is untested)") \
	X("nvidia-muxless", SEV_ERROR, c_muxless, "the NVIDIA card has no outputs; cards with outputs are out of scope") \
	X("nvidia-subsystem-ids", SEV_ERROR, c_subsys, "subsystem ids set on the passed-through NVIDIA card") \
	X("nvidia-rom", SEV_ERROR, c_rom, "the VBIOS handed to the NVIDIA card as its ROM") \
	X("efi-rom-handover", SEV_ERROR, c_handover, "kernel entered through the EFI stub/handover (SETUP_PCI setup_data)") \
	X("nouveau-bound", SEV_ERROR, c_nouveau, "nouveau bound to the NVIDIA card") \
	X("nvidia-bound", SEV_ERROR, c_nvidia, "the NVIDIA binary driver bound to the card") \
	X("ddx-modesetting", SEV_ERROR, c_ddx_ms, "Xorg modesetting driver installed") \
	X("ddx-nvidia", SEV_ERROR, c_ddx_nv, "Xorg nvidia driver installed") \
	X("nvidia-vbios-acpi", SEV_ERROR, c_acpi_rom, "an ACPI _ROM table gives the binary driver the VBIOS") \
	X("emulated-display", SEV_WARNING, c_emulated, "no emulated display (QXL, virtio-gpu, bochs) X would take as primary") \
	X("xorg-conflict", SEV_WARNING, c_conflict, "no admin Xorg configuration fights the topology") \
	X("remote-display", SEV_INFO, c_remote, "a remote display for GVT-g, which has no local output") \
	X("wayland", SEV_WARNING, c_wayland, "an X11 session (xorg.conf.d does not apply to Wayland)") \
	X("render-node", SEV_ERROR, c_render, "a DRM render node for compute") \
	X("providers-offload", SEV_ERROR, check_providers_offload, "RandR: Sink Offload on the primary, Source Offload on the renderer") \
	X("providers-primary", SEV_WARNING, check_providers_primary, "RandR: the running X server's primary is the profile's primary GPU") \
	X("providers-driver", SEV_WARNING, check_providers_driver, "RandR: the providers listed belong to the kernel drivers bound")

#define CHECK_DEF(id, sev, fn, what) { id, sev, fn, what },
static const struct check_def defs[] = { CHECK_TABLE(CHECK_DEF) };

#define CHECK_ID(id, sev, fn, what) id,
const char *const check_ids[] = { CHECK_TABLE(CHECK_ID) NULL };

static const struct check_def *find(const char *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++)
		if (strcmp(defs[i].id, id) == 0)
			return &defs[i];
	return NULL;
}

const char *check_describe(const char *id)
{
	const struct check_def *d = find(id);
	return d ? d->what : NULL;
}

/* The check's texts that were not handed on. */
static void ctx_done(struct ctx *c)
{
	buf_free(&c->msg);
	buf_free(&c->fix);
}

int check_run(const char *id, const struct snapshot *s, const struct profile *p, struct check_result *out)
{
	const struct check_def *d = find(id);
	if (!d)
		return -ENOENT;
	_cleanup_(ctx_done) struct ctx c = { .s = s, .p = p };
	bool ok = d->fn(&c);
	memset(out, 0, sizeof(*out));
	out->id = strdup(id);
	out->severity = !ok && c.lower && d->severity == SEV_ERROR ? SEV_WARNING : d->severity;
	out->passed = ok;
	out->message = buf_steal(&c.msg);
	out->fix = ok ? NULL : buf_steal(&c.fix);
	if (!out->id || !out->message || (!ok && !out->fix))
		return -ENOMEM;
	return 0;
}
