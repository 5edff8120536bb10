/* Environment facts: hypervisor, DMI, firmware, EFI ROM hand-over, modules,
 * installed Xorg drivers, ACPI tables, kernel. */
#include "probe/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"

/* sys/module entries worth recording (GPU, display and passthrough related). */
static const char *const modules_of_interest[] = {
	"i915", "kvmgt", "nouveau", "nvidia", "nvidia_drm", "nvidia_modeset", "nvidia_uvm",
	"qxl", "bochs", "bochs_drm", "virtio_gpu", "cirrus", "cirrus_qemu", "vmwgfx",
	"vboxvideo", "simpledrm", "efifb", "vfio_pci", "vfio", "drm", "drm_kms_helper",
	"bbswitch", "xe",
};

/* Optional small attribute: absent is NULL, other errors are reported. */
static int opt_line(const struct root *r, const char *rel, char **ret, struct err *e)
{
	int rc = root_read_line(r, rel, ret, e);
	if (rc == -ENOENT || rc == -ENOTDIR) {
		*ret = NULL;
		return 0;
	}
	return rc;
}

static int read_cpuinfo(const struct root *r, struct environment *env, struct err *e)
{
	_cleanup_free_ char *s = NULL;
	int rc = root_read_file(r, "proc/cpuinfo", ROOT_MAX_FILE, &s, NULL, e);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (strncmp(line, "flags", 5) == 0) {
			char *c = strchr(line, ':');
			for (char *tok = c ? strtok(c + 1, " \t") : NULL; tok; tok = strtok(NULL, " \t"))
				if (strcmp(tok, "hypervisor") == 0)
					env->hypervisor_flag = true;
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* A SETUP_PCI entry's data is the kernel's struct pci_setup_rom after its setup_data
 * header: u16 vendor, u16 device, u64 ROM length (after 4 bytes of padding), then
 * segment, bus, device and function as u64, then the ROM. Only the head is read. */
static int read_pci_rom(const struct root *r, const char *entry, struct environment *env)
{
	_cleanup_free_ char *p = NULL;
	if (asprintf(&p, "sys/kernel/boot_params/setup_data/%s/data", entry) < 0)
		return -ENOMEM;
	struct err ignored; /* unreadable (not root, hostile tree): recorded as unknown */
	_cleanup_close_ int fd = root_open_file(r, p, &ignored);
	unsigned char h[48];
	size_t got = 0;
	ssize_t n;
	while (fd >= 0 && got < sizeof(h) && (n = read(fd, h + got, sizeof(h) - got)) > 0)
		got += (size_t)n;
	char id[64];
	if (got < sizeof(h))
		snprintf(id, sizeof(id), "unknown");
	else {
		uint64_t seg = le64(h + 16), bus = le64(h + 24), dev = le64(h + 32), fn = le64(h + 40);
		if (seg > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
			snprintf(id, sizeof(id), "%04x:%04x", h[0] | h[1] << 8, h[2] | h[3] << 8);
		else
			snprintf(id, sizeof(id), "%04x:%04x@%04x:%02x:%02x.%x", h[0] | h[1] << 8, h[2] | h[3] << 8,
				 (unsigned)seg, (unsigned)bus, (unsigned)dev, (unsigned)fn);
	}
	return strv_push(&env->pci_roms, id);
}

static int read_setup_data(const struct root *r, struct environment *env, struct err *e)
{
	char **names = NULL;
	size_t n = 0;
	int rc = root_list(r, "sys/kernel/boot_params/setup_data", &names, &n, e);
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		_cleanup_free_ char *p = NULL, *t = NULL;
		if (asprintf(&p, "sys/kernel/boot_params/setup_data/%s/type", names[i]) < 0) {
			rc = -ENOMEM;
			break;
		}
		rc = opt_line(r, p, &t, e);
		if (rc < 0 || !t)
			continue;
		char *end;
		long v = strtol(t, &end, 0);
		if (*t && !*end && v >= 0) {
			char num[24];
			snprintf(num, sizeof(num), "%ld", v);
			rc = strv_push(&env->setup_data_types, num);
			if (v == 3) {
				env->efi_pci_rom = true;
				if (rc >= 0)
					rc = read_pci_rom(r, names[i], env);
			}
		}
	}
	root_list_free(names, n);
	return rc < 0 ? rc : 0;
}

static int read_modules(const struct root *r, struct environment *env, struct err *e)
{
	for (size_t i = 0; i < sizeof(modules_of_interest) / sizeof(*modules_of_interest); i++) {
		_cleanup_free_ char *p = NULL;
		if (asprintf(&p, "sys/module/%s", modules_of_interest[i]) < 0)
			return -ENOMEM;
		if (root_is_dir(r, p) && strv_push(&env->modules, modules_of_interest[i]) < 0)
			return -ENOMEM;
	}
	strv_sort(&env->modules);
	return 0;
}

static int scan_ddx_dir(const struct root *r, const char *dir, struct environment *env, struct err *e)
{
	char **names = NULL;
	size_t n = 0;
	int rc = root_list(r, dir, &names, &n, e);
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		size_t l = strlen(names[i]);
		if (l > 7 && strcmp(names[i] + l - 7, "_drv.so") == 0) {
			names[i][l - 7] = 0;
			if (!strv_contains(&env->xorg_drivers, names[i]))
				rc = strv_push(&env->xorg_drivers, names[i]);
		}
	}
	root_list_free(names, n);
	return rc < 0 ? rc : 0;
}

static int read_ddx(const struct root *r, struct environment *env, struct err *e)
{
	int rc = scan_ddx_dir(r, "usr/lib/xorg/modules/drivers", env, e);
	if (rc < 0)
		return rc;
	char **names = NULL;
	size_t n = 0;
	rc = root_list(r, "usr/lib", &names, &n, e);
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		if (!strchr(names[i], '-'))  /* multiarch triplets: x86_64-linux-gnu */
			continue;
		_cleanup_free_ char *p = NULL;
		if (asprintf(&p, "usr/lib/%s/xorg/modules/drivers", names[i]) < 0)
			rc = -ENOMEM;
		else
			rc = scan_ddx_dir(r, p, env, e);
	}
	root_list_free(names, n);
	strv_sort(&env->xorg_drivers);
	return rc < 0 ? rc : 0;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == 0))
		n--;
	char *out = strndup(s, n);
	if (out)
		for (char *p = out; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				*p = '?';
	return out;
}

static int read_acpi(const struct root *r, struct environment *env, struct err *e)
{
	char **names = NULL;
	size_t n = 0;
	int rc = root_list(r, "sys/firmware/acpi/tables", &names, &n, e);
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *p = NULL;
		if (asprintf(&p, "sys/firmware/acpi/tables/%s", names[i]) < 0) {
			rc = -ENOMEM;
			break;
		}
		struct err ignore = {0};
		_cleanup_close_ int fd = root_open_file(r, p, &ignore);
		if (fd == -EISDIR || fd == -ENOENT || fd == -EINVAL)
			continue;  /* data/, dynamic/ */
		struct acpi_table *t = realloc(env->acpi_tables, (env->n_acpi_tables + 1) * sizeof(*t));
		if (!t) {
			rc = -ENOMEM;
			break;
		}
		env->acpi_tables = t;
		t = &t[env->n_acpi_tables++];
		memset(t, 0, sizeof(*t));
		t->name = strdup(names[i]);
		unsigned char h[36];
		/* unreadable (tables are 0400) or short: the name alone is recorded */
		if (fd >= 0 && read(fd, h, sizeof(h)) == (ssize_t)sizeof(h)) {
			t->signature = trimmed((char *)h, 4);
			t->oem_id = trimmed((char *)h + 10, 6);
			t->oem_table_id = trimmed((char *)h + 16, 8);
		}
	}
	root_list_free(names, n);
	return rc < 0 ? rc : 0;
}

int probe_env(const struct root *r, struct snapshot *s, struct err *e)
{
	struct environment *env = &s->env;
	int rc;

	if ((rc = read_cpuinfo(r, env, e)) < 0 ||
	    (rc = opt_line(r, "sys/class/dmi/id/sys_vendor", &env->dmi_sys_vendor, e)) < 0 ||
	    (rc = opt_line(r, "sys/class/dmi/id/product_name", &env->dmi_product_name, e)) < 0 ||
	    (rc = opt_line(r, "sys/class/dmi/id/product_version", &env->dmi_product_version, e)) < 0 ||
	    (rc = opt_line(r, "sys/class/dmi/id/bios_vendor", &env->dmi_bios_vendor, e)) < 0)
		return rc;
	env->firmware = strdup(root_is_dir(r, "sys/firmware/efi") ? "uefi" : "bios");
	if ((rc = read_setup_data(r, env, e)) < 0 || (rc = read_modules(r, env, e)) < 0 ||
	    (rc = read_ddx(r, env, e)) < 0 || (rc = read_acpi(r, env, e)) < 0)
		return rc;
	if ((rc = opt_line(r, "proc/cmdline", &env->cmdline, e)) < 0 ||
	    (rc = opt_line(r, "proc/sys/kernel/osrelease", &env->kernel_release, e)) < 0)
		return rc;
	if (root_is_slash(r)) {
		const char *st = getenv("XDG_SESSION_TYPE");
		if (st && *st)
			env->session_type = strdup(st);
	}
	return 0;
}
