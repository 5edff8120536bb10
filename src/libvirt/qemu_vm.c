/* The facts of a QEMU command line, into a struct vmconf. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "libvirt/qemu_args.h"
#include "util/cleanup.h"

/* -device's argument as key=value items, the driver under the implied key; JSON form too. */
static int device_items(const char *arg, struct strv *items)
{
	if (arg[0] != '{')
		return qemu_opts_split(arg, items);
	json_error_t je;
	json_t *o = json_loads(arg, JSON_REJECT_DUPLICATES, &je);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return -EINVAL;
	}
	const char *k;
	json_t *v;
	int rc = 0;
	json_object_foreach(o, k, v) {
		char val[64];
		const char *s = val;
		if (json_is_string(v))
			s = json_string_value(v);
		else if (json_is_integer(v))
			snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			s = json_is_true(v) ? "on" : "off";
		else
			continue;
		char *item = NULL;
		if (asprintf(&item, "%s=%s", strcmp(k, "driver") == 0 ? "" : k, s) < 0)
			item = NULL;
		rc = strv_push_take(items, item);
		if (rc < 0)
			break;
	}
	json_decref(o);
	return rc;
}

static int onoff(const char *s)
{
	if (!s)
		return -1;
	return strcmp(s, "on") == 0 || strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "1") == 0;
}

static long long sub_id(const char *s)
{
	unsigned long long x;
	if (!s)
		return -1;
	return vm_parse_ull(s, 0xffffffffULL, &x) == 0 ? (long long)x : -2;
}

static bool is_video(const char *drv)
{
	static const char *const v[] = { "qxl-vga", "qxl", "virtio-vga", "virtio-vga-gl", "virtio-gpu-pci",
					 "virtio-gpu-gl-pci", "VGA", "cirrus-vga", "bochs-display", "vmware-svga",
					 "secondary-vga", "ati-vga", NULL };
	for (size_t i = 0; v[i]; i++)
		if (strcmp(drv, v[i]) == 0)
			return true;
	return false;
}

struct port {
	char *id;
	char *model;
};

static int vfio(struct vmconf *vm, const struct strv *it, struct strv *bus_of, bool json)
{
	const char *sysfsdev = qemu_opt(it, "sysfsdev");
	if (sysfsdev) {
		struct vm_mdev *m = vmconf_add_mdev(vm);
		if (!m)
			return -ENOMEM;
		const char *slash = strrchr(sysfsdev, '/');
		m->uuid = strdup(slash ? slash + 1 : sysfsdev);
		m->display = onoff(qemu_opt(it, "display"));
		m->ramfb = onoff(qemu_opt(it, "ramfb"));
		return m->uuid ? 0 : -ENOMEM;
	}
	const char *host = qemu_opt(it, "host");
	struct vm_pci_hostdev *h = vmconf_add_pci(vm);
	if (!h)
		return -ENOMEM;
	if (host && vm_parse_pci_addr(host, &h->domain, &h->bus, &h->slot, &h->function) < 0)
		h->domain = 0xffffffffu; /* unusable: reported as absent from the host */
	const char *id = qemu_opt(it, "id");
	const char *rom = qemu_opt(it, "romfile");
	h->alias = id ? strdup(id) : NULL;
	h->json_device = json;
	h->rom_file = rom ? strdup(rom) : NULL;
	h->rom_bar = onoff(qemu_opt(it, "rombar"));
	h->sub_vendor = sub_id(qemu_opt(it, "x-pci-sub-vendor-id"));
	h->sub_device = sub_id(qemu_opt(it, "x-pci-sub-device-id"));
	if (h->sub_vendor != -1 || h->sub_device != -1)
		h->sub_via = SUB_PROPERTY;
	const char *bus = qemu_opt(it, "bus");
	h->guest_bus = bus ? 0 : -1;
	return strv_push(bus_of, bus ? bus : "");
}

static void apply_set(struct vmconf *vm, const char *arg)
{
	_cleanup_free_ char *alias = NULL, *prop = NULL, *val = NULL;
	if (qemu_parse_set(arg, &alias, &prop, &val) < 0)
		return;
	for (size_t i = 0; i < vm->n_pci; i++) {
		struct vm_pci_hostdev *h = &vm->pci[i];
		if (!h->alias || strcmp(h->alias, alias) != 0)
			continue;
		if (strcmp(prop, "x-pci-sub-vendor-id") == 0)
			h->sub_vendor = sub_id(val);
		else if (strcmp(prop, "x-pci-sub-device-id") == 0)
			h->sub_device = sub_id(val);
		else if (strcmp(prop, "romfile") == 0) {
			free(h->rom_file);
			h->rom_file = strdup(val);
			continue;
		} else
			continue;
		h->sub_via = SUB_SET;
		h->set_form = true;
	}
}

static int set_str(char **slot, const char *v)
{
	free(*slot);
	*slot = strdup(v);
	return *slot ? 0 : -ENOMEM;
}

int qemu_args_read(const struct strv *args, struct vmconf *vm, struct err *e)
{
	*vm = (struct vmconf){ .input = VM_QEMU };
	struct strv bus_of = {0}, port_ids = {0}, sets = {0};
	bool nodefaults = false, vga_given = false;
	int rc = 0;
	for (size_t i = 0; i < args->n && rc == 0; i++) {
		const char *a = args->v[i];
		if (a[0] == '-' && a[1] == '-')
			a++;
		const char *v = i + 1 < args->n ? args->v[i + 1] : NULL;
		struct strv it = {0};
		if (strcmp(a, "-nodefaults") == 0) {
			nodefaults = true;
		} else if (!v || a[0] != '-') {
			continue;
		} else if (strcmp(a, "-machine") == 0 || strcmp(a, "-M") == 0) {
			i++;
			rc = qemu_opts_split(v, &it);
			const char *type = qemu_opt(&it, "type");
			if (!type)
				type = qemu_opt(&it, "");
			if (rc == 0 && type)
				rc = set_str(&vm->machine, type);
			if (rc == 0 && qemu_opt(&it, "pflash0")) {
				vm->firmware_efi = true;
				rc = set_str(&vm->firmware, "pflash (-machine pflash0=)");
			}
		} else if (strcmp(a, "-bios") == 0) {
			i++;
			vm->firmware_efi = strcasestr(v, "ovmf") || strcasestr(v, "edk2") || strcasestr(v, "efi");
			rc = set_str(&vm->firmware, v);
		} else if (strcmp(a, "-drive") == 0 || strcmp(a, "-blockdev") == 0) {
			i++;
			if ((strstr(v, "if=pflash") || strstr(v, "pflash")) && !vm->firmware_efi) {
				vm->firmware_efi = true;
				rc = set_str(&vm->firmware, "pflash drive");
			}
		} else if (strcmp(a, "-kernel") == 0) {
			i++;
			rc = set_str(&vm->kernel, v);
		} else if (strcmp(a, "-name") == 0) {
			i++;
			rc = qemu_opts_split(v, &it);
			const char *n = qemu_opt(&it, "guest");
			if (!n)
				n = qemu_opt(&it, "");
			if (rc == 0 && n)
				rc = set_str(&vm->name, n);
		} else if (strcmp(a, "-acpitable") == 0) {
			i++;
			rc = qemu_acpitable_files(v, &vm->acpi_tables);
		} else if (strcmp(a, "-set") == 0) {
			i++;
			rc = strv_push(&sets, v);
		} else if (strcmp(a, "-vga") == 0) {
			i++;
			vga_given = true;
			if (strcmp(v, "none") != 0)
				rc = strv_push(&vm->video, v);
		} else if (strcmp(a, "-spice") == 0 || strcmp(a, "-vnc") == 0) {
			i++;
			rc = strv_push(&vm->graphics, a + 1);
		} else if (strcmp(a, "-display") == 0) {
			i++;
			rc = qemu_opts_split(v, &it);
			const char *d = qemu_opt(&it, "");
			if (rc == 0 && d && strcmp(d, "none") != 0)
				rc = strv_push(&vm->graphics, d);
		} else if (strcmp(a, "-device") == 0) {
			i++;
			if (device_items(v, &it) < 0) {
				strv_clear(&it);
				continue;
			}
			const char *drv = qemu_opt(&it, "");
			const char *id = qemu_opt(&it, "id");
			if (!drv)
				;
			else if (strcmp(drv, "vfio-pci") == 0 || strcmp(drv, "vfio-pci-nohotplug") == 0)
				rc = vfio(vm, &it, &bus_of, v[0] == '{');
			else if (is_video(drv))
				rc = strv_push(&vm->video, drv);
			else if ((strcmp(drv, "pcie-root-port") == 0 || strcmp(drv, "ioh3420") == 0) && id)
				rc = strv_push(&port_ids, id);
		}
		strv_clear(&it);
	}
	if (rc == 0 && !nodefaults && !vga_given && vm->video.n == 0)
		rc = strv_push(&vm->video, "VGA");
	for (size_t i = 0; i < sets.n; i++)
		apply_set(vm, sets.v[i]);
	for (size_t i = 0; rc == 0 && i < vm->n_pci && i < bus_of.n; i++) {
		const char *b = bus_of.v[i];
		const char *model = !*b ? NULL
				   : strv_contains(&port_ids, b) ? "pcie-root-port"
				   : strcmp(b, "pcie.0") == 0 ? "pcie-root"
				   : strcmp(b, "pci.0") == 0 ? "pci-root" : "other";
		if (model)
			rc = set_str(&vm->pci[i].bus_model, model);
	}
	if (rc == 0 && !vm->firmware)
		rc = set_str(&vm->firmware, "no -bios and no pflash drive (SeaBIOS)");
	strv_clear(&bus_of);
	strv_clear(&port_ids);
	strv_clear(&sets);
	if (rc < 0)
		err_set(e, "reading the QEMU command line: %s", strerror(-rc));
	return rc;
}
