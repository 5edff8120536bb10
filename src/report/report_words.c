/* Raw values into words (drm_info's pretty.c habit): switch, default "unknown". */
#include "report/report.h"

const char *report_class_name(unsigned class24)
{
	switch (class24 >> 8) {
	case 0x0300: return "VGA compatible controller";
	case 0x0301: return "XGA controller";
	case 0x0302: return "3D controller";
	case 0x0380: return "Display controller";
	case 0x0600: return "Host bridge";
	case 0x0601: return "ISA bridge";
	case 0x0604: return "PCI bridge";
	default: return "unknown";
	}
}

const char *report_vendor_name(unsigned vendor)
{
	switch (vendor) {
	case 0x8086: return "Intel";
	case 0x10de: return "NVIDIA";
	case 0x1002: return "AMD";
	case 0x1b36: return "Red Hat (QEMU)";
	case 0x1af4: return "virtio";
	case 0x1234: return "Bochs/QEMU stdvga";
	case 0x1013: return "Cirrus Logic";
	case 0x15ad: return "VMware";
	default: return "unknown";
	}
}

const char *report_severity_icon(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "❌";
	case SEV_WARNING: return "⚠️";
	case SEV_INFO: return "ℹ️";
	default: return "unknown";
	}
}
