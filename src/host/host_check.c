/* host check: the iGPU and its GVT-g, the IOMMU, the modules, the vGPUs. */
#include "host/host_check_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_igpu.h"
#include "util/buf.h"
#include "util/cleanup.h"

/* How to add a word to the kernel command line, for the boot loaders laptops use. */
#define BOOT_CMDLINE_HOW(w) \
	"GRUB: append " w " to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub and run update-grub " \
	"(grub2-mkconfig -o /boot/grub2/grub.cfg on Fedora); systemd-boot: append it to the options line " \
	"of the entry in /boot/loader/entries/ (or to /etc/kernel/cmdline where kernel-install writes the entries); " \
	"Pop!_OS: kernelstub -a " w "; then reboot"

char *hc_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

int hc_add(struct host_report *r, const char *id, enum severity sev, bool passed, char *message, char *fix)
{
	struct host_check *n = realloc(r->checks, (r->n + 1) * sizeof(*n));
	if (!n || !message || (!passed && !fix)) {
		if (n)
			r->checks = n;
		free(message);
		free(fix);
		return -ENOMEM;
	}
	r->checks = n;
	r->checks[r->n++] = (struct host_check){ .id = id, .severity = sev, .passed = passed, .message = message,
						 .fix = passed ? (free(fix), NULL) : fix };
	if (!passed && sev == SEV_ERROR)
		r->ready = false;
	return 0;
}

bool hc_cmdline_has(const char *cmdline, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = cmdline; p && *p;) {
		p += strspn(p, " \t");
		size_t k = strcspn(p, " \t");
		if (k == n && !strncmp(p, w, n))
			return true;
		p += k;
	}
	return false;
}

const char *hc_class_name(unsigned c, char buf[static 24])
{
	static const struct { unsigned cls; const char *name; } t[] = {
		{ 0x0403, "audio device" }, { 0x0401, "audio device" }, { 0x0c03, "USB controller" },
		{ 0x0c80, "serial bus controller" }, { 0x0c05, "SMBus controller" }, { 0x0106, "SATA controller" },
		{ 0x0108, "NVMe controller" }, { 0x0200, "Ethernet controller" }, { 0x0280, "network controller" },
		{ 0x0604, "PCI bridge" }, { 0x0600, "host bridge" }, { 0x0300, "VGA controller" },
		{ 0x0302, "3D controller" }, { 0x0380, "display controller" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].cls == c >> 8)
			return t[i].name;
	snprintf(buf, 24, "class 0x%06x", c);
	return buf;
}

static int check_igpu(const struct host_facts *f, struct host_report *r)
{
	const char *id = "igpu-gvt";
	if (f->igpu < 0)
		return hc_add(r, id, SEV_ERROR, false,
			      hc_fmt("no Intel display device (vendor 8086, class 03xxxx) in /sys/bus/pci/devices: GVT-g needs the Intel iGPU"),
			      hc_fmt("enable the integrated graphics in the firmware setup (a laptop set to 'discrete only' hides it; choose hybrid/Optimus)"));
	const struct host_dev *d = &f->devs[f->igpu];
	const struct igpu_id *g = igpu_lookup(d->id.device);
	if (!g)
		return hc_add(r, id, SEV_ERROR, false,
			      hc_fmt("%s 8086:%04x is not in i915's list of iGPUs (Linux 6.1's i915_pciids.h, which this check is made from): "
				     "a newer iGPU, so no GVT-g (mainline GVT-g covers Broadwell to Comet Lake)", d->addr, d->id.device),
			      hc_fmt("GVT-g is not available for this iGPU; without a vGPU the guest has no Intel display device for the muxless NVIDIA card to render for"));
	if (!igpu_has_gvt(g))
		return hc_add(r, id, SEV_ERROR, false,
			      hc_fmt("%s 8086:%04x is %s (Gen %u): no GVT-g on this iGPU (mainline GVT-g covers Broadwell, Skylake, "
				     "Kaby Lake, Broxton, Coffee Lake and Comet Lake)", d->addr, d->id.device, g->platform, g->gen),
			      hc_fmt("none on this host: %s", igpu_no_gvt_instead(g)));
	return hc_add(r, id, SEV_ERROR, true,
		      hc_fmt("%s 8086:%04x is %s (Gen %u): GVT-g exists for it", d->addr, d->id.device, g->platform, g->gen), NULL);
}

static int check_iommu(const struct host_facts *f, struct host_report *r)
{
	if (f->n_iommu_units && f->n_iommu_groups)
		return hc_add(r, "iommu", SEV_ERROR, true,
			      hc_fmt("IOMMU on: %zu unit(s) in /sys/class/iommu, %zu group(s) in /sys/kernel/iommu_groups",
				     f->n_iommu_units, f->n_iommu_groups), NULL);
	bool asked = hc_cmdline_has(f->cmdline, "intel_iommu=on");
	return hc_add(r, "iommu", SEV_ERROR, false,
		      hc_fmt("no IOMMU: %s%s", f->n_iommu_units ? "/sys/kernel/iommu_groups has no group" : "/sys/class/iommu is empty",
			     asked ? ", although the kernel command line has intel_iommu=on: VT-d is off in the firmware setup" :
			     f->cmdline ? " and the kernel command line (/proc/cmdline) lacks intel_iommu=on" : ""),
		      asked ? hc_fmt("enable VT-d (Intel Virtualization Technology for Directed I/O) in the firmware setup")
			    : hc_fmt("enable VT-d in the firmware setup and add intel_iommu=on to the kernel command line; " BOOT_CMDLINE_HOW("intel_iommu=on")));
}

static int check_gvt_enabled(const struct host_facts *f, struct host_report *r)
{
	const char *id = "gvt-enabled";
	if (f->enable_gvt == 1)
		return hc_add(r, id, SEV_ERROR, true, hc_fmt("GVT-g is enabled: /sys/module/i915/parameters/enable_gvt is Y"), NULL);
	if (f->enable_gvt < 0 && !f->mod_i915)
		return hc_add(r, id, SEV_ERROR, false, hc_fmt("i915 is not loaded (no /sys/module/i915)"),
			      hc_fmt("let i915 load: remove 'blacklist i915' from /etc/modprobe.d and nomodeset from the kernel command line"));
	if (f->enable_gvt < 0)
		return hc_add(r, id, SEV_ERROR, false,
			      hc_fmt("i915 has no enable_gvt parameter (/sys/module/i915/parameters/enable_gvt): the kernel is built without CONFIG_DRM_I915_GVT"),
			      hc_fmt("use a kernel built with CONFIG_DRM_I915_GVT=y and CONFIG_DRM_I915_GVT_KVMGT=m (Debian's is)"));
	if (hc_cmdline_has(f->cmdline, "i915.enable_gvt=1"))
		return hc_add(r, id, SEV_ERROR, false,
			      hc_fmt("the kernel command line asks for i915.enable_gvt=1 but enable_gvt reads N: i915 turns it off on an "
				     "iGPU without GVT-g ('Unsupported device. GVT-g is disabled' in the kernel log) or inside a VM"),
			      hc_fmt("see igpu-gvt: this iGPU cannot run GVT-g"));
	return hc_add(r, id, SEV_ERROR, false, hc_fmt("GVT-g is off: /sys/module/i915/parameters/enable_gvt is N"),
		      hc_fmt("add i915.enable_gvt=1 to the kernel command line (" BOOT_CMDLINE_HOW("i915.enable_gvt=1") "), or put "
			     "'options i915 enable_gvt=1' in /etc/modprobe.d/i915-gvt.conf and run update-initramfs -u, then reboot"));
}

static int check_modules(const struct host_facts *f, struct host_report *r)
{
	/* A built-in module may have no sys/module entry: its bus, driver or types show it. */
	const char *names[] = { "kvmgt", "vfio_pci", "mdev" };
	const bool have[] = { f->mod_kvmgt || f->n_types, f->mod_vfio_pci || f->drv_vfio_pci, f->mod_mdev || f->bus_mdev };
	_cleanup_buf_ struct buf miss = {0};
	_cleanup_buf_ struct buf lines = {0};
	_cleanup_buf_ struct buf mp = {0};
	bool error = false;
	for (size_t i = 0; i < 3; i++) {
		if (have[i])
			continue;
		buf_printf(&miss, "%s%s", miss.len ? ", " : "", names[i]);
		buf_printf(&lines, "%s'%s'", lines.len ? ", " : "", names[i]);
		buf_printf(&mp, " %s", names[i]);
		error |= i != 1;
	}
	if (!miss.len)
		return hc_add(r, "modules", SEV_ERROR, true, hc_fmt("kvmgt, vfio_pci and mdev are loaded (/sys/module, /sys/bus/mdev, /sys/bus/pci/drivers/vfio-pci)"), NULL);
	return hc_add(r, "modules", error ? SEV_ERROR : SEV_WARNING, false,
		      hc_fmt("not loaded: %s (no /sys/module/NAME, nor its bus or driver)%s", miss.s,
			     error ? "" : "; libvirt loads vfio_pci itself when it detaches a managed hostdev"),
		      hc_fmt("load them at every boot: put the lines %s in /etc/modules-load.d/optimus-guest.conf; now: modprobe -a%s",
			     lines.s, mp.s));
}

/* The host has an iGPU that GVT-g supports. */
static bool gvt_capable(const struct host_facts *f)
{
	return f->igpu >= 0 && igpu_has_gvt(igpu_lookup(f->devs[f->igpu].id.device));
}

static int check_types(const struct host_facts *f, struct host_report *r)
{
	const char *id = "vgpu-types";
	if (f->igpu < 0 || (!gvt_capable(f) && !f->n_types))
		return hc_add(r, id, SEV_ERROR, false, hc_fmt("no GVT-g vGPU types: the host has no iGPU with GVT-g"), hc_fmt("see igpu-gvt"));
	const char *addr = f->devs[f->igpu].addr;
	if (!f->n_types) {
		bool why = f->enable_gvt != 1 || !f->mod_kvmgt;
		return hc_add(r, id, SEV_ERROR, false,
			      hc_fmt("no GVT-g vGPU types: /sys/bus/pci/devices/%s/mdev_supported_types is missing%s", addr,
				     why ? "; it appears once GVT-g is enabled and kvmgt is loaded" : " although GVT-g is enabled and kvmgt is loaded"),
			      why ? hc_fmt("see gvt-enabled and modules") : hc_fmt("the kernel log says why: dmesg | grep -i gvt"));
	}
	_cleanup_buf_ struct buf b = {0};
	long used = 0, free_total = 0;
	for (size_t i = 0; i < f->n_mdevs; i++)
		used += !strcmp(f->mdevs[i].parent, addr);
	for (size_t i = 0; i < f->n_types; i++) {
		const struct host_mdev_type *t = &f->types[i];
		if (t->available > 0)
			free_total += t->available;
		buf_printf(&b, "%s%s (%s): ", i ? "; " : "", t->id, t->description && *t->description ? t->description : "no description");
		if (t->available < 0)
			buf_puts(&b, "available_instances unreadable");
		else
			buf_printf(&b, "%ld available", t->available);
	}
	if (used)
		buf_printf(&b, "; %ld vGPU%s of this iGPU exist%s", used, used == 1 ? "" : "s", used == 1 ? "s" : "");
	bool ok = free_total > 0 || used > 0;
	return hc_add(r, id, SEV_ERROR, ok, hc_fmt("%s", b.s ? b.s : ""),
		      ok ? NULL : hc_fmt("every type has 0 instances left: remove a vGPU nothing uses (mdevctl stop -u UUID; mdevctl undefine -u UUID)"));
}

/* The type to suggest: one with instances left, GVTg_V5_4 (1920x1200) if offered. */
static const char *pick_type(const struct host_facts *f)
{
	const char *best = NULL;
	for (size_t i = 0; i < f->n_types; i++) {
		if (f->types[i].available <= 0)
			continue;
		size_t n = strlen(f->types[i].id);
		if (!best || (n > 2 && !strcmp(f->types[i].id + n - 2, "_4")))
			best = f->types[i].id;
	}
	return best ? best : "i915-GVTg_V5_4";
}

static int check_vgpu(const struct host_facts *f, struct host_report *r)
{
	const char *id = "vgpu";
	if (f->igpu < 0 || (!gvt_capable(f) && !f->n_mdevs))
		return hc_add(r, id, SEV_WARNING, false, hc_fmt("no GVT-g vGPU: the host has no iGPU with GVT-g"), hc_fmt("see igpu-gvt"));
	const char *addr = f->devs[f->igpu].addr;
	const struct host_mdev *active = NULL;
	const struct mdevctl_def *def = NULL, *def_of_active = NULL;
	for (size_t i = 0; i < f->n_mdevs && !active; i++)
		if (!strcmp(f->mdevs[i].parent, addr))
			active = &f->mdevs[i];
	for (size_t i = 0; i < f->n_defs; i++) {
		if (strcmp(f->defs[i].parent, addr))
			continue;
		if (!def || (f->defs[i].autostart && !def->autostart))
			def = &f->defs[i];
		if (active && !strcmp(f->defs[i].uuid, active->uuid))
			def_of_active = &f->defs[i];
	}
	if (def_of_active)
		def = def_of_active;
	_cleanup_buf_ struct buf bad = {0};
	for (size_t i = 0; i < f->def_errors.n; i++)
		buf_printf(&bad, "; unreadable definition: %s", f->def_errors.v[i]);
	const char *bads = bad.s ? bad.s : "";
	int rc;
	if (def && def->autostart) {
		bool on = active && !strcmp(active->uuid, def->uuid);
		rc = hc_add(r, id, bad.len ? SEV_WARNING : SEV_ERROR, !bad.len,
			    hc_fmt("vGPU %s (%s) is defined in /etc/mdevctl.d/%s/ and started at boot; %s%s", def->uuid, def->type,
				   def->parent, on ? "it exists now" : "it does not exist now ('mdevctl start -u' it)", bads),
			    hc_fmt("fix or remove the unreadable files under /etc/mdevctl.d (mdevctl refuses most of them too)"));
	} else if (def) {
		rc = hc_add(r, id, SEV_WARNING, false,
			    hc_fmt("vGPU %s (%s) is defined in /etc/mdevctl.d/%s/ but not started at boot (start: manual)%s",
				   def->uuid, def->type, def->parent, bads),
			    hc_fmt("mdevctl modify --auto -u %s", def->uuid));
	} else if (active) {
		rc = hc_add(r, id, SEV_WARNING, false,
			    hc_fmt("vGPU %s (%s) exists now but no mdevctl definition keeps it: it is gone after a reboot%s",
				   active->uuid, active->type ? active->type : "type unknown", bads),
			    hc_fmt("keep it across reboots: mdevctl define --auto -u %s", active->uuid));
	} else {
		rc = hc_add(r, id, SEV_WARNING, false,
			    hc_fmt("no GVT-g vGPU exists (/sys/bus/mdev/devices) and none is defined in /etc/mdevctl.d%s", bads),
			    hc_fmt("create one and keep it across reboots (package mdevctl): U=$(cat /proc/sys/kernel/random/uuid); "
				   "mdevctl define --auto -u $U -p %s -t %s && mdevctl start -u $U; the VM's domain names it "
				   "(<hostdev type='mdev'> with <address uuid='...'/>: 'optimus-guest libvirt check' looks)", addr, pick_type(f)));
	}
	return rc;
}

int host_check(const struct host_facts *f, struct host_report *ret)
{
	int (*const steps[])(const struct host_facts *, struct host_report *) = {
		check_igpu, check_iommu, check_gvt_enabled, check_modules, check_types, check_vgpu, hc_nvidia_checks,
	};
	memset(ret, 0, sizeof(*ret));
	ret->ready = true;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int rc = steps[i](f, ret);
		if (rc < 0) {
			host_report_clear(ret);
			return rc;
		}
	}
	return 0;
}

void host_report_clear(struct host_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->checks[i].message);
		free(r->checks[i].fix);
	}
	free(r->checks);
	memset(r, 0, sizeof(*r));
}
