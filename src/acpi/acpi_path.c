#include "acpi/acpi_path.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool lead_ok(char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }
static bool char_ok(char c) { return lead_ok(c) || (c >= '0' && c <= '9'); }

int acpi_path_parse(const char *text, size_t len, struct acpi_path *p, struct err *e)
{
	size_t i = 0;
	memset(p, 0, sizeof(*p));
	if (len == 0) {
		err_set(e, "empty ACPI name path; give one like \\_SB.PCI0.S08.S00");
		return -EINVAL;
	}
	if (text[0] == '\\') {
		p->root = true;
		i = 1;
	} else {
		while (i < len && text[i] == '^')
			p->parents++, i++;
		if (p->parents > 255) {
			err_set(e, "ACPI name path has more than 255 '^' prefixes");
			return -EINVAL;
		}
	}
	if (i == len) {
		if (p->root)
			return 0; /* "\" alone: the root scope */
		err_set(e, "ACPI name path '%.*s' has no name segment after its prefix", (int)(len > 64 ? 64 : len), text);
		return -EINVAL;
	}
	for (;;) {
		size_t start = i;
		while (i < len && text[i] != '.')
			i++;
		size_t n = i - start;
		if (n == 0 || n > 4) {
			err_set(e, "ACPI name path: segment %u at character %zu is %s; segments are 1 to 4 characters "
				   "separated by '.' (e.g. \\_SB.PCI0.S08.S00)", p->n + 1, start + 1, n ? "longer than 4" : "empty");
			return -EINVAL;
		}
		for (size_t k = start; k < i; k++) {
			char c = text[k];
			bool ok = k == start ? lead_ok(c) : char_ok(c);
			if (!ok) {
				if (islower((unsigned char)c))
					err_set(e, "ACPI name path: lower-case '%c' at character %zu; ACPI names are upper case", c, k + 1);
				else if (isprint((unsigned char)c))
					err_set(e, "ACPI name path: character '%c' at %zu not allowed; a segment starts with A-Z or _ "
						   "and continues with A-Z, 0-9 or _", c, k + 1);
				else
					err_set(e, "ACPI name path: byte 0x%02x at %zu not allowed", (unsigned char)c, k + 1);
				return -EINVAL;
			}
		}
		if (p->n >= ACPI_PATH_MAX_SEGS) {
			err_set(e, "ACPI name path has more than %d segments", ACPI_PATH_MAX_SEGS);
			return -EINVAL;
		}
		memcpy(p->seg[p->n], "____", 5);
		memcpy(p->seg[p->n], text + start, n);
		p->n++;
		if (i == len)
			return 0;
		i++; /* '.' */
		if (i == len) {
			err_set(e, "ACPI name path ends with '.'");
			return -EINVAL;
		}
	}
}

int acpi_path_format(const struct acpi_path *p, char *out, size_t cap)
{
	size_t o = 0;
#define PUT(c) do { if (o + 1 >= cap) return -ENOSPC; out[o++] = (c); } while (0)
	if (p->root)
		PUT('\\');
	for (unsigned k = 0; k < p->parents; k++)
		PUT('^');
	for (unsigned s = 0; s < p->n; s++) {
		if (s)
			PUT('.');
		int n = 4;
		while (n > 1 && p->seg[s][n - 1] == '_')
			n--;
		for (int k = 0; k < n; k++)
			PUT(p->seg[s][k]);
	}
#undef PUT
	if (cap == 0)
		return -ENOSPC;
	out[o] = 0;
	return (int)o;
}

static int hexnum(const char *s, size_t n, unsigned max, unsigned *ret)
{
	if (n == 0 || n > 4)
		return -1;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		v = v * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10));
	}
	if (v > max)
		return -1;
	*ret = v;
	return 0;
}

int pci_bdf_parse(const char *s, bool bus_optional, struct pci_bdf *ret, struct err *e)
{
	const char *dot = strrchr(s, '.');
	const char *c2 = dot ? memrchr(s, ':', (size_t)(dot - s)) : NULL;
	unsigned dom = 0;
	struct pci_bdf d = {0};
	if (!dot)
		goto bad;
	if (hexnum(dot + 1, strlen(dot + 1), 7, &d.fn) < 0)
		goto bad;
	const char *devp = c2 ? c2 + 1 : s;
	if (hexnum(devp, (size_t)(dot - devp), 31, &d.dev) < 0)
		goto bad;
	if (c2) {
		const char *c1 = memrchr(s, ':', (size_t)(c2 - s));
		const char *busp = c1 ? c1 + 1 : s;
		if (hexnum(busp, (size_t)(c2 - busp), 255, &d.bus) < 0)
			goto bad;
		if (c1 && (hexnum(s, (size_t)(c1 - s), 0xffff, &dom) < 0 || dom != 0)) {
			err_set(e, "PCI address '%s': only PCI domain 0000 exists on QEMU q35", s);
			return -EINVAL;
		}
	} else if (!bus_optional) {
		goto bad;
	}
	*ret = d;
	return 0;
bad:
	err_set(e, "'%s' is not a PCI address; write %s in hex (e.g. %s)", s, bus_optional ? "DD.F or BB:DD.F" : "BB:DD.F",
		bus_optional ? "01.0" : "01:00.0");
	return -EINVAL;
}

void qemu_acpi_node(const struct pci_bdf *d, char out[5])
{
	snprintf(out, 5, "S%02X", (d->dev << 3 | d->fn) & 0xff);
}

unsigned pci_adr(const struct pci_bdf *d)
{
	return d->dev << 16 | d->fn;
}

int qemu_q35_path(const struct pci_bdf *gpu, const struct pci_bdf *root_port, char *out, size_t cap,
		  struct err *e)
{
	char g[5], r[5];
	qemu_acpi_node(gpu, g);
	int n;
	if (gpu->bus == 0) {
		n = snprintf(out, cap, "\\_SB.PCI0.%s", g);
	} else {
		if (!root_port) {
			err_set(e, "the GPU is on bus %02x, behind a root port: give the root port's address with "
				   "--root-port DD.F (libvirt: the <address> of the pcie-root-port controller whose "
				   "index is %u)", gpu->bus, gpu->bus);
			return -EINVAL;
		}
		if (root_port->bus != 0) {
			err_set(e, "root port %02x:%02x.%x is not on the root bus 00; nested bridges are not supported",
				root_port->bus, root_port->dev, root_port->fn);
			return -EINVAL;
		}
		qemu_acpi_node(root_port, r);
		n = snprintf(out, cap, "\\_SB.PCI0.%s.%s", r, g);
	}
	if (n < 0 || (size_t)n >= cap)
		return -ENOSPC;
	return 0;
}
