/* PCI display devices, the host bridge and the bridges above display devices. */
#include "probe/probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

#define PCI_DIR "sys/bus/pci/devices"

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* N hex digits of S into *V; false when one is not a hex digit. */
static bool hexn(const char *s, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		int d = hexval(s[i]);
		if (d < 0)
			return false;
		*v = *v * 16 + (unsigned)d;
	}
	return true;
}

bool probe_parse_slot(const char *s, unsigned *dom, unsigned *bus, unsigned *dev, unsigned *fn)
{
	unsigned a, b, c, d;
	if (strlen(s) != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.' ||
	    !hexn(s, 4, &a) || !hexn(s + 5, 2, &b) || !hexn(s + 8, 2, &c) || !hexn(s + 11, 1, &d))
		return false;
	if (c > 31 || d > 7)
		return false;
	*dom = a, *bus = b, *dev = c, *fn = d;
	return true;
}

/* N hex digits at most, at least one, ending at END (a ':' or the line's end). */
static bool hex_upto(const char *s, size_t max, char end, unsigned *v, const char **rest)
{
	size_t n = 0;
	unsigned x = 0;
	for (int d; n < max && (d = hexval(s[n])) >= 0; n++)
		x = x * 16 + (unsigned)d;
	if (n == 0 || s[n] != end)
		return false;
	*v = x;
	*rest = s + n;
	return true;
}

bool probe_parse_uevent(const char *text, struct pci_uevent *u)
{
	bool cls = false, id = false, sub = false, drv_ok = true;
	memset(u, 0, sizeof(*u));
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		const char *r;
		if (len > 10 && strncmp(l, "PCI_CLASS=", 10) == 0)
			cls = hex_upto(l + 10, 6, nl ? '\n' : 0, &u->class, &r);
		else if (len > 7 && strncmp(l, "PCI_ID=", 7) == 0)
			id = hex_upto(l + 7, 4, ':', &u->vendor, &r) && hex_upto(r + 1, 4, nl ? '\n' : 0, &u->device, &r);
		else if (len > 14 && strncmp(l, "PCI_SUBSYS_ID=", 14) == 0)
			sub = hex_upto(l + 14, 4, ':', &u->subsystem_vendor, &r) &&
			      hex_upto(r + 1, 4, nl ? '\n' : 0, &u->subsystem_device, &r);
		else if (len > 7 && strncmp(l, "DRIVER=", 7) == 0) {
			/* a name we cannot hold whole: the driver link will say */
			drv_ok = len - 7 < sizeof(u->driver) && !memchr(l + 7, '/', len - 7);
			if (drv_ok) {
				memcpy(u->driver, l + 7, len - 7);
				u->driver[len - 7] = 0;
			}
		}
		l = nl ? nl + 1 : NULL;
	}
	return cls && id && sub && drv_ok;
}

/* sys/class/drm, listed once per probe (not once per display device) */
struct drm_class {
	char **names;
	size_t n;
	bool listed;
};

static int attr_hex(const struct root_dir *dd, const char *name, unsigned *v, bool required, struct err *e)
{
	int rc = root_dir_read_hex(dd, name, v, e);
	if (rc == -ENOENT) {
		*v = 0;
		if (required) {
			err_set(e, "cannot read '%s/%s' under root '%s': No such file or directory; is --root a sysroot of a guest?",
				dd->rel, name, dd->r->path);
			return rc;
		}
		return 0;
	}
	return rc;
}

static int add_connectors(const struct root *r, struct drm_class *dc, struct pci_device *d, const char *card,
			  struct err *e)
{
	if (!dc->listed) {
		int rc = root_list(r, "sys/class/drm", &dc->names, &dc->n, e);
		if (rc < 0 && rc != -ENOENT)
			return rc;
		dc->listed = true;
	}
	char **names = dc->names;
	size_t n = dc->n;
	int rc = 0;
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
	return rc < 0 ? rc : 0;
}

static int read_drm(const struct root_dir *dd, struct drm_class *dc, struct pci_device *d, struct err *e)
{
	char **names = NULL;
	size_t n = 0;
	int rc = root_dir_list(dd, "drm", &names, &n, e);
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		if (strncmp(names[i], "card", 4) == 0 && !strchr(names[i], '-')) {
			rc = strv_push(&d->drm_cards, names[i]);
			if (rc >= 0)
				rc = add_connectors(dd->r, dc, d, names[i], e);
		} else if (strncmp(names[i], "renderD", 7) == 0) {
			rc = strv_push(&d->drm_renders, names[i]);
		}
	}
	root_list_free(names, n);
	return rc < 0 ? rc : 0;
}

/* Ids, class, revision and driver from their own files. */
static int read_ids(const struct root_dir *dd, const unsigned *class, struct pci_device *d, struct err *e)
{
	int rc;
	if ((rc = attr_hex(dd, "vendor", &d->vendor, true, e)) < 0 ||
	    (rc = attr_hex(dd, "device", &d->device, true, e)) < 0)
		return rc;
	if (class)
		d->class = *class;
	else if ((rc = attr_hex(dd, "class", &d->class, true, e)) < 0)
		return rc;
	if ((rc = attr_hex(dd, "subsystem_vendor", &d->subsystem_vendor, false, e)) < 0 ||
	    (rc = attr_hex(dd, "subsystem_device", &d->subsystem_device, false, e)) < 0 ||
	    (rc = attr_hex(dd, "revision", &d->revision, false, e)) < 0)
		return rc;
	_cleanup_free_ char *link = NULL;
	if (root_dir_readlink(dd, "driver", &link) == 0) {
		const char *base = strrchr(link, '/');
		if (!(d->driver = strdup(base ? base + 1 : link)))
			return -ENOMEM;
	}
	return 0;
}

/* Fill one device from its sysfs directory, held open while its files are read. CLASS is
 * the class already read, or NULL. */
static int read_device(const struct root *r, struct drm_class *dc, const char *slot, const unsigned *class,
		       struct pci_device *d, struct err *e)
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
	char rel[sizeof(PCI_DIR) + 16];
	snprintf(rel, sizeof(rel), PCI_DIR "/%s", slot);
	_cleanup_(root_dir_close) struct root_dir dd = { .fd = -1 };
	rc = root_dir_open(r, rel, &dd, e);
	if (rc < 0) {
		if (!e->msg[0])
			err_set(e, "cannot read '%s/vendor' under root '%s': %s; is --root a sysroot of a guest?", rel,
				r->path, strerror(-rc));
		return rc;
	}
	/* the uevent gives ids, class and driver in one read; a recorded tree without one (or
	 * with one that says less) takes the files one by one */
	char ev[1024];
	struct pci_uevent u;
	if (root_dir_read_small(&dd, "uevent", ev, sizeof(ev)) > 0 && probe_parse_uevent(ev, &u)) {
		d->vendor = u.vendor, d->device = u.device;
		d->subsystem_vendor = u.subsystem_vendor, d->subsystem_device = u.subsystem_device;
		d->class = class ? *class : u.class;
		if (u.driver[0] && !(d->driver = strdup(u.driver)))
			return -ENOMEM;
		if ((rc = attr_hex(&dd, "revision", &d->revision, false, e)) < 0)
			return rc;
	} else if ((rc = read_ids(&dd, class, d, e)) < 0) {
		return rc;
	}

	_cleanup_free_ char *bv = NULL, *real = NULL;
	d->boot_vga = -1;
	rc = root_dir_read_line(&dd, "boot_vga", &bv, e);
	if (rc == 0)
		d->boot_vga = strcmp(bv, "1") == 0;
	else if (rc != -ENOENT)
		return rc;
	d->rom = root_dir_exists(&dd, "rom");

	rc = root_dir_resolved(&dd, &real, e);
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
	return read_drm(&dd, dc, d, e);
}

static bool have_slot(const struct snapshot *s, const char *slot)
{
	return snapshot_find_slot(s, slot) != NULL;
}

/* Room for N more devices in S->pci, growing by half again at least (not one at a time:
 * each move of the array would leave its old place behind in the heap). */
static int reserve(struct snapshot *s, size_t *cap, size_t n)
{
	if (s->n_pci + n <= *cap)
		return 0;
	size_t want = s->n_pci + n < *cap + *cap / 2 ? *cap + *cap / 2 : s->n_pci + n;
	struct pci_device *v = realloc(s->pci, want * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->pci = v;
	*cap = want;
	return 0;
}

static int add_device(const struct root *r, struct drm_class *dc, struct snapshot *s, size_t *cap, const char *slot,
		      const unsigned *class, struct err *e)
{
	if (reserve(s, cap, 1) < 0)
		return -ENOMEM;
	struct pci_device *d = &s->pci[s->n_pci];
	memset(d, 0, sizeof(*d));
	int rc = read_device(r, dc, slot, class, d, e);
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
	struct drm_class dc = {0};
	size_t cap = s->n_pci;
	int rc = root_list(r, PCI_DIR, &names, &n, e);
	if (rc < 0) {
		if (!e->msg[0])
			err_set(e, "cannot list '%s' under root '%s': %s; is --root a sysroot of a guest (with sys/ recorded)?",
				PCI_DIR, r->path, strerror(-rc));
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned cls = 0, dom, bus, dev, fn;
		if (!probe_parse_slot(names[i], &dom, &bus, &dev, &fn))
			continue;
		char p[sizeof(PCI_DIR) + 32];
		snprintf(p, sizeof(p), PCI_DIR "/%s/class", names[i]);
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
		if ((rc = add_device(r, &dc, s, &cap, names[i], &cls, e)) < 0)
			break;
	}
	root_list_free(names, n);
	if (rc < 0) {
		root_list_free(dc.names, dc.n);
		return rc;
	}
	/* the bridges above display devices, for "behind a PCIe root port" */
	for (size_t i = 0; i < s->n_pci; i++) {
		if (!s->pci[i].parent || have_slot(s, s->pci[i].parent))
			continue;
		_cleanup_free_ char *parent = strdup(s->pci[i].parent);
		if (!parent) {
			rc = -ENOMEM;
			break;
		}
		rc = add_device(r, &dc, s, &cap, parent, NULL, e);
		if (rc == -ENOENT) {
			/* bridge not listed in sys/bus/pci/devices: keep the slot, skip it */
			e->msg[0] = 0;
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
	}
	root_list_free(dc.names, dc.n);
	if (rc < 0)
		return rc;
	if (s->n_pci > 1)
		qsort(s->pci, s->n_pci, sizeof(*s->pci), cmp_slot);
	return 0;
}
