/* PCI display devices, the host bridge and the bridges above display devices. */
#include "probe/probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

#define PCI_DIR "sys/bus/pci/devices"

bool probe_parse_slot(const char *s, unsigned *dom, unsigned *bus, unsigned *dev, unsigned *fn)
{
	unsigned a, b, c, d;
	int n = 0;
	if (strlen(s) != 12 || sscanf(s, "%4x:%2x:%2x.%1x%n", &a, &b, &c, &d, &n) != 4 || n != 12)
		return false;
	if (c > 31 || d > 7)
		return false;
	*dom = a, *bus = b, *dev = c, *fn = d;
	return true;
}

static int attr_hex(const struct root *r, const char *slot, const char *name, unsigned *v, bool required, struct err *e)
{
	_cleanup_free_ char *p = NULL;
	if (asprintf(&p, PCI_DIR "/%s/%s", slot, name) < 0)
		return -ENOMEM;
	int rc = root_read_hex(r, p, v, e);
	if (rc == -ENOENT) {
		*v = 0;
		if (required) {
			err_set(e, "cannot read '%s' under root '%s': No such file or directory; is --root a sysroot of a guest?",
				p, r->path);
			return rc;
		}
		return 0;
	}
	return rc;
}

static int add_connectors(const struct root *r, struct pci_device *d, const char *card, struct err *e)
{
	char **names = NULL;
	size_t n = 0;
	int rc = root_list(r, "sys/class/drm", &names, &n, e);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	size_t cl = strlen(card);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		if (strncmp(names[i], card, cl) != 0 || names[i][cl] != '-')
			continue;
		_cleanup_free_ char *p = NULL, *status = NULL;
		if (asprintf(&p, "sys/class/drm/%s/status", names[i]) < 0) {
			rc = -ENOMEM;
			break;
		}
		int s = root_read_line(r, p, &status, e);
		if (s < 0 && s != -ENOENT) {
			rc = s;
			break;
		}
		struct connector *c = realloc(d->connectors, (d->n_connectors + 1) * sizeof(*c));
		if (!c) {
			rc = -ENOMEM;
			break;
		}
		d->connectors = c;
		c[d->n_connectors].name = strdup(names[i] + cl + 1);
		c[d->n_connectors].status = strdup(status ? status : "unknown");
		d->n_connectors++;
	}
	root_list_free(names, n);
	return rc < 0 ? rc : 0;
}

static int read_drm(const struct root *r, struct pci_device *d, struct err *e)
{
	char **names = NULL;
	size_t n = 0;
	_cleanup_free_ char *p = NULL;
	if (asprintf(&p, PCI_DIR "/%s/drm", d->slot) < 0)
		return -ENOMEM;
	int rc = root_list(r, p, &names, &n, e);
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		if (strncmp(names[i], "card", 4) == 0 && !strchr(names[i], '-')) {
			rc = strv_push(&d->drm_cards, names[i]);
			if (rc >= 0)
				rc = add_connectors(r, d, names[i], e);
		} else if (strncmp(names[i], "renderD", 7) == 0) {
			rc = strv_push(&d->drm_renders, names[i]);
		}
	}
	root_list_free(names, n);
	return rc < 0 ? rc : 0;
}

/* Fill one device from its sysfs directory. */
static int read_device(const struct root *r, const char *slot, struct pci_device *d, struct err *e)
{
	int rc;
	unsigned dom, bus, dev, fn;

	if (!probe_parse_slot(slot, &dom, &bus, &dev, &fn)) {
		err_set(e, "'%s/%s' under root '%s' is not a PCI address (DDDD:BB:DD.F); the tree looks damaged",
			PCI_DIR, slot, r->path);
		return -EINVAL;
	}
	d->domain = dom, d->bus = bus, d->dev = dev, d->func = fn;
	if (!(d->slot = strdup(slot)))
		return -ENOMEM;
	if ((rc = attr_hex(r, slot, "vendor", &d->vendor, true, e)) < 0 ||
	    (rc = attr_hex(r, slot, "device", &d->device, true, e)) < 0 ||
	    (rc = attr_hex(r, slot, "class", &d->class, true, e)) < 0 ||
	    (rc = attr_hex(r, slot, "subsystem_vendor", &d->subsystem_vendor, false, e)) < 0 ||
	    (rc = attr_hex(r, slot, "subsystem_device", &d->subsystem_device, false, e)) < 0 ||
	    (rc = attr_hex(r, slot, "revision", &d->revision, false, e)) < 0)
		return rc;

	_cleanup_free_ char *p = NULL, *link = NULL, *bv = NULL, *real = NULL;
	if (asprintf(&p, PCI_DIR "/%s/driver", slot) < 0)
		return -ENOMEM;
	rc = root_readlink(r, p, &link);
	if (rc == 0) {
		const char *base = strrchr(link, '/');
		d->driver = strdup(base ? base + 1 : link);
	}
	free(p);
	if (asprintf(&p, PCI_DIR "/%s/boot_vga", slot) < 0)
		return -ENOMEM;
	d->boot_vga = -1;
	rc = root_read_line(r, p, &bv, e);
	if (rc == 0)
		d->boot_vga = strcmp(bv, "1") == 0;
	else if (rc != -ENOENT)
		return rc;
	free(p);
	if (asprintf(&p, PCI_DIR "/%s/rom", slot) < 0)
		return -ENOMEM;
	d->rom = root_exists(r, p);
	free(p);

	if (asprintf(&p, PCI_DIR "/%s", slot) < 0)
		return -ENOMEM;
	rc = root_resolve(r, p, &real, e);
	if (rc < 0)
		return rc;
	d->sysfs_path = strdup(real);
	/* the parent directory is the upstream bridge when it is a PCI address */
	char *last = strrchr(real, '/');
	if (last) {
		*last = 0;
		char *up = strrchr(real, '/');
		up = up ? up + 1 : real;
		unsigned a, b, c, f;
		if (probe_parse_slot(up, &a, &b, &c, &f))
			d->parent = strdup(up);
	}
	return read_drm(r, d, e);
}

static bool have_slot(const struct snapshot *s, const char *slot)
{
	return snapshot_find_slot(s, slot) != NULL;
}

static int add_device(const struct root *r, struct snapshot *s, const char *slot, struct err *e)
{
	struct pci_device *v = realloc(s->pci, (s->n_pci + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->pci = v;
	struct pci_device *d = &s->pci[s->n_pci];
	memset(d, 0, sizeof(*d));
	int rc = read_device(r, slot, d, e);
	if (rc < 0) {
		pci_device_clear(d);
		return rc;
	}
	s->n_pci++;
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	return strcmp(((const struct pci_device *)a)->slot, ((const struct pci_device *)b)->slot);
}

int probe_pci(const struct root *r, struct snapshot *s, struct err *e)
{
	char **names = NULL;
	size_t n = 0;
	int rc = root_list(r, PCI_DIR, &names, &n, e);
	if (rc < 0) {
		if (!e->msg[0])
			err_set(e, "cannot list '%s' under root '%s': %s; is --root a sysroot of a guest (with sys/ recorded)?",
				PCI_DIR, r->path, strerror(-rc));
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *p = NULL;
		unsigned cls = 0, dom, bus, dev, fn;
		if (!probe_parse_slot(names[i], &dom, &bus, &dev, &fn))
			continue;
		if (asprintf(&p, PCI_DIR "/%s/class", names[i]) < 0) {
			rc = -ENOMEM;
			break;
		}
		rc = root_read_hex(r, p, &cls, e);
		if (rc < 0) {
			if (rc == -ENOENT)
				err_set(e, "cannot read '%s' under root '%s': No such file or directory; is --root a sysroot of a guest?",
					p, r->path);
			break;
		}
		bool host_bridge = (cls >> 8) == 0x0600 && bus == 0 && dev == 0 && fn == 0;
		if ((cls >> 16) != 0x03 && !host_bridge)
			continue;
		if ((rc = add_device(r, s, names[i], e)) < 0)
			break;
	}
	root_list_free(names, n);
	if (rc < 0)
		return rc;
	/* the bridges above display devices, for "behind a PCIe root port" */
	for (size_t i = 0; i < s->n_pci; i++) {
		if (!s->pci[i].parent || have_slot(s, s->pci[i].parent))
			continue;
		_cleanup_free_ char *parent = strdup(s->pci[i].parent);
		if (!parent)
			return -ENOMEM;
		rc = add_device(r, s, parent, e);
		if (rc == -ENOENT) {
			/* bridge not listed in sys/bus/pci/devices: keep the slot, skip it */
			e->msg[0] = 0;
			continue;
		}
		if (rc < 0)
			return rc;
	}
	if (s->n_pci > 1)
		qsort(s->pci, s->n_pci, sizeof(*s->pci), cmp_slot);
	return 0;
}
