/* Which iGPUs have GVT-g.
 *
 * Linux's i915 enables GVT-g only where is_supported_device() in
 * drivers/gpu/drm/i915/intel_gvt.c says so: IS_BROADWELL, IS_SKYLAKE, IS_KABYLAKE,
 * IS_BROXTON, IS_COFFEELAKE and IS_COMETLAKE (Linux 5.5 to 6.x; 5.4 and older stop at
 * Coffee Lake). drivers/gpu/drm/i915/gvt/ knows the same five device types (D_BDW, D_SKL,
 * D_KBL, D_BXT, D_CFL; Comet Lake runs as D_CFL). Any other platform gets
 * "Unsupported device. GVT-g is disabled" and enable_gvt is reset to N. The platform of each
 * PCI id comes from include/drm/i915_pciids.h as i915_pci.c groups it (host_igpu_ids.c). */
#include "host/host_igpu.h"

#include <stdlib.h>
#include <string.h>

static int cmp(const void *key, const void *elem)
{
	unsigned k = *(const unsigned *)key, d = ((const struct igpu_id *)elem)->device;
	return k < d ? -1 : k > d;
}

const struct igpu_id *igpu_lookup(unsigned device)
{
	return bsearch(&device, igpu_ids, igpu_ids_n, sizeof(igpu_ids[0]), cmp);
}

bool igpu_has_gvt(const struct igpu_id *id)
{
	static const char *const gvt[] = { "Broadwell", "Skylake", "Kaby Lake", "Broxton", "Coffee Lake", "Comet Lake" };
	for (size_t i = 0; id && i < sizeof(gvt) / sizeof(gvt[0]); i++)
		if (strcmp(id->platform, gvt[i]) == 0)
			return true;
	return false;
}

const char *igpu_no_gvt_instead(const struct igpu_id *id)
{
	if (id && id->gen >= 12)
		return "Intel replaced GVT-g with SR-IOV virtual functions on Gen 12 (Tiger Lake and later), which "
		       "mainline i915 does not offer; without a vGPU the guest has no Intel display device for the "
		       "muxless NVIDIA card to render for";
	if (id && id->gen >= 10)
		return "Gen 10 and 11 (Cannon Lake, Ice Lake, Elkhart/Jasper Lake) have neither GVT-g nor SR-IOV "
		       "graphics virtualization; without a vGPU the guest has no Intel display device for the muxless "
		       "NVIDIA card to render for";
	return "GVT-g in mainline Linux starts with Broadwell (Gen 8); older iGPUs (and the Atom parts Cherryview "
	       "and Gemini Lake) have no graphics virtualization in mainline";
}
