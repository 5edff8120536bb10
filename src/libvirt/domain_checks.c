/* The checks on a VM definition. Messages say what was found; fixes say what to write, in the
 * form of the input (libvirt XML or QEMU arguments). */
#include "libvirt/domain_checks.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/domain_checks_int.h"
#include "libvirt/romcheck.h"
#include "util/cleanup.h"

int lv_goal_parse(const char *s, enum lv_goal *ret)
{
	if (strcmp(s, "nouveau") == 0)
		*ret = LV_GOAL_NOUVEAU;
	else if (strcmp(s, "nvidia") == 0)
		*ret = LV_GOAL_NVIDIA;
	else if (strcmp(s, "windows") == 0)
		*ret = LV_GOAL_WINDOWS;
	else
		return -EINVAL;
	return 0;
}

const char *lv_goal_name(enum lv_goal g)
{
	return g == LV_GOAL_NVIDIA ? "nvidia" : g == LV_GOAL_WINDOWS ? "windows" : "nouveau";
}

void lv_checks_clear(struct lv_checks *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].message);
		free(c->v[i].fix);
	}
	free(c->v);
	*c = (struct lv_checks){0};
}

size_t lv_checks_count(const struct lv_checks *c, enum severity s)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		n += !c->v[i].passed && c->v[i].severity == s;
	return n;
}

char *lv_vfmt(const char *f, va_list ap)
{
	char *s = NULL;
	return vasprintf(&s, f, ap) < 0 ? NULL : s;
}

int lv_add(struct lv_checks *c, const char *id, enum severity sev, const char *fix, const char *msg, ...)
{
	struct lv_check *v = realloc(c->v, (c->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	c->v = v;
	va_list ap;
	va_start(ap, msg);
	char *m = lv_vfmt(msg, ap);
	va_end(ap);
	char *f = fix ? strdup(fix) : NULL;
	if (!m || (fix && !f)) {
		free(m);
		free(f);
		return -ENOMEM;
	}
	c->v[c->n++] = (struct lv_check){ .id = id, .severity = sev, .passed = !fix, .message = m, .fix = f };
	return 0;
}

char *lv_fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = lv_vfmt(f, ap);
	va_end(ap);
	return s;
}

static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

int lv_read_host(const struct root *r, const char *path, size_t max, char **ret, size_t *ret_len, struct err *e)
{
	return r ? root_read_file(r, rel(path), max, ret, ret_len, e) : -ENOENT;
}

bool lv_is_q35(const struct vmconf *vm)
{
	return vm->machine && strstr(vm->machine, "q35");
}

const char *lv_goal_driver(enum lv_goal g)
{
	return g == LV_GOAL_NVIDIA ? "the NVIDIA driver" : g == LV_GOAL_WINDOWS ? "the Windows NVIDIA driver" : "nouveau";
}

/* The card is given as QEMU arguments (a QEMU command line, or -device in <qemu:commandline>). */
static bool qemu_form(const struct vmconf *vm, const struct vm_pci_hostdev *h)
{
	return vm->input == VM_QEMU || h->in_cmdline;
}

static int check_subsys(struct lv_checks *c, const struct vmconf *vm, const struct vm_pci_hostdev *h,
			const struct host_pci *host, enum lv_goal goal)
{
	const char *id = "nvidia-subsystem-ids";
	bool ua = h->alias && !strncmp(h->alias, "ua-", 3);
	_cleanup_free_ char *fix = !qemu_form(vm, h)
		? lv_fmt("run 'optimus-guest libvirt fix', or give the hostdev <alias name='%s'/> and add to the domain "
			 "(xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0' on <domain>, libvirt >= 8.2): "
			 "<qemu:override><qemu:device alias='%s'><qemu:frontend>"
			 "<qemu:property name='x-pci-sub-vendor-id' type='unsigned' value='%u'/>"
			 "<qemu:property name='x-pci-sub-device-id' type='unsigned' value='%u'/>"
			 "</qemu:frontend></qemu:device></qemu:override>",
			 ua ? h->alias : LV_NVIDIA_ALIAS, ua ? h->alias : LV_NVIDIA_ALIAS, host->sub_vendor, host->sub_device)
		: lv_fmt("add x-pci-sub-vendor-id=%u,x-pci-sub-device-id=%u to the card's -device vfio-pci argument%s%s",
			 host->sub_vendor, host->sub_device, h->in_cmdline ? " in <qemu:commandline>" : "",
			 h->in_cmdline ? " ('optimus-guest libvirt fix' does it)" : "");
	if (!fix)
		return -ENOMEM;
	int rc;
	if (host->sub_vendor == 0 || host->sub_device == 0)
		return lv_add(c, id, SEV_ERROR,
			      "find the card's real subsystem ids (lspci -nnv on the host before vfio-pci takes the card, or the laptop's documentation) and set them by hand",
			      "the host's sysfs reports subsystem %04x:%04x for the NVIDIA card: the real ids are not known here, so they cannot be checked or set",
			      host->sub_vendor, host->sub_device);
	if (h->sub_via == SUB_NONE) {
		const char *what = goal == LV_GOAL_NOUVEAU ? "nouveau does not take the card"
				   : goal == LV_GOAL_NVIDIA ? "the NVIDIA driver sees a card that is not the laptop's"
				   : "Windows sees SUBSYS_00000000 and the NVIDIA installer does not recognise the card";
		rc = lv_add(c, id, SEV_ERROR, fix,
			    "the subsystem ids are not set on the NVIDIA card: the guest sees what the card reports after its reset (0000:0000 on the laptops tested) instead of the host's %04x:%04x, and %s",
			    host->sub_vendor, host->sub_device, what);
		if (rc == 0 && vm->stray_aliases.n)
			rc = lv_add(c, "nvidia-alias", SEV_ERROR, fix,
				    "overrides or -set arguments refer to alias '%s', which no PCI hostdev carries (the NVIDIA hostdev is %s)",
				    vm->stray_aliases.v[0], h->alias ? h->alias : h->auto_alias ? h->auto_alias : "unnamed");
		return rc;
	}
	const char *via = h->sub_via == SUB_OVERRIDE ? "<qemu:override>" : h->sub_via == SUB_SET ? "-set"
			  : h->sub_via == SUB_GLOBAL ? "-global vfio-pci.*" : "vfio-pci properties";
	if (h->sub_vendor < 0 || h->sub_device < 0)
		return lv_add(c, id, SEV_ERROR, fix, "the subsystem ids are set through %s, but %s %s",
			      via, h->sub_vendor == -1 || h->sub_device == -1 ? "only one of" : "not as numbers:",
			      "x-pci-sub-vendor-id and x-pci-sub-device-id");
	if ((unsigned long long)h->sub_vendor != host->sub_vendor || (unsigned long long)h->sub_device != host->sub_device)
		return lv_add(c, id, SEV_ERROR, fix,
			      "the subsystem ids are set through %s to %04llx:%04llx (%lld, %lld), but the host card's are %04x:%04x (%u, %u)",
			      via, h->sub_vendor, h->sub_device, h->sub_vendor, h->sub_device,
			      host->sub_vendor, host->sub_device, host->sub_vendor, host->sub_device);
	rc = lv_add(c, id, SEV_ERROR, NULL, "subsystem ids %04x:%04x (%u, %u) set through %s, as on the host",
		    host->sub_vendor, host->sub_device, host->sub_vendor, host->sub_device, via);
	/* -global reaches every vfio-pci device: another one passed through gets the card's ids */
	if (rc == 0 && h->sub_via == SUB_GLOBAL && vm->n_pci > 1)
		rc = lv_add(c, "nvidia-subsystem-global", SEV_WARNING,
			    "set the ids on the NVIDIA card alone: 'optimus-guest libvirt fix' writes them for its hostdev; then remove the two -global arguments",
			    "-global vfio-pci.x-pci-sub-* gives every passed-through PCI device (%zu here) the NVIDIA card's subsystem ids, not the card alone",
			    vm->n_pci);
	if (rc == 0 && !qemu_form(vm, h) && h->sub_via == SUB_OVERRIDE && !ua)
		rc = lv_add(c, "nvidia-alias", SEV_WARNING,
			    "give the hostdev a user alias (<alias name='" LV_NVIDIA_ALIAS "'/>) and use it in <qemu:device alias=...>; 'optimus-guest libvirt fix' does both",
			    "the override refers to '%s', a name libvirt makes up itself (user aliases start with 'ua-'); it changes when hostdevs are added or removed",
			    h->alias ? h->alias : h->auto_alias);
	return rc;
}

/* A versioned machine type (pc-q35-7.2, pc-i440fx-6.2) names the oldest QEMU that can run it. */
static bool machine_at_least(const char *machine, int major, int minor)
{
	const char *dash = machine ? strrchr(machine, '-') : NULL;
	int ma, mi, n = 0;
	if (!dash || sscanf(dash + 1, "%d.%d%n", &ma, &mi, &n) != 2 || dash[1 + n])
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* What replaces '-set device.A.PROP=V' in a libvirt domain. */
static char *set_replacement(const struct vm_set *st, bool nvidia)
{
	if (!strncmp(st->prop, "x-pci-sub-", 10))
		return lv_fmt("<qemu:property name='%s' type='unsigned' value='%s'/> in <qemu:override><qemu:device alias='ua-...'><qemu:frontend>%s",
			      st->prop, st->value, nvidia ? " ('optimus-guest libvirt fix' does it)" : "");
	if (!strcmp(st->prop, "romfile"))
		return lv_fmt("<rom file='%s'/> in the hostdev%s", st->value, nvidia ? " ('optimus-guest libvirt fix' does it)" : "");
	if (!strcmp(st->prop, "rombar"))
		return lv_fmt("<rom bar='%s'/> in the hostdev", strcmp(st->value, "0") && strcmp(st->value, "off") ? "on" : "off");
	return lv_fmt("<qemu:property name='%s' value='%s' type=...> in <qemu:override><qemu:device alias='ua-...'><qemu:frontend> (libvirt >= 8.2)%s",
		      st->prop, st->value, nvidia ? " ('optimus-guest libvirt fix' moves it)" : "");
}

/* Every '-set device.*' argument: QEMU >= 6.2 with JSON -device rejects them. */
static int check_set_form(struct lv_checks *c, const struct vmconf *vm, const struct vm_pci_hostdev *nv)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < vm->n_sets; i++) {
		const struct vm_set *st = &vm->sets[i];
		const struct vm_pci_hostdev *t = NULL;
		for (size_t k = 0; k < vm->n_pci && !t; k++) {
			const char *a = vm->pci[k].alias ? vm->pci[k].alias : vm->pci[k].auto_alias;
			if (a && !strcmp(a, st->alias))
				t = &vm->pci[k];
		}
		/* -set reaches a -device given in key=value form (QEMU command lines, <qemu:commandline>) */
		if (t && qemu_form(vm, t) && !t->json_device)
			continue;
		if (vm->input == VM_QEMU) {
			if (!t)
				continue;
			rc = lv_add(c, "qemu-set-form", SEV_ERROR, "put the property into the card's JSON -device object",
				    "'-set device.%s.%s=%s' cannot reach a -device given as JSON: QEMU stops with 'there is no device \"%s\" defined'",
				    st->alias, st->prop, st->value, st->alias);
			continue;
		}
		_cleanup_free_ char *fix = set_replacement(st, t && t == nv);
		if (!fix)
			return -ENOMEM;
		if (t && machine_at_least(vm->machine, 6, 2))
			rc = lv_add(c, "qemu-set-form", SEV_ERROR, fix,
				    "'-set device.%s.%s=%s' in <qemu:commandline>, and machine type %s needs QEMU >= 6.2, where libvirt "
				    "passes -device as JSON: the VM fails to start with 'there is no device \"%s\" defined'",
				    st->alias, st->prop, st->value, vm->machine, st->alias);
		else
			rc = lv_add(c, "qemu-set-form", t ? SEV_WARNING : SEV_ERROR, fix,
				    "'-set device.%s.%s=%s' in <qemu:commandline>: since QEMU 6.2 libvirt passes -device as JSON and the VM fails to start with 'there is no device \"%s\" defined'%s",
				    st->alias, st->prop, st->value, st->alias, t ? "" : "; no device of the domain has that alias either");
	}
	return rc;
}

static int check_rom(struct lv_checks *c, const struct root *r, const struct vmconf *vm,
		     const struct vm_pci_hostdev *h, const struct host_pci *host, enum lv_goal goal)
{
	const char *id = "nvidia-rom";
	enum severity sev = goal == LV_GOAL_NOUVEAU ? SEV_ERROR : SEV_WARNING;
	bool q = qemu_form(vm, h);
	const char *fix = !q ? "extract the card's VBIOS on the host (optimus-guest vbios extract), store it where QEMU may read it "
			       "(e.g. /var/lib/libvirt/vbios/) and run 'optimus-guest libvirt fix --vbios FILE' (adds <rom file='FILE'/> to the hostdev)"
			     : "extract the card's VBIOS on the host (optimus-guest vbios extract) and add romfile=FILE to the card's -device vfio-pci argument";
	const char *loss = goal == LV_GOAL_NOUVEAU ? "nouveau finds no VBIOS in the guest"
			   : "the guest firmware gets no option ROM for it (the NVIDIA driver reads the VBIOS through ACPI _ROM, see nvidia-vbios-acpi; nouveau would need this ROM)";
	int rc = 0;
	if (h->rom_bar == 0 && goal == LV_GOAL_NOUVEAU) {
		rc = lv_add(c, "nvidia-rom-bar", SEV_ERROR,
			    q ? "remove rombar=0 from the card's -device vfio-pci" : "remove bar='off' from the hostdev's <rom> ('optimus-guest libvirt fix' does it)",
			    "the card's ROM BAR is off (%s): with UEFI the guest firmware reads option ROMs through the ROM BAR, so it hands the kernel no VBIOS and nouveau finds none",
			    q ? "rombar=0" : "<rom bar='off'/>");
		if (rc < 0)
			return rc;
	}
	if (h->rom_disabled)
		return lv_add(c, id, sev, "remove enabled='no' from the hostdev's <rom> and give it file='VBIOS' ('optimus-guest libvirt fix --vbios FILE' does both)",
			      "the hostdev's ROM is switched off (<rom enabled='no'/>): %s", loss);
	if (!h->rom_file)
		return lv_add(c, id, sev, fix, "the NVIDIA card gets no VBIOS as its ROM (%s): %s",
			      !q ? "no <rom file=...> on the hostdev" : "no romfile= on its -device vfio-pci", loss);
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	struct err e = {0};
	rc = lv_read_host(r, h->rom_file, ROOT_MAX_FILE, &data, &len, &e);
	if (rc == -ENOENT)
		return lv_add(c, id, sev, fix, "the ROM file '%s' does not exist on the host", h->rom_file);
	if (rc < 0)
		return lv_add(c, id, sev, fix, "the ROM file '%s' cannot be read: %s", h->rom_file, e.msg[0] ? e.msg : strerror(-rc));
	struct rom_id rid;
	char why[256];
	if (rom_check_nvidia((const uint8_t *)data, len, &rid, why, sizeof(why)) < 0)
		return lv_add(c, id, sev, fix, "the ROM file '%s' is not an NVIDIA VBIOS: %s", h->rom_file, why);
	if (rid.device != host->device) {
		_cleanup_free_ char *f = lv_fmt("use the VBIOS of this card (device 10de:%04x)", host->device);
		return f ? lv_add(c, id, SEV_ERROR, f, "the ROM file '%s' is an NVIDIA VBIOS for device %04x, but the card is %04x:%04x",
				  h->rom_file, rid.device, host->vendor, host->device) : -ENOMEM;
	}
	return lv_add(c, id, sev, NULL, "ROM '%s': NVIDIA VBIOS for 10de:%04x, class %06x", h->rom_file, rid.device, rid.class_code);
}

static int check_root_port(struct lv_checks *c, const struct vmconf *vm, const struct vm_pci_hostdev *h)
{
	const char *id = "nvidia-root-port";
	if (!lv_is_q35(vm))
		return 0;
	if (h->bus_model && strcmp(h->bus_model, "pcie-root-port") == 0)
		return lv_add(c, id, SEV_WARNING, NULL, "the NVIDIA card sits behind a PCIe root port");
	if (!h->bus_model && h->guest_bus < 0 && vm->input == VM_LIBVIRT)
		return lv_add(c, id, SEV_WARNING, NULL, "no guest address given: libvirt places the card behind a pcie-root-port");
	if (vm->input == VM_LIBVIRT)
		return lv_add(c, id, SEV_WARNING,
			   "remove the hostdev's guest <address> (libvirt then adds a pcie-root-port for it) or move it to a bus whose controller has model='pcie-root-port'",
			   "the NVIDIA card sits on guest bus %d, a %s, not behind a PCIe root port",
			   h->guest_bus, h->bus_model ? h->bus_model : "bus without a controller");
	return lv_add(c, id, SEV_WARNING,
		   "add -device pcie-root-port,id=rp1,chassis=1,slot=1 and bus=rp1 to the card's -device vfio-pci",
		   "the NVIDIA card %s, not behind a PCIe root port",
		   h->bus_model ? (strcmp(h->bus_model, "pcie-root") == 0 ? "sits on pcie.0" : "sits on a bus that is not a pcie-root-port")
				: "has no bus=, so QEMU puts it on pcie.0");
}

static int check_machine(struct lv_checks *c, const struct vmconf *vm)
{
	bool lv = vm->input == VM_LIBVIRT;
	int rc;
	if (lv_is_q35(vm))
		rc = lv_add(c, "machine-q35", SEV_WARNING, NULL, "machine type %s", vm->machine);
	else
		rc = lv_add(c, "machine-q35", SEV_WARNING,
			 lv ? "create the VM with the q35 machine type (virt-install --machine q35; virt-manager: Customize, Chipset Q35); changing the type of an installed VM moves its devices"
			    : "add -machine q35",
			 "machine type %s: everything was tested on q35; i440fx is untested", vm->machine ? vm->machine : "QEMU's default (i440fx)");
	if (rc == 0 && vm->firmware_efi)
		rc = lv_add(c, "firmware-uefi", SEV_WARNING, NULL, "UEFI firmware: %s", vm->firmware);
	else if (rc == 0)
		rc = lv_add(c, "firmware-uefi", SEV_WARNING,
			 lv ? "use OVMF: <os firmware='efi'> (virt-install --boot uefi; virt-manager: Customize, Firmware UEFI); an installed BIOS guest needs an EFI system partition first"
			    : "add -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
			 "firmware: %s; everything was tested with OVMF, SeaBIOS is untested", vm->firmware ? vm->firmware : "SeaBIOS");
	return rc;
}

static int check_handover(struct lv_checks *c, const struct vmconf *vm, enum lv_goal goal)
{
	const char *id = "efi-rom-handover";
	if (goal != LV_GOAL_NOUVEAU)
		return 0;
	bool lv = vm->input == VM_LIBVIRT;
	if (!vm->firmware_efi)
		return lv_add(c, id, SEV_ERROR, lv ? "use OVMF: <os firmware='efi'> (see firmware-uefi)" : "use OVMF: -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
			      "no UEFI firmware (%s): without EFI the hand-over cannot happen, so the kernel gets no PCI ROM and nouveau no VBIOS",
			      vm->firmware ? vm->firmware : "SeaBIOS");
	if (vm->kernel)
		return lv_add(c, id, SEV_WARNING, NULL, "direct kernel boot (%s): OVMF starts the kernel through its EFI stub, so the kernel receives the card's ROM", vm->kernel);
	return lv_add(c, id, SEV_WARNING,
		      lv ? "boot the guest kernel directly (<kernel>, <initrd>, <cmdline> in <os>), or make sure the guest's loader starts it through EFI (systemd-boot, Fedora's GRUB linuxefi); in the guest, 'optimus-guest plan' checks efi-rom-handover"
			 : "boot the guest kernel with -kernel/-initrd/-append, or make sure the guest's loader starts it through EFI; in the guest, 'optimus-guest plan' checks efi-rom-handover",
		      "the kernel is started by the guest's boot loader: nouveau gets the VBIOS only if that loader uses the EFI stub or EFI handover (mainline GRUB does not); this cannot be seen from the host");
}

static int check_gvt(struct lv_checks *c, const struct root *r, const struct vmconf *vm)
{
	bool lv = vm->input == VM_LIBVIRT;
	int rc;
	if (vm->n_mdev == 0)
		return lv_add(c, "gvt-mdev", SEV_WARNING,
			   lv ? "create a GVT-g vGPU (echo $(uuidgen) > /sys/bus/pci/devices/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/create) and add "
				"<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-pci' display='on' ramfb='on'><source><address uuid='UUID'/></source></hostdev>"
			      : "create a GVT-g vGPU and add -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/UUID,display=on",
			   "no GVT-g vGPU (mdev hostdev): every topology with X needs it as the primary GPU");
	const struct vm_mdev *m = &vm->mdev[0];
	if (r && host_mdev_exists(r, m->uuid))
		rc = lv_add(c, "gvt-mdev", SEV_WARNING, NULL, "GVT-g vGPU %s exists on the host", m->uuid);
	else
		rc = lv_add(c, "gvt-mdev", SEV_WARNING,
			 "create it before starting the VM: echo UUID > /sys/bus/pci/devices/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/create (or with mdevctl)",
			 "the vGPU %s is not on the host (sys/bus/mdev/devices/%s): the VM will not start until it is created",
			 m->uuid ? m->uuid : "(no uuid)", m->uuid ? m->uuid : "");
	if (rc < 0)
		return rc;
	if (m->display == 1)
		return lv_add(c, "gvt-display", SEV_WARNING, NULL, "the vGPU's display is on%s", m->ramfb == 1 ? " (with ramfb for the boot screen)" : "");
	return lv_add(c, "gvt-display", SEV_WARNING,
		   lv ? "set display='on' (and ramfb='on' for the firmware's screen) on the mdev <hostdev>, and show it with SPICE <gl enable='yes'/> (listen type 'none') or with VNC next to <graphics type='egl-headless'/>"
		      : "add display=on (and ramfb=on) to the vGPU's -device vfio-pci,sysfsdev=...",
		   "the vGPU's display is off: its output reaches no screen, so SPICE/VNC show nothing of GVT");
}

static int check_displays(struct lv_checks *c, const struct vmconf *vm)
{
	bool lv = vm->input == VM_LIBVIRT;
	int rc;
	if (vm->graphics.n)
		rc = lv_add(c, "remote-display", SEV_INFO, NULL, "display: %s%s%s", vm->graphics.v[0],
			 vm->graphics.n > 1 ? ", " : "", vm->graphics.n > 1 ? vm->graphics.v[1] : "");
	else
		rc = lv_add(c, "remote-display", SEV_INFO,
			 lv ? "add <graphics type='spice'> (or VNC), or use a remote desktop from inside the guest" : "add -spice or -vnc, or -display gtk,gl=on",
			 "no graphics device: GVT has no local output, so its screen is seen only through a remote display");
	for (size_t i = 0; rc == 0 && i < vm->video.n; i++) {
		const char *v = vm->video.v[i];
		if (strcmp(v, "none") == 0 || strcmp(v, "ramfb") == 0)
			continue;
		return lv_add(c, "emulated-display", SEV_WARNING,
			   lv ? "set <video><model type='none'/></video> and watch the vGPU through SPICE/VNC (display='on', ramfb='on'); or keep it and let 'optimus-guest apply' in the guest make GVT X's primary GPU"
			      : "add -vga none (and -nodefaults), watch the vGPU through SPICE/VNC; or let 'optimus-guest apply' in the guest make GVT X's primary GPU",
			   "the guest has an emulated '%s' display device: it is the boot VGA, and X takes it as its primary GPU; X on it with GVT or NVIDIA as a secondary is a broken topology (qxl-primary)", v);
	}
	return rc;
}

int lv_checks_run(const struct root *r, const struct vmconf *vm, int nv, const struct host_pci *host,
		  enum lv_goal goal, struct lv_checks *c)
{
	*c = (struct lv_checks){0};
	int rc = 0;
	if (nv < 0) {
		char a[16];
		bool have = r && host_find_nvidia(r, a);
		char fix[320];
		snprintf(fix, sizeof(fix), vm->input == VM_LIBVIRT
			 ? "pass the card through: virt-xml DOMAIN --add-device --hostdev %s (it must be bound to vfio-pci)"
			 : "add -device vfio-pci,host=%s", have ? a : "ADDRESS");
		rc = lv_add(c, "nvidia-hostdev", SEV_ERROR, fix, "no NVIDIA card is passed through%s%s",
			 have ? "; the host has one at " : "", have ? a : "");
	} else {
		const struct vm_pci_hostdev *h = &vm->pci[nv];
		char a[16];
		bool muxless = (host->class_code >> 8) == 0x0302;
		rc = lv_add(c, "nvidia-muxless", SEV_ERROR,
			 muxless ? NULL : "this tool covers muxless cards (class 0x0302) only; a card with outputs can drive a screen itself",
			 "NVIDIA card %s: %04x:%04x, subsystem %04x:%04x, class 0x%06x%s", vm_pci_addr(h, a), host->vendor, host->device,
			 host->sub_vendor, host->sub_device, host->class_code,
			 muxless ? " (3D controller, no outputs)" : " has display outputs: out of scope");
		if (rc == 0)
			rc = check_subsys(c, vm, h, host, goal);
		if (rc == 0)
			rc = check_rom(c, r, vm, h, host, goal);
		if (rc == 0)
			rc = check_root_port(c, vm, h);
	}
	if (rc == 0)
		rc = check_set_form(c, vm, nv >= 0 ? &vm->pci[nv] : NULL);
	if (rc == 0)
		rc = check_machine(c, vm);
	if (rc == 0)
		rc = check_handover(c, vm, goal);
	if (rc == 0)
		rc = lv_check_acpi(c, r, vm, nv >= 0 ? &vm->pci[nv] : NULL, goal);
	if (rc == 0)
		rc = check_gvt(c, r, vm);
	if (rc == 0)
		rc = check_displays(c, vm);
	if (rc == 0 && vm->unexpanded.n) {
		_cleanup_free_ char *names = strv_join(&vm->unexpanded, ", ");
		rc = names ? lv_add(c, "qemu-args-variables", SEV_WARNING,
				    "check those arguments by hand, or give the command line as QEMU received it: tr '\\0' '\\n' < /proc/PID/cmdline",
				    "the script uses shell values this tool cannot expand: %s; the arguments holding them were read as written", names)
			   : -ENOMEM;
	}
	if (rc < 0)
		lv_checks_clear(c);
	return rc;
}
