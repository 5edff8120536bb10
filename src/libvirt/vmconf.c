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
	_cleanup_free_ char *a = strdup(alias), *p = strdup(prop), *val = strdup(value);
	if (!a || !p || !val)
		return -ENOMEM;
	v[vm->n_sets++] = (struct vm_set){ .alias = TAKE_PTR(a), .prop = TAKE_PTR(p), .value = TAKE_PTR(val),
					   .opt_node = opt_node, .val_node = val_node };
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
