#include "model/classify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct range {
	unsigned lo, hi;
	const char *family;
};

/* include/drm/i915_pciids.h, the platforms intel_gvt.c supports */
static const struct range gvt_ids[] = {
	{ 0x1602, 0x163e, "Broadwell" },
	{ 0x1902, 0x193d, "Skylake" },
	{ 0x0a84, 0x0a84, "Broxton" },
	{ 0x1a84, 0x1a85, "Broxton" },
	{ 0x5a84, 0x5a85, "Broxton" },
	{ 0x5902, 0x593b, "Kaby Lake" },
	{ 0x87c0, 0x87c0, "Amber Lake" },
	{ 0x87ca, 0x87ca, "Amber Lake" },
	{ 0x3e90, 0x3ea9, "Coffee Lake" },
	{ 0x9b21, 0x9bf6, "Comet Lake" },
};

const char *classify_gvt_family(unsigned device)
{
	for (size_t i = 0; i < sizeof(gvt_ids) / sizeof(*gvt_ids); i++)
		if (device >= gvt_ids[i].lo && device <= gvt_ids[i].hi)
			return gvt_ids[i].family;
	return NULL;
}

bool classify_in_vm(const struct snapshot *s)
{
	const char *v = s->env.dmi_sys_vendor;
	return s->env.hypervisor_flag || (v && (strstr(v, "QEMU") || strstr(v, "KVM")));
}

bool role_is_emulated(const char *role)
{
	return role && (strcmp(role, ROLE_QXL) == 0 || strcmp(role, ROLE_VIRTIO_GPU) == 0 ||
			strcmp(role, ROLE_BOCHS) == 0 || strcmp(role, ROLE_CIRRUS) == 0 ||
			strcmp(role, ROLE_VMWARE) == 0);
}

const char *pci_drm_driver(const struct pci_device *d)
{
	if (d->driver && !strcmp(d->driver, "virtio-pci") && d->role && !strcmp(d->role, ROLE_VIRTIO_GPU))
		return "virtio_gpu";
	return d->driver;
}

static void ev(struct pci_device *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ev(struct pci_device *d, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0)
		strv_push_take(&d->evidence, s);
	va_end(ap);
}

struct emulated {
	unsigned vendor, device;
	const char *role, *what;
};

static const struct emulated emulated[] = {
	{ 0x1b36, 0x0100, ROLE_QXL, "QEMU QXL" },
	{ 0x1af4, 0x1050, ROLE_VIRTIO_GPU, "virtio-gpu" },
	{ 0x1234, 0x1111, ROLE_BOCHS, "QEMU standard VGA (bochs)" },
	{ 0x1013, 0x00b8, ROLE_CIRRUS, "Cirrus CLGD 5446" },
	{ 0x15ad, 0x0405, ROLE_VMWARE, "VMware SVGA II" },
};

static const char *classify_one(struct pci_device *d, bool vm)
{
	unsigned base = d->class >> 16, sub = (d->class >> 8) & 0xff;

	if (base == 0x06 && sub == 0x00) {
		if (d->vendor == 0x8086 && d->device == 0x29c0)
			ev(d, "8086:29c0 is the q35 MCH");
		else if (d->vendor == 0x8086 && d->device == 0x1237)
			ev(d, "8086:1237 is the i440FX host bridge");
		else
			ev(d, "host bridge %04x:%04x", d->vendor, d->device);
		return ROLE_HOST_BRIDGE;
	}
	if (base == 0x06) {
		if (d->vendor == 0x1b36 && d->device == 0x000c)
			ev(d, "1b36:000c is QEMU's PCIe root port");
		else
			ev(d, "bridge class 0x%06x", d->class);
		return ROLE_BRIDGE;
	}
	for (size_t i = 0; i < sizeof(emulated) / sizeof(*emulated); i++)
		if (d->vendor == emulated[i].vendor && d->device == emulated[i].device) {
			ev(d, "%04x:%04x is %s", d->vendor, d->device, emulated[i].what);
			return emulated[i].role;
		}
	if (d->vendor == 0x8086 && base == 0x03) {
		const char *fam = classify_gvt_family(d->device);
		ev(d, "Intel display device 8086:%04x", d->device);
		if (fam && vm) {
			ev(d, "device id is a GVT-g capable %s GPU", fam);
			ev(d, "running under a hypervisor: an Intel GPU here is a GVT-g vGPU");
			return ROLE_GVT;
		}
		if (!fam)
			ev(d, "device id is not one GVT-g supports");
		if (!vm)
			ev(d, "no hypervisor seen");
		return ROLE_INTEL_IGPU;
	}
	if (d->vendor == 0x10de && base == 0x03) {
		if (sub == 0x00) {
			ev(d, "NVIDIA with class 0x%06x (VGA compatible): a card with display outputs", d->class);
			return ROLE_NVIDIA_OUTPUTS;
		}
		ev(d, "NVIDIA with class 0x%06x (%s): no display outputs (muxless)", d->class,
		   sub == 0x02 ? "3D controller" : "other display controller");
		return ROLE_NVIDIA_MUXLESS;
	}
	ev(d, "display device %04x:%04x class 0x%06x not known to optimus-guest", d->vendor, d->device, d->class);
	return ROLE_UNKNOWN;
}

void classify_snapshot(struct snapshot *s)
{
	bool vm = classify_in_vm(s);
	const char *machine = "unknown";
	for (size_t i = 0; i < s->n_pci; i++) {
		struct pci_device *d = &s->pci[i];
		free(d->role);
		strv_clear(&d->evidence);
		d->role = strdup(classify_one(d, vm));
		if (strcmp(d->role, ROLE_HOST_BRIDGE) == 0) {
			if (d->vendor == 0x8086 && d->device == 0x29c0)
				machine = "q35";
			else if (d->vendor == 0x8086 && d->device == 0x1237)
				machine = "i440fx";
		}
	}
	free(s->env.machine);
	s->env.machine = strdup(machine);
}
