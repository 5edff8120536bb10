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

/* addr= of a -device: "1c.0", "0x1c.0x0", "0x2"; false when absent or not one. */
static bool devaddr(const char *s, int *slot, int *fn)
{
	char *end = NULL;
	if (!s || !*s)
		return false;
	unsigned long d = strtoul(s, &end, 16), f = 0;
	if (end == s || d > 0x1f)
		return false;
	if (*end == '.') {
		const char *q = end + 1;
		f = strtoul(q, &end, 16);
		if (end == q || f > 7)
			return false;
	}
	if (*end)
		return false;
	*slot = (int)d;
	*fn = (int)f;
	return true;
}

static int vfio(struct vmconf *vm, const struct strv *it, struct strv *bus_of, bool json, size_t index)
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
	h->arg_index = index;
	if (bus && !(h->bus_id = strdup(bus)))
		return -ENOMEM;
	devaddr(qemu_opt(it, "addr"), &h->guest_slot, &h->guest_fn);
	return strv_push(bus_of, bus ? bus : "");
}

/* A root port: "ID=SLOT.FN" of those on the root bus with an addr=, "ID=" for the others. */
static int root_port(struct strv *ports, const struct strv *it)
{
	const char *id = qemu_opt(it, "id"), *bus = qemu_opt(it, "bus");
	int slot, fn;
	char buf[160];
	bool root = !bus || strcmp(bus, "pcie.0") == 0;
	if (root && devaddr(qemu_opt(it, "addr"), &slot, &fn))
		snprintf(buf, sizeof(buf), "%.120s=%x.%x", id, (unsigned)slot, (unsigned)fn);
	else
		snprintf(buf, sizeof(buf), "%.120s=", id);
	return strv_push(ports, buf);
}

static const char *port_place(const struct strv *ports, const char *id)
{
	size_t k = strlen(id);
	for (size_t i = 0; i < ports->n; i++)
		if (strncmp(ports->v[i], id, k) == 0 && ports->v[i][k] == '=')
			return ports->v[i] + k + 1;
	return NULL;
}

static bool known_option(const char *a)
{
	static const char *const opts[] = { "-machine", "-M", "-device", "-drive", "-m", "-enable-kvm", "-accel", "-cpu",
					    "-smp", "-name", "-bios", "-kernel", "-acpitable", "-vga", "-display", "-spice",
					    "-vnc", "-nodefaults", "-blockdev", "-netdev", "-nographic", "-boot", "-cdrom",
					    "-hda", "-object", "-global", "-set", "-uuid", "-serial", "-monitor", "-chardev",
					    "-rtc", "-usb", "-fw_cfg", "-S", "-no-user-config", NULL };
	if (a[0] == '-' && a[1] == '-')
		a++;
	for (size_t i = 0; opts[i]; i++)
		if (strcmp(a, opts[i]) == 0)
			return true;
	return false;
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

static int read_args(const struct strv *args, bool fragment, struct vmconf *vm, struct err *e)
{
	*vm = (struct vmconf){ .input = VM_QEMU };
	size_t known = 0;
	for (size_t i = 0; i < args->n; i++)
		known += known_option(args->v[i]);
	if (!fragment && known == 0) {
		err_set(e, "this is not a QEMU command line: none of QEMU's options (-machine, -device, -drive, -m, ...) is in "
			   "its %zu argument%s%s%s; give the script that starts QEMU, one argument per line, or /proc/PID/cmdline",
			args->n, args->n == 1 ? "" : "s", args->n ? ", the first is " : "", args->n ? args->v[0] : "");
		return -EINVAL;
	}
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
				vm->firmware_given = true;
			}
		} else if (strcmp(a, "-bios") == 0) {
			i++;
			vm->firmware_efi = strcasestr(v, "ovmf") || strcasestr(v, "edk2") || strcasestr(v, "efi");
			vm->firmware_given = true;
			rc = set_str(&vm->firmware, v);
		} else if (strcmp(a, "-drive") == 0 || strcmp(a, "-blockdev") == 0) {
			i++;
			if ((strstr(v, "if=pflash") || strstr(v, "pflash")) && !vm->firmware_efi) {
				vm->firmware_efi = true;
				vm->firmware_given = true;
				rc = set_str(&vm->firmware, fragment ? "pflash drive in <qemu:commandline>" : "pflash drive");
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
		} else if (strcmp(a, "-global") == 0) {
			i++;
			rc = vmconf_add_global(vm, v, NULL, NULL);
		} else if (strcmp(a, "-set") == 0) {
			i++;
			rc = strv_push(&sets, v);
			_cleanup_free_ char *al = NULL, *pr = NULL, *va = NULL;
			if (rc == 0 && qemu_parse_set(v, &al, &pr, &va) == 0)
				rc = vmconf_add_set(vm, al, pr, va, NULL, NULL);
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
				rc = vfio(vm, &it, &bus_of, v[0] == '{', i);
			else if (is_video(drv))
				rc = strv_push(&vm->video, drv);
			else if ((strcmp(drv, "pcie-root-port") == 0 || strcmp(drv, "ioh3420") == 0) && id)
				rc = root_port(&port_ids, &it);
		}
		strv_clear(&it);
	}
	if (rc == 0 && !fragment && !nodefaults && !vga_given && vm->video.n == 0)
		rc = strv_push(&vm->video, "VGA");
	for (size_t i = 0; i < sets.n; i++)
		apply_set(vm, sets.v[i]);
	vmconf_apply_globals(vm);
	for (size_t i = 0; rc == 0 && i < vm->n_pci && i < bus_of.n; i++) {
		const char *b = bus_of.v[i];
		struct vm_pci_hostdev *h = &vm->pci[i];
		const char *place = *b ? port_place(&port_ids, b) : NULL;
		const char *model = !*b ? NULL
				   : place ? "pcie-root-port"
				   : strcmp(b, "pcie.0") == 0 ? "pcie-root"
				   : strcmp(b, "pci.0") == 0 ? "pci-root" : NULL;
		if (model)
			rc = set_str(&h->bus_model, model);
		else if (*b && !fragment)
			rc = set_str(&h->bus_model, "other");
		/* the card's place in the guest: behind a root port (slot 0 unless addr= says), or on the root bus */
		if (place && *place) {
			h->guest_bus = 1;
			if (h->guest_slot < 0)
				h->guest_slot = h->guest_fn = 0;
			unsigned ps = 0, pf = 0;
			if (sscanf(place, "%x.%x", &ps, &pf) == 2) {
				h->port_slot = (int)ps;
				h->port_fn = (int)pf;
			}
		} else if (model && strcmp(model, "pcie-root-port") != 0) {
			h->guest_bus = 0;
		} else {
			h->guest_slot = h->guest_fn = -1;
		}
	}
	if (rc == 0 && !vm->firmware && !fragment)
		rc = set_str(&vm->firmware, "SeaBIOS: no -bios and no pflash drive");
	strv_clear(&bus_of);
	strv_clear(&port_ids);
	strv_clear(&sets);
	if (rc < 0)
		err_set(e, "reading the QEMU command line: %s", strerror(-rc));
	return rc;
}

int qemu_args_read(const struct strv *args, struct vmconf *vm, struct err *e)
{
	return read_args(args, false, vm, e);
}

int qemu_args_read_fragment(const struct strv *args, struct vmconf *vm, struct err *e)
{
	return read_args(args, true, vm, e);
}
