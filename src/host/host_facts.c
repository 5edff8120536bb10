#include "host/host_facts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/cleanup.h"

#define PCI_DIR "sys/bus/pci/devices"
#define ROM_MAX (4u << 20)

/* Names and text from the tree end up in messages and JSON: printable ASCII only. */
static char *clean(char *s)
{
	for (unsigned char *p = (unsigned char *)s; p && *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			*p = '?';
	return s;
}

/* Entries of a directory; 0 entries when it is absent. */
static int list(const struct root *r, const char *rel, char ***ret, size_t *ret_n, struct err *e)
{
	*ret = NULL;
	*ret_n = 0;
	int rc = root_list(r, rel, ret, ret_n, e);
	return rc == -ENOENT ? 0 : rc;
}

static int count(const struct root *r, const char *rel, size_t *ret, struct err *e)
{
	char **v;
	int rc = list(r, rel, &v, ret, e);
	if (rc >= 0)
		root_list_free(v, *ret);
	return rc;
}

static bool module(const struct root *r, const char *name)
{
	char p[64];
	snprintf(p, sizeof(p), "sys/module/%s", name);
	return root_is_dir(r, p);
}

/* A boolean module parameter: Y/N (or 1/0). */
static int read_bool_param(const struct root *r, const char *rel, int *ret, struct err *e)
{
	_cleanup_free_ char *s = NULL;
	int rc = root_read_line(r, rel, &s, e);
	if (rc == -ENOENT) {
		*ret = -1;
		return 0;
	}
	if (rc < 0)
		return rc;
	if (!strcmp(s, "Y") || !strcmp(s, "1"))
		*ret = 1;
	else if (!strcmp(s, "N") || !strcmp(s, "0"))
		*ret = 0;
	else {
		err_set(e, "'%s' under root '%s' holds '%.40s', not Y or N; the tree looks damaged (re-record it)", rel, r->path, s);
		return -EINVAL;
	}
	return 0;
}

static int read_devs(const struct root *r, struct host_facts *f, struct err *e)
{
	char **names;
	size_t n;
	int rc = list(r, PCI_DIR, &names, &n, e);
	if (rc < 0)
		return rc;
	f->devs = calloc(n ? n : 1, sizeof(*f->devs));
	if (!f->devs) {
		root_list_free(names, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && rc >= 0; i++) {
		struct host_dev *d = &f->devs[f->n_devs];
		if (strlen(names[i]) != 12)
			continue;
		rc = host_pci_read(r, names[i], &d->id, e);
		if (rc == -ENOENT) {
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		snprintf(d->addr, sizeof(d->addr), "%s", names[i]);
		d->group = host_pci_iommu_group(r, names[i]);
		rc = host_pci_driver(r, names[i], &d->driver);
		clean(d->driver);
		if (rc < 0)
			err_set(e, "cannot read the driver link of '%s/%s' under root '%s': %s", PCI_DIR, names[i], r->path, strerror(-rc));
		else
			f->n_devs++;
	}
	root_list_free(names, n);
	f->igpu = f->nvidia = -1;
	for (size_t i = 0; i < f->n_devs; i++) {
		const struct host_pci *h = &f->devs[i].id;
		bool display = (h->class_code >> 16) == 0x03;
		if (display && h->vendor == 0x8086 && (f->igpu < 0 || !strcmp(f->devs[i].addr, "0000:00:02.0")))
			f->igpu = (long)i;
		if (host_pci_is_nvidia_display(h) && f->nvidia < 0)
			f->nvidia = (long)i;
	}
	return rc;
}

/* description: its lines joined by ", " (the kernel prints one "key: value" per line). */
static char *one_line(const char *s)
{
	_cleanup_buf_ struct buf b = {0};
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "\n");
		if (n) {
			if (b.len)
				buf_puts(&b, ", ");
			buf_append(&b, p, n);
		}
		p += n + (p[n] == '\n');
	}
	if (!b.len)
		buf_puts(&b, "");
	return clean(buf_steal(&b));
}

static int read_types(const struct root *r, struct host_facts *f, struct err *e)
{
	char dir[96], p[256];
	char **names;
	size_t n;
	if (f->igpu < 0)
		return 0;
	snprintf(dir, sizeof(dir), PCI_DIR "/%s/mdev_supported_types", f->devs[f->igpu].addr);
	int rc = list(r, dir, &names, &n, e);
	if (rc < 0)
		return rc;
	f->types = calloc(n ? n : 1, sizeof(*f->types));
	for (size_t i = 0; f->types && i < n && rc >= 0; i++) {
		struct host_mdev_type *t = &f->types[f->n_types++];
		_cleanup_free_ char *desc = NULL, *avail = NULL;
		t->id = clean(strdup(names[i]));
		snprintf(p, sizeof(p), "%s/%s/description", dir, names[i]);
		rc = root_read_file(r, p, 4096, &desc, NULL, e);
		if (rc == -ENOENT)
			rc = 0;
		t->description = rc < 0 ? NULL : one_line(desc ? desc : "");
		snprintf(p, sizeof(p), "%s/%s/available_instances", dir, names[i]);
		t->available = -1;
		if (rc >= 0 && (rc = root_read_line(r, p, &avail, e)) >= 0) {
			char *end;
			long v = strtol(avail, &end, 10);
			if (*avail && !*end && v >= 0 && v < 100000)
				t->available = v;
			else {
				err_set(e, "'%s' under root '%s' holds '%.40s', not a count; the tree looks damaged (re-record it)", p, r->path, avail);
				rc = -EINVAL;
			}
		} else if (rc == -ENOENT) {
			rc = 0;
		}
		if (rc >= 0 && (!t->id || !t->description))
			rc = -ENOMEM;
	}
	root_list_free(names, n);
	return f->types ? rc : -ENOMEM;
}

/* The component before the last of a path ("sys/devices/pci0000:00/0000:00:02.0/UUID" -> "0000:00:02.0"). */
static char *parent_of(const char *path)
{
	const char *last = strrchr(path, '/');
	if (!last)
		return strdup("");
	const char *start = last;
	while (start > path && start[-1] != '/')
		start--;
	return strndup(start, (size_t)(last - start));
}

static int read_mdevs(const struct root *r, struct host_facts *f, struct err *e)
{
	char **names;
	size_t n;
	int rc = list(r, "sys/bus/mdev/devices", &names, &n, e);
	if (rc < 0)
		return rc;
	f->mdevs = calloc(n ? n : 1, sizeof(*f->mdevs));
	for (size_t i = 0; f->mdevs && i < n; i++) {
		char p[160];
		_cleanup_free_ char *real = NULL, *type = NULL;
		struct host_mdev *m = &f->mdevs[f->n_mdevs];
		if (strlen(names[i]) > 64)
			continue;
		snprintf(p, sizeof(p), "sys/bus/mdev/devices/%s", names[i]);
		if (root_resolve(r, p, &real, NULL) < 0)
			continue;
		m->uuid = clean(strdup(names[i]));
		m->parent = clean(parent_of(real));
		snprintf(p, sizeof(p), "sys/bus/mdev/devices/%s/mdev_type", names[i]);
		if (root_readlink(r, p, &type) == 0) {
			const char *b = strrchr(type, '/');
			m->type = clean(strdup(b ? b + 1 : type));
		}
		f->n_mdevs++;
		if (!m->uuid || !m->parent) {
			rc = -ENOMEM;
			break;
		}
	}
	root_list_free(names, n);
	return f->mdevs ? rc : -ENOMEM;
}

static int read_defs(const struct root *r, struct host_facts *f, struct err *e)
{
	char **parents;
	size_t np;
	f->mdevctl_dir = root_is_dir(r, "etc/mdevctl.d");
	int rc = list(r, "etc/mdevctl.d", &parents, &np, e);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < np && rc >= 0; i++) {
		char dir[128];
		char **uuids;
		size_t nu;
		_cleanup_free_ char *shown_parent = clean(strdup(parents[i]));
		if (!shown_parent || strcmp(shown_parent, parents[i]) || !strcmp(parents[i], "scripts.d") || strlen(parents[i]) > 64)
			continue;
		snprintf(dir, sizeof(dir), "etc/mdevctl.d/%s", parents[i]);
		if (!root_is_dir(r, dir) || list(r, dir, &uuids, &nu, e) < 0)
			continue;
		for (size_t k = 0; k < nu && rc >= 0; k++) {
			char rel[256], shown[1024];
			_cleanup_free_ char *text = NULL;
			size_t len = 0;
			struct err fe = {0};
			if (!mdevctl_is_uuid(uuids[k]))
				continue;
			snprintf(rel, sizeof(rel), "%s/%s", dir, uuids[k]);
			snprintf(shown, sizeof(shown), "%s/%s", root_is_slash(r) ? "" : r->path, rel);
			struct mdevctl_def d;
			int prc = root_read_file(r, rel, 64 * 1024, &text, &len, &fe);
			if (prc >= 0)
				prc = mdevctl_parse(text, len, shown, parents[i], uuids[k], &d, &fe);
			if (prc == -ENOMEM) {
				rc = prc;
			} else if (prc < 0) {
				rc = strv_push(&f->def_errors, fe.msg[0] ? fe.msg : shown);
			} else {
				struct mdevctl_def *nd = realloc(f->defs, (f->n_defs + 1) * sizeof(*nd));
				if (!nd) {
					mdevctl_def_clear(&d);
					rc = -ENOMEM;
				} else {
					f->defs = nd;
					f->defs[f->n_defs++] = d;
				}
			}
		}
		root_list_free(uuids, nu);
	}
	root_list_free(parents, np);
	return rc;
}

static int read_rom(const struct root *r, struct host_facts *f)
{
	char p[96];
	char *data = NULL;
	struct err re = {0};
	f->rom = HOST_ROM_ABSENT;
	if (f->nvidia < 0)
		return 0;
	snprintf(p, sizeof(p), PCI_DIR "/%s/rom", f->devs[f->nvidia].addr);
	int rc = root_read_file(r, p, ROM_MAX, &data, &f->rom_len, &re);
	if (rc == -ENOENT)
		return 0;
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		f->rom = HOST_ROM_UNREADABLE;
		f->rom_errno = -rc;
		return 0;
	}
	f->rom = HOST_ROM_READ;
	f->rom_data = (uint8_t *)data;
	return 0;
}

int host_read(const struct root *r, struct host_facts *ret, struct err *e)
{
	struct host_facts *f = ret;
	memset(f, 0, sizeof(*f));
	f->igpu = f->nvidia = -1;
	int rc = root_read_line(r, "proc/cmdline", &f->cmdline, e);
	if (rc == -ENOENT)
		rc = 0;
	if (rc >= 0)
		rc = count(r, "sys/class/iommu", &f->n_iommu_units, e);
	if (rc >= 0)
		rc = count(r, "sys/kernel/iommu_groups", &f->n_iommu_groups, e);
	f->mod_i915 = module(r, "i915");
	f->mod_kvmgt = module(r, "kvmgt");
	f->mod_vfio_pci = module(r, "vfio_pci");
	f->mod_mdev = module(r, "mdev");
	f->bus_mdev = root_is_dir(r, "sys/bus/mdev");
	f->drv_vfio_pci = root_is_dir(r, "sys/bus/pci/drivers/vfio-pci");
	if (rc >= 0)
		rc = read_bool_param(r, "sys/module/i915/parameters/enable_gvt", &f->enable_gvt, e);
	if (rc >= 0)
		rc = read_devs(r, f, e);
	if (rc >= 0)
		rc = read_types(r, f, e);
	if (rc >= 0)
		rc = read_mdevs(r, f, e);
	if (rc >= 0)
		rc = read_defs(r, f, e);
	if (rc >= 0)
		rc = read_rom(r, f);
	if (rc == -ENOMEM && !e->msg[0])
		err_set(e, "out of memory while reading the host under root '%s'", r->path);
	if (rc < 0)
		host_facts_clear(f);
	return rc < 0 ? rc : 0;
}

void host_facts_clear(struct host_facts *f)
{
	free(f->cmdline);
	for (size_t i = 0; i < f->n_devs; i++)
		free(f->devs[i].driver);
	free(f->devs);
	for (size_t i = 0; i < f->n_types; i++) {
		free(f->types[i].id);
		free(f->types[i].description);
	}
	free(f->types);
	for (size_t i = 0; i < f->n_mdevs; i++) {
		free(f->mdevs[i].uuid);
		free(f->mdevs[i].parent);
		free(f->mdevs[i].type);
	}
	free(f->mdevs);
	for (size_t i = 0; i < f->n_defs; i++)
		mdevctl_def_clear(&f->defs[i]);
	free(f->defs);
	strv_clear(&f->def_errors);
	free(f->rom_data);
	memset(f, 0, sizeof(*f));
	f->igpu = f->nvidia = -1;
}
