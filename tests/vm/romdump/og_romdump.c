// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module (tests/sh/91-vm-boot.sh): evaluates the ACPI method _ROM on the ACPI
 * handle of one PCI device, as the NVIDIA driver's nv_acpi_rom_method and nouveau's ACPI
 * shadow do: _ROM (offset, 4096) for each 4 KiB of the ROM, each reply must be a Buffer of at
 * least the length asked for. The bytes go to /sys/kernel/debug/og_romdump/rom, what happened
 * to .../status. Built at test time against the guest kernel's headers; never shipped.
 *
 *   insmod og_romdump.ko bdf=0000:01:00.0 size=262144
 */
#include <linux/acpi.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

static char *bdf = "0000:01:00.0";
module_param(bdf, charp, 0444);
MODULE_PARM_DESC(bdf, "PCI address of the device whose _ROM is read");
static unsigned int size = 65536;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "bytes to read through _ROM");

#define CHUNK 4096

static struct dentry *dir;
static struct debugfs_blob_wrapper rom_blob, status_blob;
static char status[1024];

static int read_chunk(acpi_handle h, u32 off, u8 *dst, u32 want, u32 *got)
{
	union acpi_object args[2] = {
		{ .integer = { .type = ACPI_TYPE_INTEGER, .value = off } },
		{ .integer = { .type = ACPI_TYPE_INTEGER, .value = CHUNK } },
	};
	struct acpi_object_list in = { .count = 2, .pointer = args };
	struct acpi_buffer out = { ACPI_ALLOCATE_BUFFER, NULL };
	union acpi_object *obj;
	acpi_status st = acpi_evaluate_object(h, "_ROM", &in, &out);
	int rc = 0;

	if (ACPI_FAILURE(st)) {
		scnprintf(status, sizeof(status), "error: _ROM(0x%x, 0x%x) failed: %s\n", off, CHUNK,
			  acpi_format_exception(st));
		return -EIO;
	}
	obj = out.pointer;
	if (!obj || obj->type != ACPI_TYPE_BUFFER || obj->buffer.length < CHUNK) {
		scnprintf(status, sizeof(status), "error: _ROM(0x%x, 0x%x) returned type %d length %u, not a Buffer of %u bytes\n",
			  off, CHUNK, obj ? obj->type : -1, obj && obj->type == ACPI_TYPE_BUFFER ? obj->buffer.length : 0, CHUNK);
		rc = -EINVAL;
	} else {
		memcpy(dst, obj->buffer.pointer, want);
		*got = obj->buffer.length;
	}
	kfree(out.pointer);
	return rc;
}

static int __init og_romdump_init(void)
{
	unsigned int dom, bus, dev, fn, calls = 0, maxlen = 0, minlen = ~0u;
	struct acpi_buffer path = { ACPI_ALLOCATE_BUFFER, NULL };
	struct pci_dev *pdev;
	acpi_handle h;
	u8 *buf;
	u32 off;
	int rc = 0;

	if (sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4 || size == 0 || size > (16u << 20))
		return -EINVAL;
	pdev = pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(dev, fn));
	if (!pdev) {
		pr_err("og_romdump: no PCI device %s\n", bdf);
		return -ENODEV;
	}
	h = ACPI_HANDLE(&pdev->dev);
	if (!h) {
		pr_err("og_romdump: %s has no ACPI handle\n", bdf);
		pci_dev_put(pdev);
		return -ENODEV;
	}
	buf = vzalloc(size);
	if (!buf) {
		pci_dev_put(pdev);
		return -ENOMEM;
	}
	acpi_get_name(h, ACPI_FULL_PATHNAME, &path);
	for (off = 0; off < size && rc == 0; off += CHUNK) {
		u32 got = 0;
		rc = read_chunk(h, off, buf + off, min_t(u32, CHUNK, size - off), &got);
		calls++;
		maxlen = max(maxlen, got);
		minlen = min(minlen, got);
	}
	if (rc == 0)
		scnprintf(status, sizeof(status), "ok: %s %s: %u bytes in %u _ROM calls, replies %u..%u bytes\n",
			  bdf, path.pointer ? (char *)path.pointer : "?", size, calls, minlen, maxlen);
	pr_info("og_romdump: %s", status);
	kfree(path.pointer);
	pci_dev_put(pdev);
	rom_blob.data = buf;
	rom_blob.size = rc == 0 ? size : 0;
	status_blob.data = status;
	status_blob.size = strlen(status);
	dir = debugfs_create_dir("og_romdump", NULL);
	debugfs_create_blob("rom", 0444, dir, &rom_blob);
	debugfs_create_blob("status", 0444, dir, &status_blob);
	return 0;
}

static void __exit og_romdump_exit(void)
{
	debugfs_remove_recursive(dir);
	vfree(rom_blob.data);
}

module_init(og_romdump_init);
module_exit(og_romdump_exit);
MODULE_DESCRIPTION("optimus-guest test: read a device's VBIOS through ACPI _ROM");
MODULE_LICENSE("GPL");
