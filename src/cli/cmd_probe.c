/* probe: the snapshot, as a table for people or as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/classify.h"
#include "probe/probe_drm.h"
#include "model/providers.h"
#include "cli/cli.h"
#include "cli/conventions.h"
#include "model/snapshot_json.h"
#include "util/cleanup.h"

static void join(FILE *f, const struct strv *v, const char *none)
{
	if (!v->n)
		fputs(none, f);
	for (size_t i = 0; i < v->n; i++)
		fprintf(f, "%s%s", i ? " " : "", v->v[i]);
}

static void print_table(FILE *f, const struct snapshot *s)
{
	fprintf(f, "%-12s  %-9s  %-9s  %-8s  %-10s  %-15s  %s\n", "DEVICE", "ID", "SUBSYS", "CLASS", "DRIVER",
		"ROLE", "NODES");
	for (size_t i = 0; i < s->n_pci; i++) {
		const struct pci_device *d = &s->pci[i];
		char id[16], sub[16], nodes[256] = "";
		snprintf(id, sizeof(id), "%04x:%04x", d->vendor, d->device);
		snprintf(sub, sizeof(sub), "%04x:%04x", d->subsystem_vendor, d->subsystem_device);
		size_t off = 0;
		for (size_t k = 0; k < d->drm_cards.n && off < sizeof(nodes); k++)
			off += (size_t)snprintf(nodes + off, sizeof(nodes) - off, "%s%s", off ? " " : "", d->drm_cards.v[k]);
		for (size_t k = 0; k < d->drm_renders.n && off < sizeof(nodes); k++)
			off += (size_t)snprintf(nodes + off, sizeof(nodes) - off, "%s%s", off ? " " : "", d->drm_renders.v[k]);
		fprintf(f, "%-12s  %-9s  %-9s  %06x    %-10s  %-15s  %s%s%s\n", d->slot, id, sub, d->class,
			d->driver ? d->driver : "-", d->role ? d->role : "-", *nodes ? nodes : "-",
			d->boot_vga == 1 ? "  [boot VGA]" : "", d->rom ? "  [rom]" : "");
	}
	for (size_t i = 0; i < s->n_pci; i++) {
		const struct pci_device *d = &s->pci[i];
		for (size_t k = 0; k < d->n_connectors; k++)
			fprintf(f, "%s connector %s: %s\n", d->slot, d->connectors[k].name, d->connectors[k].status);
	}
	const struct environment *e = &s->env;
	fputc('\n', f);
	fprintf(f, "hypervisor:      %s", classify_in_vm(s) ? "yes" : "no");
	if (e->dmi_sys_vendor)
		fprintf(f, " (%s%s%s)", e->dmi_sys_vendor, e->dmi_product_name ? ", " : "",
			e->dmi_product_name ? e->dmi_product_name : "");
	fprintf(f, "\nmachine type:    %s%s%s\n", e->machine ? e->machine : "unknown",
		e->dmi_product_version ? " " : "", e->dmi_product_version ? e->dmi_product_version : "");
	fprintf(f, "firmware:        %s%s%s\n", e->firmware ? e->firmware : "unknown",
		e->dmi_bios_vendor ? ", " : "", e->dmi_bios_vendor ? e->dmi_bios_vendor : "");
	fprintf(f, "EFI ROM handover: %s (setup_data types: ", e->efi_pci_rom ? "yes" : "no");
	join(f, &e->setup_data_types, "none");
	if (e->pci_roms.n) {
		fputs("; ROMs: ", f);
		join(f, &e->pci_roms, "-");
	}
	fputs(")\nmodules:         ", f);
	join(f, &e->modules, "-");
	fputs("\nXorg drivers:    ", f);
	join(f, &e->xorg_drivers, "-");
	fprintf(f, "\nXorg version:    %s\n", e->xorg_version ? e->xorg_version : "unknown");
	fprintf(f, "kernel:          %s\n", e->kernel_release ? e->kernel_release : "unknown");
	fprintf(f, "cmdline:         %s\n", e->cmdline ? e->cmdline : "-");
	fputs("ACPI tables:     ", f);
	if (!e->n_acpi_tables)
		fputs("-", f);
	for (size_t i = 0; i < e->n_acpi_tables; i++)
		fprintf(f, "%s%s%s%s%s", i ? " " : "", e->acpi_tables[i].name, e->acpi_tables[i].oem_table_id ? "(" : "",
			e->acpi_tables[i].oem_table_id ? e->acpi_tables[i].oem_table_id : "",
			e->acpi_tables[i].oem_table_id ? ")" : "");
	fputc('\n', f);
	if (e->session_type)
		fprintf(f, "session type:    %s\n", e->session_type);
	for (size_t i = 0; i < s->n_xorg; i++)
		fprintf(f, "Xorg config:     %s%s\n", s->xorg[i].path, s->xorg[i].ours ? " (written by optimus-guest)" : "");
	for (size_t i = 0; i < s->drm.n; i++) {
		const struct drm_device *d = &s->drm.v[i];
		fprintf(f, "libdrm:          %s %s %s %s%s%s\n", d->pci_slot ? d->pci_slot : "-", d->driver ? d->driver : "-",
			d->driver_version ? d->driver_version : "-", d->primary ? d->primary : "",
			d->primary && d->render ? " " : "", d->render ? d->render : "");
	}
	_cleanup_strv_ struct strv findings = {0};
	drm_crosscheck(s, &findings);
	for (size_t i = 0; i < findings.n; i++)
		fprintf(f, "libdrm/sysfs:    %s\n", findings.v[i]);
	if (s->providers.source && !s->providers.supported)
		fprintf(f, "RandR providers (%s): the X server does not speak RandR 1.4 (version %s)\n", s->providers.source,
			s->providers.randr_version ? s->providers.randr_version : "unknown");
	else if (s->providers.source) {
		fprintf(f, "RandR providers (%s%s%s):%s\n", s->providers.source, s->providers.randr_version ? ", RandR " : "",
			s->providers.randr_version ? s->providers.randr_version : "", s->providers.n ? "" : " none");
		for (size_t i = 0; i < s->providers.n; i++) {
			const struct randr_provider *p = &s->providers.v[i];
			const struct pci_device *d = p->pci_slot ? snapshot_find_slot(s, p->pci_slot) : NULL;
			char caps[96];
			fprintf(f, "  %u: %s id 0x%x cap 0x%x (%s)", p->index, p->name ? p->name : "?", p->id, p->caps,
				provider_caps_text(p->caps, caps, sizeof(caps)));
			if (p->pci_slot)
				fprintf(f, " on %s%s%s%s", p->pci_slot, d && d->role ? " [" : "", d && d->role ? d->role : "",
					d && d->role ? "]" : "");
			if (p->offload_sink)
				fprintf(f, ", offload sink 0x%x", p->offload_sink);
			if (p->output_source)
				fprintf(f, ", output source 0x%x", p->output_source);
			fputc('\n', f);
		}
	}
}

int cmd_probe(struct options *o, int argc, char **argv)
{
	if (argc > 1)
		return cli_extra_operand(o, "probe", argv[1]);
	_cleanup_(snapshot_freep) struct snapshot *s = NULL;
	int rc = cli_load_snapshot(o, &s);
	if (rc != EXIT_OK)
		return rc;
	if (o->json) {
		_cleanup_free_ char *text = snapshot_to_string(s);
		if (!text) {
			cli_error(o, "out of memory");
			return EXIT_FAIL;
		}
		fputs(text, stdout);
	} else {
		print_table(stdout, s);
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}
