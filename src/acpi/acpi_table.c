/* The table set: the _ROM table (VBIOSROM) and, for the embedded carrier,
 * data tables (VBIOSD01 ...) each under QEMU's 65,535-byte limit. */
#include "acpi/acpi_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_aml.h"
#include "acpi/acpi_asl.h"
#include "acpi/acpi_aml_encode.h"
#include "acpi/acpi_path.h"
#include "acpi/acpi_rom_aml.h"
#include "util/cleanup.h"

#define MAX_PACKAGES 36 /* \OGV0 .. \OGVZ */
#define CHUNKS_PER_DATA_TABLE 15 /* 15 x (4096 + 7) + header < 65535 */

static const char base36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static struct aml_table_id table_id(const char *oem_table_id)
{
	struct aml_table_id id = { .signature = "SSDT", .oem_id = ACPI_OEM_ID, .oem_revision = 1, .revision = 2 };
	snprintf(id.oem_table_id, sizeof(id.oem_table_id), "%s", oem_table_id);
	return id;
}

static struct aml_node *chunk_package(const uint8_t *rom, size_t rom_len, size_t first, size_t count)
{
	struct aml_node *p = aml_package();
	for (size_t c = first; c < first + count; c++) {
		size_t off = c * ACPI_ROM_CHUNK;
		size_t n = rom_len - off < ACPI_ROM_CHUNK ? rom_len - off : ACPI_ROM_CHUNK;
		aml_add(p, aml_buffer(n, rom + off, n));
	}
	return p;
}

static int finish(struct acpi_ssdt *t, const char *oem_table_id, const char *suffix, struct aml_node *root,
		  size_t max, struct err *e)
{
	struct aml_table_id id = table_id(oem_table_id);
	const char *why = NULL;
	_cleanup_buf_ struct buf asl = {0};
	snprintf(t->oem_table_id, sizeof(t->oem_table_id), "%s", oem_table_id);
	snprintf(t->suffix, sizeof(t->suffix), "%s", suffix);
	int r = aml_encode_table(&id, root, &t->aml, &t->aml_len, &why);
	if (r < 0) {
		err_set(e, "cannot encode table %s: %s", oem_table_id, why ? why : "error");
		return r;
	}
	if (t->aml_len > max) {
		err_set(e, "table %s is %zu bytes, over the %zu-byte limit", oem_table_id, t->aml_len, max);
		return -EFBIG;
	}
	r = asl_print_table(&id, root, &asl);
	if (r < 0) {
		err_set(e, "cannot print table %s as ASL", oem_table_id);
		return r;
	}
	t->asl = buf_steal(&asl);
	return t->asl ? 0 : -ENOMEM;
}

/* The GPU's node: Scope into QEMU's node, or Device(s) with _ADR. Returns the
 * node to fill (added to root). */
static struct aml_node *gpu_scope(struct aml_node *root, const struct acpi_path *p, const struct acpi_table_opts *o)
{
	char full[1400], parent[1400], grand[1400];
	struct acpi_path q = *p;
	acpi_path_format(p, full, sizeof(full));
	q.n = p->n - 1;
	acpi_path_format(&q, parent, sizeof(parent));
	q.n = p->n >= 2 ? p->n - 2 : 0;
	acpi_path_format(&q, grand, sizeof(grand));

	struct aml_node *s;
	switch (o->declare) {
	case ACPI_DECLARE_DEVICE:
		aml_add(root, aml_external(parent, AML_OBJ_DEVICE));
		s = aml_device(full);
		aml_add(s, aml_name("_ADR", aml_int(o->gpu_adr)));
		aml_add(root, s);
		return s;
	case ACPI_DECLARE_ALL: {
		aml_add(root, aml_external(grand, AML_OBJ_DEVICE));
		struct aml_node *port = aml_device(parent);
		aml_add(port, aml_name("_ADR", aml_int(o->port_adr)));
		char seg[5];
		int n = 4;
		memcpy(seg, p->seg[p->n - 1], 5);
		while (n > 1 && seg[n - 1] == '_')
			seg[--n] = 0;
		s = aml_device(seg);
		aml_add(s, aml_name("_ADR", aml_int(o->gpu_adr)));
		aml_add(port, s);
		aml_add(root, port);
		return s;
	}
	case ACPI_DECLARE_NONE:
	default:
		aml_add(root, aml_external(full, AML_OBJ_DEVICE));
		s = aml_scope(full);
		aml_add(root, s);
		return s;
	}
}

/* The _ROM table with the first k0 chunks; data tables carry the rest. */
static struct aml_node *rom_table(const uint8_t *rom, size_t rom_len, const struct acpi_path *p,
				  const struct acpi_table_opts *o, size_t k0, size_t nchunks)
{
	char names[MAX_PACKAGES][8];
	size_t counts[MAX_PACKAGES] = {0}, np = 0;
	struct aml_node *root = aml_scope("\\");
	if (!root)
		return NULL;
	if (o->source == ACPI_SOURCE_EMBEDDED) {
		size_t rest = nchunks - k0;
		counts[np++] = k0;
		while (rest) {
			counts[np] = rest < CHUNKS_PER_DATA_TABLE ? rest : CHUNKS_PER_DATA_TABLE;
			rest -= counts[np++];
		}
		for (size_t i = 0; i < np; i++)
			snprintf(names[i], sizeof(names[i]), "\\OGV%c", base36[i]);
		for (size_t i = 1; i < np; i++)
			aml_add(root, aml_external(names[i], AML_OBJ_PACKAGE));
		if (k0)
			aml_add(root, aml_name(names[0], chunk_package(rom, rom_len, 0, k0)));
	}
	struct aml_node *s = gpu_scope(root, p, o);
	int r = o->source == ACPI_SOURCE_EMBEDDED
		? rom_aml_embedded(s, rom_len, nchunks, names, counts, np)
		: rom_aml_fwcfg(s, o->fw_cfg_name ? o->fw_cfg_name : ACPI_FWCFG_NAME_DEFAULT, o->transport);
	if (r < 0)
		root->broken = true;
	if (o->battery)
		aml_add(root, rom_aml_battery());
	return root;
}

int acpi_fwcfg_name_check(const char *name, struct err *e)
{
	size_t len = strlen(name);
	if (strncmp(name, "opt/", 4) != 0 || len <= 4) {
		err_set(e, "fw_cfg name '%s' must start with \"opt/\" (QEMU reserves other names), e.g. %s", name,
			ACPI_FWCFG_NAME_DEFAULT);
		return -EINVAL;
	}
	if (len > 55) {
		err_set(e, "fw_cfg name '%s' is %zu bytes; QEMU allows 55", name, len);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		if (name[i] < 0x21 || name[i] > 0x7e || name[i] == ',') {
			err_set(e, "fw_cfg name '%s': character %zu not allowed (printable ASCII, no ',' or space)", name, i + 1);
			return -EINVAL;
		}
	return 0;
}

int acpi_tables_build(const uint8_t *rom, size_t rom_len, const struct acpi_table_opts *o,
		      struct acpi_ssdt_set *ret, struct err *e)
{
	size_t max = o->max_table ? o->max_table : ACPI_TABLE_MAX;
	_cleanup_free_ struct acpi_path *p = malloc(sizeof(*p));
	int r;

	*ret = (struct acpi_ssdt_set){0};
	if (!p)
		return -ENOMEM;
	if (!o->device_path) {
		err_set(e, "no device path");
		return -EINVAL;
	}
	if ((r = acpi_path_parse(o->device_path, strlen(o->device_path), p, e)) < 0)
		return r;
	if (!p->root || p->n < (o->declare == ACPI_DECLARE_ALL ? 4u : 2u)) {
		err_set(e, "device path '%s' must be absolute (start with \\) and name the GPU below a parent%s, "
			   "e.g. \\_SB.PCI0.S08.S00", o->device_path, o->declare == ACPI_DECLARE_ALL ? " and a root port" : "");
		return -EINVAL;
	}
	if (rom_len == 0) {
		err_set(e, "the VBIOS is empty");
		return -EINVAL;
	}
	if (o->source == ACPI_SOURCE_FWCFG) {
		const char *name = o->fw_cfg_name ? o->fw_cfg_name : ACPI_FWCFG_NAME_DEFAULT;
		if ((r = acpi_fwcfg_name_check(name, e)) < 0)
			return r;
		if (rom_len > ACPI_FWCFG_MAX) {
			err_set(e, "the VBIOS is %zu bytes; the fw_cfg carrier reads at most %u", rom_len, ACPI_FWCFG_MAX);
			return -EFBIG;
		}
	} else if (rom_len > ACPI_EMBEDDED_MAX) {
		err_set(e, "the VBIOS is %zu bytes; the embedded carrier holds at most %u (use --source fw_cfg)", rom_len,
			ACPI_EMBEDDED_MAX);
		return -EFBIG;
	}

	size_t nchunks = o->source == ACPI_SOURCE_EMBEDDED ? (rom_len + ACPI_ROM_CHUNK - 1) / ACPI_ROM_CHUNK : 0;
	size_t k0 = nchunks < CHUNKS_PER_DATA_TABLE ? nchunks : CHUNKS_PER_DATA_TABLE;
	for (;;) {
		size_t ndata = (nchunks - k0 + CHUNKS_PER_DATA_TABLE - 1) / CHUNKS_PER_DATA_TABLE;
		if (1 + ndata > MAX_PACKAGES) {
			err_set(e, "the VBIOS needs %zu tables; at most %d", 1 + ndata, MAX_PACKAGES);
			return -EFBIG;
		}
		_cleanup_(acpi_ssdt_set_free) struct acpi_ssdt_set set = {0};
		set.t = calloc(1 + ndata, sizeof(*set.t));
		if (!set.t)
			return -ENOMEM;
		set.n = 1 + ndata;
		_cleanup_(aml_freep) struct aml_node *root = rom_table(rom, rom_len, p, o, k0, nchunks);
		if (!root)
			return -ENOMEM;
		r = finish(&set.t[0], ACPI_OEM_TABLE_ROM, "", root, max, e);
		if (r == -EFBIG && k0 > 0) {
			k0--; /* give one chunk to the data tables and retry */
			continue;
		}
		if (r < 0)
			return r;
		size_t first = k0;
		for (size_t d = 1; d <= ndata; d++) {
			size_t cnt = nchunks - first < CHUNKS_PER_DATA_TABLE ? nchunks - first : CHUNKS_PER_DATA_TABLE;
			char oem[9], suffix[8], pname[8];
			unsigned dn = (unsigned)(d % 100); /* d < MAX_PACKAGES */
			snprintf(oem, sizeof(oem), "VBIOSD%02u", dn);
			snprintf(suffix, sizeof(suffix), "-d%02u", dn);
			snprintf(pname, sizeof(pname), "\\OGV%c", base36[d]);
			_cleanup_(aml_freep) struct aml_node *droot = aml_scope("\\");
			aml_add(droot, aml_name(pname, chunk_package(rom, rom_len, first, cnt)));
			if (droot)
				aml_comment(droot, "VBIOS data for the _ROM method in table VBIOSROM");
			r = droot ? finish(&set.t[d], oem, suffix, droot, max, e) : -ENOMEM;
			if (r < 0)
				return r;
			first += cnt;
		}
		*ret = TAKE_STRUCT(set);
		return 0;
	}
}

void acpi_ssdt_set_free(struct acpi_ssdt_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->t[i].aml);
		free(s->t[i].asl);
	}
	free(s->t);
	*s = (struct acpi_ssdt_set){0};
}
