/* host check: the NVIDIA card, its IOMMU group, its subsystem ids and its VBIOS. */
#include "host/host_check_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/cleanup.h"
#include "vbios/vbios.h"

/* "pci_0000_01_00_1", libvirt's node device name of a PCI address. */
static void nodedev(const char *addr, char buf[static 24])
{
	snprintf(buf, 24, "pci_%s", addr);
	for (char *p = buf; *p; p++)
		if (*p == ':' || *p == '.')
			*p = '_';
}

static bool vfio_ok(const char *driver)
{
	return !driver || !strcmp(driver, "vfio-pci") || !strcmp(driver, "pci-stub");
}

static int check_card(const struct host_facts *f, const struct host_dev *d, struct host_report *r)
{
	if (!d)
		return hc_add(r, "nvidia-card", SEV_ERROR, false,
			      hc_fmt("no NVIDIA display device (vendor 10de, class 03xxxx) in /sys/bus/pci/devices"),
			      hc_fmt("keep the NVIDIA GPU enabled in the firmware setup (hybrid graphics); 'lspci -nn -d 10de:' lists it when the host sees it"));
	if ((d->id.class_code >> 8) != 0x0302)
		return hc_add(r, "nvidia-card", SEV_ERROR, false,
			      hc_fmt("%s 10de:%04x has display outputs (class 0x%06x, not 0x0302 '3D controller'): optimus-guest covers muxless cards only",
				     d->addr, d->id.device, d->id.class_code),
			      hc_fmt("none from optimus-guest: a card with outputs is passed through as an ordinary GPU"));
	return hc_add(r, "nvidia-card", SEV_ERROR, true,
		      hc_fmt("%s 10de:%04x is muxless (class 0x%06x, 3D controller)", d->addr, d->id.device, d->id.class_code), NULL);
}

static int check_driver(const struct host_dev *d, struct host_report *r)
{
	const char *id = "nvidia-vfio";
	if (vfio_ok(d->driver))
		return hc_add(r, id, SEV_WARNING, true,
			      d->driver ? hc_fmt("%s is bound to %s", d->addr, d->driver)
					: hc_fmt("%s has no driver bound: libvirt binds it to vfio-pci when the VM starts (managed='yes')", d->addr),
			      NULL);
	return hc_add(r, id, SEV_WARNING, false,
		      hc_fmt("%s is bound to %s on the host: libvirt takes it away when the VM starts only for a managed='yes' hostdev "
			     "(virt-manager's default), and only if nothing on the host uses it then", d->addr, d->driver),
		      hc_fmt("keep the host's drivers off it from boot: put 'options vfio-pci ids=10de:%04x' and 'softdep %s pre: vfio-pci' "
			     "in /etc/modprobe.d/vfio.conf, run update-initramfs -u, reboot", d->id.device, d->driver));
}

static int check_group(const struct host_facts *f, const struct host_dev *d, struct host_report *r)
{
	const char *id = "nvidia-iommu-group";
	if (d->group < 0)
		return hc_add(r, id, SEV_ERROR, false, hc_fmt("%s is in no IOMMU group (no iommu_group link)", d->addr),
			      hc_fmt("see iommu: the IOMMU is off"));
	_cleanup_buf_ struct buf seen = {0};
	_cleanup_buf_ struct buf bad = {0};
	_cleanup_buf_ struct buf fix = {0};
	_cleanup_buf_ struct buf ids = {0};
	char cb[24], nd[24];
	buf_printf(&ids, "10de:%04x", d->id.device);
	for (size_t i = 0; i < f->n_devs; i++) {
		const struct host_dev *m = &f->devs[i];
		if (m == d || m->group != d->group)
			continue;
		const char *cls = hc_class_name(m->id.class_code, cb);
		bool bridge = (m->id.class_code >> 8) == 0x0604;
		buf_printf(&seen, ", %s (%s, %s)", m->addr, cls, m->driver ? m->driver : "no driver");
		if (bridge || vfio_ok(m->driver))
			continue;
		bool sibling = !strncmp(m->addr, d->addr, 10);  /* another function of the card */
		nodedev(m->addr, nd);
		buf_printf(&bad, "; %s %04x:%04x (%s, class 0x%06x) shares IOMMU group %ld with the card and is bound to %s",
			   m->addr, m->id.vendor, m->id.device, cls, m->id.class_code, d->group, m->driver);
		if (sibling)
			buf_printf(&ids, ",%04x:%04x", m->id.vendor, m->id.device);
		buf_printf(&fix, "%s%s: %s virsh nodedev-detach %s", fix.len ? "; " : "", m->addr,
			   sibling ? "a function of the card: bind it to vfio-pci too (pass it to the VM as well or leave it unused); now:"
				   : "the host loses it while the VM runs: bind it to vfio-pci too (if the host needs it, the card cannot "
				     "be passed through alone on this machine: mainline has no ACS override); now:",
			   nd);
	}
	if (bad.len && strchr(ids.s, ','))
		buf_printf(&fix, "; at every boot: 'options vfio-pci ids=%s' in /etc/modprobe.d/vfio.conf", ids.s);
	if (!bad.len)
		return hc_add(r, id, SEV_ERROR, true,
			      hc_fmt("IOMMU group %ld: %s (the card)%s; VFIO can take the group (bridges stay with the host)", d->group,
				     d->addr, seen.s ? seen.s : ""), NULL);
	return hc_add(r, id, SEV_ERROR, false,
		      hc_fmt("VFIO refuses IOMMU group %ld until every device in it is bound to vfio-pci or to no driver%s",
			     d->group, bad.s),
		      hc_fmt("%s", fix.s));
}

static int check_ids(const struct host_facts *f, const struct host_dev *d, struct host_report *r)
{
	const char *id = "nvidia-subsystem-ids";
	if (d->id.sub_vendor || d->id.sub_device)
		return hc_add(r, id, SEV_WARNING, true,
			      hc_fmt("subsystem %04x:%04x ('optimus-guest libvirt check' makes sure the domain passes them on)",
				     d->id.sub_vendor, d->id.sub_device), NULL);
	const struct host_dev *ig = f->igpu >= 0 ? &f->devs[f->igpu] : NULL;
	return hc_add(r, id, SEV_WARNING, false,
		      hc_fmt("%s reports subsystem 0000:0000, as these cards do after a reset: the real ids are unknown here, and "
			     "nouveau in the guest needs them", d->addr),
		      ig && ig->id.sub_vendor
			      ? hc_fmt("read them before anything resets the card: boot without vfio-pci and nouveau taking it and run "
				       "'lspci -nnv -s %s' (the Subsystem line), or take them from Windows' Device Manager (SUBSYS_ in "
				       "the hardware ids); laptops often give both GPUs the iGPU's (%04x:%04x here: verify); then "
				       "'optimus-guest libvirt fix' sets them in the domain", d->addr + 5, ig->id.sub_vendor, ig->id.sub_device)
			      : hc_fmt("read them before anything resets the card: boot without vfio-pci and nouveau taking it and run "
				       "'lspci -nnv -s %s' (the Subsystem line), or take them from Windows' Device Manager (SUBSYS_ in "
				       "the hardware ids); then 'optimus-guest libvirt fix' sets them in the domain", d->addr + 5));
}

static int check_vbios(const struct host_facts *f, const struct host_dev *d, struct host_report *r)
{
	const char *id = "nvidia-vbios";
	_cleanup_free_ char *extract = hc_fmt("extract it from the laptop's BIOS update: optimus-guest vbios extract BIOS-UPDATE.exe -o vbios "
			       "--device 10de:%04x, then 'optimus-guest libvirt fix DOMAIN.xml --vbios FILE'", d->id.device);
	if (f->rom == HOST_ROM_ABSENT)
		return hc_add(r, id, SEV_WARNING, false,
			      hc_fmt("%s has no ROM in sysfs (no 'rom' attribute), as usual for muxless cards: their VBIOS is part of "
				     "the laptop's firmware", d->addr), TAKE_PTR(extract));
	if (f->rom == HOST_ROM_UNREADABLE) {
		char *fix = hc_fmt("as root, 'optimus-guest vbios inspect' enables the ROM, reads it and says whether it is usable; "
				   "if it is not: %s", extract ? extract : "");
		return hc_add(r, id, SEV_WARNING, false,
			      hc_fmt("%s has a 'rom' attribute, but reading it failed (%s; the kernel refuses until the ROM is enabled)",
				     d->addr, strerror(f->rom_errno)), fix);
	}
	struct vbios_rom rom = {0};
	struct err e = {0};
	_cleanup_buf_ struct buf why = {0};
	bool usable = f->rom_len && vbios_parse(f->rom_data, f->rom_len, &rom, &e) == 0 && vbios_usable(&rom, &why);
	int rc;
	if (usable) {
		rc = hc_add(r, id, SEV_WARNING, true,
			    hc_fmt("%s's sysfs ROM holds a usable VBIOS (%zu bytes, %zu image(s)); 'optimus-guest vbios inspect' shows it",
				   d->addr, f->rom_len, rom.n_images), NULL);
	} else {
		rc = hc_add(r, id, SEV_WARNING, false,
			    hc_fmt("%s's sysfs ROM gives no usable VBIOS: %s", d->addr,
				   !f->rom_len ? "it is empty" : e.msg[0] ? e.msg : why.s ? why.s : "not usable"), TAKE_PTR(extract));
	}
	vbios_rom_clear(&rom);
	return rc;
}

int hc_nvidia_checks(const struct host_facts *f, struct host_report *r)
{
	const struct host_dev *d = f->nvidia >= 0 ? &f->devs[f->nvidia] : NULL;
	int rc = check_card(f, d, r);
	if (rc < 0 || !d)
		return rc;
	if ((rc = check_driver(d, r)) < 0 || (rc = check_group(f, d, r)) < 0 || (rc = check_ids(f, d, r)) < 0)
		return rc;
	return check_vbios(f, d, r);
}
