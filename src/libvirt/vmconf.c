#include "libvirt/vmconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

void vmconf_clear(struct vmconf *vm)
{
	for (size_t i = 0; i < vm->n_pci; i++) {
		free(vm->pci[i].alias);
		free(vm->pci[i].auto_alias);
		free(vm->pci[i].rom_file);
		free(vm->pci[i].bus_model);
		free(vm->pci[i].bus_id);
	}
	for (size_t i = 0; i < vm->n_sets; i++) {
		free(vm->sets[i].alias);
		free(vm->sets[i].prop);
		free(vm->sets[i].value);
	}
	free(vm->sets);
	strv_clear(&vm->unexpanded);
	free(vm->global_sub_vendor);
	free(vm->global_sub_device);
	free(vm->file);
	for (size_t i = 0; i < vm->n_mdev; i++)
		free(vm->mdev[i].uuid);
	free(vm->pci);
	free(vm->mdev);
	free(vm->name);
	free(vm->machine);
	free(vm->firmware);
	free(vm->kernel);
	strv_clear(&vm->graphics);
	strv_clear(&vm->video);
	strv_clear(&vm->acpi_tables);
	strv_clear(&vm->stray_aliases);
	memset(vm, 0, sizeof(*vm));
}

int vmconf_add_global(struct vmconf *vm, const char *arg, void *opt_node, void *val_node)
{
	static const char *const drivers[] = { "vfio-pci", "vfio-pci-nohotplug" };
	char drv[32] = "", prop[32] = "", val[64] = "";
	int n = 0;
	/* driver=D,property=P,value=V (in any order) or D.P=V */
	if (strchr(arg, ',') || !strncmp(arg, "driver=", 7)) {
		_cleanup_free_ char *copy = strdup(arg);
		char *save = NULL;
		if (!copy)
			return -ENOMEM;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			if (!strncmp(t, "driver=", 7))
				n += snprintf(drv, sizeof(drv), "%s", t + 7) > 0;
			else if (!strncmp(t, "property=", 9))
				n += snprintf(prop, sizeof(prop), "%s", t + 9) > 0;
			else if (!strncmp(t, "value=", 6))
				n += snprintf(val, sizeof(val), "%s", t + 6) > 0;
		}
		if (n != 3)
			return 0;
	} else {
		const char *dot = strchr(arg, '.'), *eq = dot ? strchr(dot, '=') : NULL;
		if (!dot || !eq || (size_t)(dot - arg) >= sizeof(drv) || (size_t)(eq - dot - 1) >= sizeof(prop))
			return 0;
		snprintf(drv, sizeof(drv), "%.*s", (int)(dot - arg), arg);
		snprintf(prop, sizeof(prop), "%.*s", (int)(eq - dot - 1), dot + 1);
		snprintf(val, sizeof(val), "%s", eq + 1);
	}
	bool vfio = false;
	for (size_t i = 0; i < sizeof(drivers) / sizeof(*drivers); i++)
		vfio |= strcmp(drv, drivers[i]) == 0;
	char **slot = !vfio ? NULL : !strcmp(prop, "x-pci-sub-vendor-id") ? &vm->global_sub_vendor
		      : !strcmp(prop, "x-pci-sub-device-id") ? &vm->global_sub_device : NULL;
	if (!slot)
		return 0;
	int k = slot == &vm->global_sub_vendor ? 0 : 2;
	vm->global_nodes[k] = opt_node;
	vm->global_nodes[k + 1] = val_node;
	free(*slot);
	return (*slot = strdup(val)) ? 0 : -ENOMEM;
}

static long long global_value(const char *v)
{
	unsigned long long x;
	return !v ? -1 : vm_parse_ull(v, 0xffffffffULL, &x) == 0 ? (long long)x : -2;
}

void vmconf_apply_globals(struct vmconf *vm)
{
	if (!vm->global_sub_vendor && !vm->global_sub_device)
		return;
	for (size_t i = 0; i < vm->n_pci; i++) {
		struct vm_pci_hostdev *h = &vm->pci[i];
		if (h->sub_via != SUB_NONE)
			continue;
		h->sub_via = SUB_GLOBAL;
		h->sub_vendor = global_value(vm->global_sub_vendor);
		h->sub_device = global_value(vm->global_sub_device);
	}
}

struct vm_pci_hostdev *vmconf_add_pci(struct vmconf *vm)
{
	struct vm_pci_hostdev *v = realloc(vm->pci, (vm->n_pci + 1) * sizeof(*v));
	if (!v)
		return NULL;
	vm->pci = v;
	struct vm_pci_hostdev *h = &v[vm->n_pci++];
	*h = (struct vm_pci_hostdev){ .rom_bar = -1, .guest_bus = -1, .guest_slot = -1, .guest_fn = -1,
				      .port_slot = -1, .port_fn = -1, .sub_vendor = -1, .sub_device = -1 };
	return h;
}

struct vm_mdev *vmconf_add_mdev(struct vmconf *vm)
{
	struct vm_mdev *v = realloc(vm->mdev, (vm->n_mdev + 1) * sizeof(*v));
	if (!v)
		return NULL;
	vm->mdev = v;
	struct vm_mdev *m = &v[vm->n_mdev++];
	*m = (struct vm_mdev){ .display = -1, .ramfb = -1 };
	return m;
}

int vmconf_add_set(struct vmconf *vm, const char *alias, const char *prop, const char *value,
		   void *opt_node, void *val_node)
{
	struct vm_set *v = realloc(vm->sets, (vm->n_sets + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	vm->sets = v;
	struct vm_set *s = &v[vm->n_sets];
	*s = (struct vm_set){ .alias = strdup(alias), .prop = strdup(prop), .value = strdup(value),
			      .opt_node = opt_node, .val_node = val_node };
	if (!s->alias || !s->prop || !s->value) {
		free(s->alias);
		free(s->prop);
		free(s->value);
		return -ENOMEM;
	}
	vm->n_sets++;
	return 0;
}

const char *vm_pci_addr(const struct vm_pci_hostdev *h, char buf[static 16])
{
	snprintf(buf, 16, "%04x:%02x:%02x.%x", h->domain & 0xffff, h->bus & 0xff, h->slot & 0x1f, h->function & 7);
	return buf;
}

static int hexfield(const char **p, char stop, unsigned max, unsigned *ret)
{
	char *end = NULL;
	if (!((**p >= '0' && **p <= '9') || (**p >= 'a' && **p <= 'f') || (**p >= 'A' && **p <= 'F')))
		return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(*p, &end, 16);
	if (errno || v > max || *end != stop)
		return -EINVAL;
	*ret = (unsigned)v;
	*p = stop ? end + 1 : end;
	return 0;
}

int vm_parse_pci_addr(const char *s, unsigned *dom, unsigned *bus, unsigned *slot, unsigned *fn)
{
	const char *p = s;
	unsigned d = 0;
	int colons = 0;
	for (const char *q = s; *q; q++)
		colons += *q == ':';
	if (colons == 2 && hexfield(&p, ':', 0xffff, &d) < 0)
		return -EINVAL;
	if (colons != 1 && colons != 2)
		return -EINVAL;
	if (hexfield(&p, ':', 0xff, bus) < 0 || hexfield(&p, '.', 0x1f, slot) < 0 || hexfield(&p, 0, 7, fn) < 0)
		return -EINVAL;
	*dom = d;
	return 0;
}

int vm_parse_ull(const char *s, unsigned long long max, unsigned long long *ret)
{
	char *end = NULL;
	if (!s || !((*s >= '0' && *s <= '9')))
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}
