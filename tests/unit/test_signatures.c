/* Every shipped signature against the real line it was written for and a near-miss; the
 * signature file parser against bad input, one bad input per test. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/signature.h"
#include "util/cleanup.h"

struct sample {
	const char *id;
	const char *line;      /* a real log line (source in signatures/NN-*.ini) */
	const char *near_miss; /* close, but must not match */
	enum log_kind kind;    /* the log it comes from */
};

static const struct sample samples[] = {
	{ "nouveau-vbios-not-found",
	  "[    2.690] nouveau 0000:01:00.0: bios: unable to locate usable image",
	  "[    2.690] nouveau 0000:01:00.0: bios: using image from PLATFORM", LOG_KERNEL },
	{ "nouveau-bios-ctor-failed",
	  "Nov 20 10:01:03 guest kernel: [    2.690] nouveau 0000:01:00.0: bios ctor failed, -22",
	  "Nov 20 10:01:03 guest kernel: [    2.690] nouveau 0000:01:00.0: fifo ctor failed, -22", LOG_KERNEL },
	{ "nouveau-probe-failed",
	  "[    2.691] nouveau: probe of 0000:01:00.0 failed with error -22",
	  "[    2.691] snd_hda_intel: probe of 0000:01:00.1 failed with error -22", LOG_KERNEL },
	{ "nvidia-vbios-copy-failed",
	  "Apr 24 11:41:55 km-MacBookPro kernel: [   30.139286] NVRM: failed to copy vbios to system memory.",
	  "NVRM: loading NVIDIA UNIX x86_64 Kernel Module  340.76  Thu Jan 22 12:11:08 PST 2015", LOG_KERNEL },
	{ "nvidia-rminitadapter-failed",
	  "[   30.139541] NVRM: RmInitAdapter failed! (0x30:0xffffffff:747)",
	  "[   30.139541] NVRM: RmInitAdapter succeeded (0x0:0x0:0)", LOG_KERNEL },
	{ "nvidia-rm-init-adapter-failed",
	  "[   30.139546] NVRM: rm_init_adapter failed for device bearing minor number 0",
	  "[   31.005847] NVRM: nvidia_frontend_open: minor 0, module->open() failed, error -5", LOG_KERNEL },
	{ "nvidia-bar-invalid",
	  "[    5.015146] NVRM: This PCI I/O region assigned to your NVIDIA device is invalid:",
	  "[    5.015146] NVRM: BAR1 is 256M @ 0xe0000000 (PCI:0000:01:00.0)", LOG_KERNEL },
	{ "nvidia-probe-failed",
	  "[  680.610396] NVRM: The NVIDIA probe routine failed for 1 device(s).",
	  "[  680.610397] NVRM: None of the NVIDIA graphics adapters were initialized!", LOG_KERNEL },
	{ "xorg-nvidia-gpu-init-failed",
	  "[    18.850] (EE) NVIDIA(0): Failed to initialize the NVIDIA GPU at PCI:1:0:0.  Please",
	  "[    18.850] (EE) NVIDIA(0):     check your system's kernel log for additional error", LOG_XORG },
	{ "xorg-attach-output-gpu-assert",
	  "xorg-server-1.19.5/dix/dispatch.c:4035: AttachOutputGPU: Assertion 'new->current_master == pScreen' failed.",
	  "xorg-server-1.19.5/dix/dispatch.c:4035: AttachOutputGPU: Assertion 'new->is_output_slave' failed.", LOG_XORG },
	{ "xorg-no-screens",
	  "[    49.893] no screens found",
	  "[    49.893] (EE) Screen(s) found, but none have a usable configuration.", LOG_XORG },
	{ "xorg-no-usable-configuration",
	  "[    49.893] (EE) Screen(s) found, but none have a usable configuration.",
	  "[    49.893] (II) Screen(s) found: 1", LOG_XORG },
	{ "xorg-modeset-no-modes",
	  "[  1537.967] (EE) modeset(0): No modes.",
	  "[  1537.967] (II) modeset(0): Modeline \"1024x768\"x60.0", LOG_XORG },
	{ "xorg-no-devices",
	  "[    10.120] (EE) No devices detected.",
	  "[    10.120] (II) No devices to configure.  Configuration failed.", LOG_XORG },
	{ "xorg-fbdev-busid",
	  "[  3570.274] (EE) Cannot run in framebuffer mode. Please specify busIDs        for all framebuffer devices",
	  "[  3570.274] (II) FBDEV(1): using default device", LOG_XORG },
	{ "xorg-ddx-missing",
	  "[     8.210] (EE) Failed to load module \"nouveau\" (module does not exist, 0)",
	  "[     8.210] (EE) Failed to load module \"nv\" (module does not exist, 0)", LOG_XORG },
	{ "qxl-swiotlb-full",
	  "qxl 0000:00:03.0: swiotlb buffer is full (sz: 299008 bytes)",
	  "[   38.662975] ipu3-imgu 0000:00:05.0: swiotlb buffer is full (sz: 4096 bytes)", LOG_KERNEL },
	{ "qxl-out-of-sw-iommu",
	  "qxl 0000:00:03.0: DMA: Out of SW-IOMMU space for 299008 bytes",
	  "[   38.662980] DMA: Out of SW-IOMMU space for 4096 bytes at device 0000:00:05.0", LOG_KERNEL },
	{ "bumblebee-no-integrated-card",
	  "Nov 17 07:41:00 s bumblebeed[4164]: [37356.722895] [ERROR]No integrated video card found, quitting.",
	  "Nov 17 07:41:00 s bumblebeed[4164]: [37356.722895] [INFO]Discrete video card 0000:01:00.0 found", LOG_ANY },
	{ "bumblebee-no-discrete-card",
	  "[ 4558.829788] [ERROR]No discrete video card found, quitting",
	  "[ 4558.829788] No discrete video card found", LOG_ANY },
	{ "bumblebee-secondary-gpu",
	  "[ 2110.741840] [ERROR]Cannot access secondary GPU - error: [XORG] (EE) NVIDIA(0): Failed to initialize the NVIDIA GPU at PCI:1:0:0.  Please",
	  "[ 2110.741922] [ERROR]Aborting because fallback start is disabled.", LOG_ANY },
	{ "gvt-vgpu-detected",
	  "Nov 20 10:01:02 guest kernel: [    2.101] i915 0000:00:02.0: Virtual GPU for Intel GVT-g detected.",
	  "[    2.101] i915 0000:00:02.0: [drm] VGT interface version 1.0", LOG_KERNEL },
	{ "gvt-interface-mismatch",
	  "[    2.101] [drm] VGT interface version mismatch!",
	  "[    2.101] [drm] VGT interface version 1.0", LOG_KERNEL },
	{ "nvidia-rminitadapter-gsp",
	  "[   10.843941] NVRM: GPU 0000:01:00.0: RmInitAdapter failed! (0x62:0x25:2015)",
	  "[   10.845693] NVRM: GPU 0000:01:00.0: rm_init_adapter failed, device minor number 0", LOG_KERNEL },
	{ "nvidia-gsp-init-failed",
	  "[   10.842171] NVRM: RmInitAdapter: Cannot initialize GSP firmware RM",
	  "[   10.842112] NVRM: s_prepareForFwsec_TU102: Falcon ucode from hs", LOG_KERNEL },
	{ "nvidia-gsp-wpr2-up",
	  "[   86.123583] NVRM: GPU6 _kgspBootGspRm: unexpected WPR2 already up, cannot proceed with booting GSP",
	  "[   86.123591] NVRM: GPU6 _kgspBootGspRm: (the GPU is likely in a bad state and may need to be reset)", LOG_KERNEL },
	{ "nvidia-gsp-firmware-missing",
	  "nvidia 0000:01:00.0: Direct firmware load for nvidia/555.58.02/gsp_tu10x.bin failed with error -2",
	  "[    2.847822] i915 0000:00:02.0: Direct firmware load for i915/gvt/vid_0x8086_did_0x1912_rid_0x06.golden_hw_state failed with error -2", LOG_KERNEL },
	{ "nvidia-fallen-off-bus",
	  "[   49.261458] NVRM: GPU at 0000:01:00.0 has fallen off the bus.",
	  "[   49.261465] NVRM: os_pci_init_handle: invalid context!", LOG_KERNEL },
	{ "xorg-nvidia-modeset-permission",
	  "[   104.652] (EE) NVIDIA(GPU-0): Failed to acquire modesetting permission.",
	  "[   104.652] (EE) NVIDIA(0): Failing initialization of X screen", LOG_XORG },
	{ "bumblebee-daemon-not-running",
	  "[  823.560788] [ERROR]The Bumblebee daemon has not been started yet or the socket path /var/run/bumblebee.socket was incorrect.",
	  "[ 1365.303793] [ERROR]Daemon already running, pid 1031", LOG_ANY },
	{ "gvt-ballooning-old",
	  "[    0.728464] balloon successfully",
	  "[    0.725620] i915 ballooning.", LOG_KERNEL },
	{ "client-glx-create-context-refused",
	  "  Minor opcode of failed request:  24 (X_GLXCreateNewContext)",
	  "  Minor opcode of failed request:  5 (X_GLXMakeCurrent)", LOG_ANY },
	{ "gvt-ballooning",
	  "[    4.268968] i915 0000:00:04.0: [drm] VGT balloon successfully",
	  "[    4.266188] i915 0000:00:04.0: [drm] balloon space: range [ 0x28000000 - 0x100000000 ] 353894.", LOG_KERNEL },
	{ "gvt-vgpu-flip-timeout",
	  "[drm] *ERROR* [CRTC:45:pipe A] commit wait timed out",
	  "[  120.158931] [drm:drm_atomic_helper_wait_for_flip_done [drm_kms_helper]] *ERROR* [CRTC:76:crtc-3] flip_done timed out", LOG_KERNEL },
	{ "gvt-host-unsupported",
	  "i915 0000:00:02.0: [drm] Unsupported device. GVT-g is disabled",
	  "i915 0000:00:02.0: [drm] GVT-g is disabled for guest", LOG_KERNEL },
	{ "nouveau-bios-source-empty",
	  "Mar 14 07:58:45 q430 kernel: [    9.482988] [drm] nouveau 0000:02:00.0: ... BIOS signature not found",
	  "Mar 14 07:58:45 q430 kernel: [    9.482989] [drm] nouveau 0000:02:00.0: Attempting to load BIOS image from PROM", LOG_KERNEL },
	{ "nouveau-gsp-ctor-failed",
	  "[    2.177205] nouveau 0000:01:00.0: gsp ctor failed: -2",
	  "[    2.177205] nouveau 0000:01:00.0: gsp: RM version: 535.113.01", LOG_KERNEL },
	{ "nouveau-gsp-firmware-missing",
	  "nouveau 0000:01:00.0: gsp: Failed to load required firmware for device.",
	  "nvidia 0000:01:00.0: Direct firmware load for nvidia/555.58.02/gsp_tu10x.bin failed with error -2", LOG_KERNEL },
	{ "nvidia-gsp-vbios-not-in-rom",
	  "kgspExtractVbiosFromRom_TU102: did not find valid ROM signature",
	  "vfio-pci 0000:01:00.0: Invalid PCI ROM header signature: expecting 0xaa55, got 0xffff", LOG_KERNEL },
	{ "nvidia-rminitadapter-unreachable",
	  "[   87.473074] NVRM: GPU 0000:01:00.0: RmInitAdapter failed! (0x22:0x56:667)",
	  "[   30.139541] NVRM: RmInitAdapter failed! (0x30:0xffffffff:747)", LOG_KERNEL },
	{ "nvidia-d3cold-inaccessible",
	  "[   87.412759] nvidia 0000:01:00.0: Unable to change power state from D3cold to D0, device inaccessible",
	  "[586739.359281] vfio-pci 0000:01:00.0: Unable to change power state from D3cold to D0, device inaccessible", LOG_KERNEL },
	{ "xorg-screen-resources-failed",
	  "[    22.052] (EE) failed to create screen resources(EE) ",
	  "[    22.052] (EE) Server terminated with error (1). Closing log file.", LOG_XORG },
	{ "xorg-modeset-pixmap-failed",
	  "[    22.052] (EE) modeset(G0): Failed to create pixmap",
	  "[    22.052] (II) modeset(G0): Creating default Display subsection in Screen section", LOG_XORG },
	{ "xorg-modeset-glamor-failed",
	  "[    46.817] (EE) modeset(G0): glamor initialization failed",
	  "[     8.205] (II) modeset(G0): glamor initialized", LOG_XORG },
	{ "nvidia-smi-no-device-handle",
	  "Unable to determine the device handle for GPU 0000:02:01.0: Unknown Error",
	  "Unable to determine the device handle for GPU 0000:02:01.0: GPU is lost.  Reboot the system to recover this GPU", LOG_ANY },
	{ "bumblebee-connect-failed",
	  "[ 3506.599760] [ERROR]Could not connect to bumblebee daemon - is it running?",
	  "[ 1365.303793] [ERROR]Daemon already running, pid 1031", LOG_ANY },
	{ "bumblebee-no-permission",
	  "[ 4765.202698] [ERROR]You've no permission to communicate with the Bumblebee daemon. Try adding yourself to the 'bumblebee' group",
	  "[ 4765.202698] [INFO]Adding yourself to the 'bumblebee' group", LOG_ANY },
};

/* Second real spellings of the same signature. */
static const struct sample variants[] = {
	{ "xorg-attach-output-gpu-assert",
	  "Xorg: ../dix/dispatch.c:4062: AttachOutputGPU: Assertion `new->current_primary == pScreen' failed.", NULL, LOG_ANY },
	{ "nouveau-bios-ctor-failed", "nouveau 0000:01:00.0: bios ctor failed: -22", NULL, LOG_KERNEL },
	{ "nouveau-probe-failed", "nouveau 0000:01:00.0: probe with driver nouveau failed with error -22", NULL, LOG_KERNEL },
	{ "nvidia-vbios-copy-failed", "[    5.433614] NVRM: GPU 0000:07:00.0: Failed to copy vbios to system memory.", NULL, LOG_KERNEL },
	{ "nvidia-rminitadapter-failed", "NVRM: GPU 0000:05:00.0: RmInitAdapter failed! (0x24:0x72:1447)", NULL, LOG_KERNEL },
	{ "nvidia-rm-init-adapter-failed", "[ 1505.802786] NVRM: rm_init_adapter(0) failed", NULL, LOG_KERNEL },
	{ "xorg-nvidia-gpu-init-failed", "(EE) NVIDIA(GPU-0): Failed to initialize the NVIDIA GPU at PCI:1:0:0.  Please", NULL, LOG_XORG },
	{ "xorg-no-screens", "[     9.101] (EE) no screens found(EE)", NULL, LOG_XORG },
	{ "gvt-vgpu-detected", "[    1.900] [drm] Virtual GPU for Intel GVT-g detected.", NULL, LOG_KERNEL },
	{ "nvidia-rminitadapter-gsp", "[   86.029172] NVRM: GPU 0000:a1:00.0: RmInitAdapter failed! (0x62:0x40:2168)", NULL, LOG_KERNEL },
	{ "nvidia-gsp-init-failed", "[   86.123620] NVRM: GPU6 RmInitAdapter: Cannot initialize GSP firmware RM", NULL, LOG_KERNEL },
	{ "nvidia-fallen-off-bus", "NVRM: Xid (PCI:0000:44:00): 79, GPU has fallen off the bus", NULL, LOG_KERNEL },
	{ "nvidia-fallen-off-bus", "               NVRM: fallen off the bus and is not responding to commands.", NULL, LOG_KERNEL },
	{ "bumblebee-connect-failed", "[ERROR]Could not connect to bumblebee daemon - is it running?", NULL, LOG_ANY },
	{ "bumblebee-daemon-not-running", "primus: fatal: failed to connect to Bumblebee daemon: No such file or directory", NULL, LOG_ANY },
	{ "gvt-ballooning-old", "[    0.727522] i915_balloon_space: range [ 0x43fff000 - 0x80000000 ] 983044 KB.", NULL, LOG_KERNEL },
	{ "client-glx-create-context-refused", "  Minor opcode of failed request:  3 (X_GLXCreateContext)", NULL, LOG_ANY },
	{ "nvidia-rminitadapter-failed", "NVRM: RmInitAdapter failed! (0x30:0xffffffff:859)", NULL, LOG_KERNEL },
	{ "nvidia-rminitadapter-failed", "NVRM: GPU 0000:13:00.0: RmInitAdapter failed! (0x26:0x56:1463)", NULL, LOG_KERNEL },
	{ "gvt-ballooning", "[    4.263764] i915 0000:00:04.0: [drm] VGT ballooning configuration:", NULL, LOG_KERNEL },
	{ "gvt-vgpu-flip-timeout", "[drm] *ERROR* flip_done timed out", NULL, LOG_KERNEL },
	{ "gvt-vgpu-flip-timeout", "*ERROR* [CRTC:45:pipe A] flip_done timed out", NULL, LOG_KERNEL },
	{ "gvt-host-unsupported", "[    4.227468] [drm] Unsupported device. GVT-g is disabled", NULL, LOG_KERNEL },
	{ "nouveau-vbios-not-found", "Mar 14 07:58:45 q430 kernel: [    9.483287] [drm] nouveau 0000:02:00.0: No valid BIOS image found", NULL, LOG_KERNEL },
	{ "nvidia-rminitadapter-unreachable", "[   21.238204] NVRM: osInitNvMapping: *** Cannot attach gpu", NULL, LOG_KERNEL },
	{ "xorg-modeset-glamor-failed", " (II) modeset(0): glamor initialization failed", NULL, LOG_XORG },
	{ "bumblebee-no-discrete-card", "[ERROR]No nVidia graphics card found, quitting.", NULL, LOG_ANY },
	{ "bumblebee-no-permission", "[  274.309971] [ERROR]You've no permission to communicate with the Bumblebee daemon. Try adding yourself to the 'users' group", NULL, LOG_ANY },
};

static struct signature_set shipped;

static int load_shipped(void **state)
{
	(void)state;
	struct err e = {0};
	const char *top = getenv("TOP");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/signatures", top ? top : ".");
	if (signature_set_load_dir(&shipped, dir, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int free_shipped(void **state)
{
	(void)state;
	signature_set_clear(&shipped);
	return 0;
}

static const struct signature *find(const char *id)
{
	for (size_t i = 0; i < shipped.n; i++)
		if (strcmp(shipped.v[i].id, id) == 0)
			return &shipped.v[i];
	return NULL;
}

/* Which signatures match LINE in a log of KIND? Exactly ID (and only it), or nothing. */
static void expect_only(const char *line, enum log_kind kind, const char *id)
{
	for (size_t i = 0; i < shipped.n; i++) {
		const struct signature *s = &shipped.v[i];
		bool m = signature_applies(s, kind) && signature_match(s, line, strlen(line));
		bool want = id && strcmp(s->id, id) == 0;
		if (m != want)
			fail_msg("signature %s %s line: %s", s->id, m ? "matches" : "does not match", line);
	}
}

static void test_sample(void **state)
{
	const struct sample *x = *state;
	const struct signature *s = find(x->id);
	if (!s)
		fail_msg("signature %s is not in signatures/", x->id);
	assert_true(signature_match(s, x->line, strlen(x->line)));
	assert_true(signature_applies(s, x->kind));
	if (x->near_miss)
		assert_false(signature_match(s, x->near_miss, strlen(x->near_miss)));
	/* one of the pre-filter literals is in the real line (else the scan would skip it) */
	bool lit = s->n_literals == 0;
	for (size_t i = 0; i < s->n_literals; i++)
		lit |= strstr(x->line, s->literals[i]) != NULL;
	assert_true(lit);
	/* no other signature claims the same line, except the bumblebee line quoting Xorg */
	if (strcmp(x->id, "bumblebee-secondary-gpu") != 0)
		expect_only(x->line, x->kind, x->id);
}

static void test_every_signature_has_a_sample(void **state)
{
	(void)state;
	assert_true(shipped.n >= 20);
	for (size_t i = 0; i < shipped.n; i++)
		assert_true(signature_pattern_cost(shipped.v[i].pattern) < 200);
	for (size_t i = 0; i < shipped.n; i++) {
		bool found = false;
		for (size_t k = 0; k < ARRAY_SIZE(samples); k++)
			found |= strcmp(samples[k].id, shipped.v[i].id) == 0;
		if (!found)
			fail_msg("signature %s (%s:%u) has no real-line test", shipped.v[i].id, shipped.v[i].file, shipped.v[i].line);
	}
}

/* confirms names a shared check id or a matrix row */
static void test_confirms_known(void **state)
{
	(void)state;
	static const char *const known[] = {
		"machine-q35", "firmware-uefi", "nvidia-subsystem-ids", "nvidia-rom", "efi-rom-handover",
		"nvidia-muxless", "nvidia-root-port", "emulated-display", "remote-display", "nvidia-vbios-acpi",
		"gvt-display", "compute-only", "gvt-only", "gvt-nouveau-offload", "gvt-nvidia-offload",
		"nvidia-primary-gvt-output", "qxl-primary", "qxl-reverse-prime", "nouveau-offload-gvt-secondary",
		"bumblebee", "nvidia-sole", "dummy-primary",
	};
	for (size_t i = 0; i < shipped.n; i++) {
		if (!shipped.v[i].confirms)
			continue;
		bool ok = false;
		for (size_t k = 0; k < ARRAY_SIZE(known); k++)
			ok |= strcmp(known[k], shipped.v[i].confirms) == 0;
		if (!ok)
			fail_msg("%s confirms unknown '%s'", shipped.v[i].id, shipped.v[i].confirms);
	}
}

static void test_variants(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(variants); i++) {
		const struct signature *s = find(variants[i].id);
		assert_non_null(s);
		if (!signature_match(s, variants[i].line, strlen(variants[i].line)))
			fail_msg("%s does not match its variant: %s", variants[i].id, variants[i].line);
		expect_only(variants[i].line, variants[i].kind, variants[i].id);
	}
}

static void test_kind_filter(void **state)
{
	(void)state;
	const struct signature *s = find("xorg-no-screens");
	assert_non_null(s);
	assert_false(signature_applies(s, LOG_KERNEL));
	assert_true(signature_applies(s, LOG_XORG));
	assert_true(signature_applies(s, LOG_ANY));
}

/* ---- the parser ---- */

static const char good[] =
	"# comment\n"
	"[a-sig]\n"
	"log = kernel\n"
	"pattern = foo (bar|baz)\n"
	"severity = warning\n"
	"diagnosis = first line\n"
	"  second line\n"
	"fix = do it\n"
	"confirms = efi-rom-handover\n";

static void test_parse_good(void **state)
{
	(void)state;
	struct signature_set set = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse(&set, good, strlen(good), "t.ini", &e), 0);
	assert_int_equal(set.n, 1);
	assert_string_equal(set.v[0].id, "a-sig");
	assert_string_equal(set.v[0].diagnosis, "first line second line");
	assert_string_equal(set.v[0].confirms, "efi-rom-handover");
	assert_int_equal(set.v[0].severity, SEV_WARNING);
	assert_int_equal(set.v[0].line, 2);
	assert_int_equal(set.v[0].n_literals, 2);
	assert_string_equal(set.v[0].literals[0], "foo bar");
	assert_string_equal(set.v[0].literals[1], "foo baz");
	assert_true(signature_match(&set.v[0], "x foo baz y", 11));
	assert_false(signature_match(&set.v[0], "x foo qux y", 11));
	signature_set_clear(&set);
}

static void test_parse_crlf_bom(void **state)
{
	(void)state;
	const char t[] = "\xef\xbb\xbf[x]\r\nlog = xorg\r\npattern = abc\r\nseverity = info\r\ndiagnosis = d\r\nfix = f\r\n";
	struct signature_set set = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse(&set, t, strlen(t), "t.ini", &e), 0);
	assert_int_equal(set.n, 1);
	assert_string_equal(set.v[0].pattern, "abc");
	signature_set_clear(&set);
}

struct bad {
	const char *text;
	const char *msg;   /* expected start of the error message */
};

#define SIG(extra) "[s]\nlog = kernel\npattern = abc\nseverity = error\ndiagnosis = d\nfix = f\n" extra

static const struct bad bads[] = {
	{ SIG("colour = red\n"), "t.ini:7: unknown key 'colour' in [s]" },
	{ SIG("fix = again\n"), "t.ini:7: 'fix' is repeated in [s] (first at line 6)" },
	{ "[s]\nlog = kernel\npattern = abc\nseverity = error\nfix = f\n", "t.ini:1: [s] has no 'diagnosis'" },
	{ "[s]\n", "t.ini:1: [s] is empty" },
	{ "[s]\nlog = dmesg\npattern = abc\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:2: log 'dmesg' in [s] is not a log kind" },
	{ "[s]\nlog = kernel\npattern = abc\nseverity = fatal\ndiagnosis = d\nfix = f\n", "t.ini:4: severity 'fatal' in [s]" },
	{ "[s]\nlog = kernel\npattern = ab(c\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] is not a POSIX extended regular expression" },
	{ "[s]\nlog = kernel\npattern = (a)\\1\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] uses a back-reference" },
	{ "[s]\nlog = kernel\npattern = x*\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] matches an empty line" },
	{ "[s]\nlog = kernel\npattern = caf\xc3\xa9\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] has a byte 0xc3" },
	{ "[s]\nlog = kernel\npattern = a ++++++++++++++++++++++++++++++++++++++++++++b\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] is too complex" },
	{ "[s]\nlog = kernel\npattern = ((((a{200}){200}){200}){200})\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] is too complex" },
	{ "[s]\nlog = kernel\npattern = x{1000}\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] is too complex" },
	{ "[s]\nlog = kernel\npattern = x(a+)+y\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] repeats a repetition at column 6 ('+y')" },
	{ "[s]\n\n# c\nlog = xorg\npattern = (x*y)*z\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:5: pattern of [s] repeats a repetition at column 6" },
	{ SIG("confirms = Not_An_Id\n"), "t.ini:7: confirms 'Not_An_Id' in [s]" },
	{ "log = kernel\n", "t.ini:1: 'log' outside a section" },
	{ "[Bad_Id]\n", "t.ini:1: signature id 'Bad_Id' must be" },
	{ "[s] trailing\n", "t.ini:1: section header is not '[id]'" },
	{ "  [s]\n", "t.ini:1: indented line with no key before it" },
	{ "[s]\n  stray\n", "t.ini:2: indented line with no key before it" },
	{ SIG("") SIG(""), "t.ini:7: signature [s] is already defined at t.ini:1" },
	{ "[s]\nlog = kernel ; comment\n", "t.ini:2: ' ;' inside a line" },
	{ "[s]\nfix = \n", "t.ini:2: 'fix' in [s] is empty" },
	{ "[s]\nlog = kernel\npattern = abc\n  def\n", "t.ini:4: 'pattern' in [s] cannot continue" },
	{ "[s]\nthis is not a key\n", "t.ini:2: not a 'key = value' line" },
	{ "[s]\nlog = ker\0nel\n", "t.ini:2: NUL byte" },
	{ "[s]\n[t\n", "t.ini:1: [s] is empty" },
	{ "[t\n", "t.ini:1: section header is not '[id]'" },
	{ "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n", "t.ini:1: signature id is longer than 48" },
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bads); i++) {
		struct signature_set set = {0};
		struct err e = {0};
		size_t len = strlen(bads[i].text);
		if (strstr(bads[i].msg, "NUL"))
			len = sizeof("[s]\nlog = ker\0nel\n") - 1;
		int rc = signature_set_parse(&set, bads[i].text, len, "t.ini", &e);
		if (rc != -EINVAL || strncmp(e.msg, bads[i].msg, strlen(bads[i].msg)) != 0)
			fail_msg("case %zu: rc %d, message '%s', wanted '%s...'", i, rc, e.msg, bads[i].msg);
		assert_int_equal(set.n, 0);
		/* every message says what to do after the '; ' */
		signature_set_clear(&set);
	}
}

/* Nested unbounded repetitions are found wherever they hide; bounded or single ones pass. */
static void test_nested_repeat(void **state)
{
	(void)state;
	static const struct { const char *p; long at; } cases[] = {
		{ "(a+)+", 4 }, { "(a*)*", 4 }, { "(a+)*", 4 }, { "(a*)+b", 4 }, { "a+*", 2 }, { "a*+", 2 },
		{ "((a|b)+c?){2,}", 10 }, { "(x(y+)z)+", 8 }, { "((a+))+", 6 }, { "(a+|b)+", 6 },
		{ "(a{1,}){1,}", 7 }, { "(.*foo)*", 7 },
		{ "abc", -1 }, { "(ab)+", -1 }, { "a+b*c?", -1 }, { "(a+)?", -1 }, { "(a+){2}", -1 }, { "(a+){1,3}", -1 },
		{ "[(+)]+", -1 }, { "\\(a+\\)+", -1 }, { "(a+)(b)+", -1 }, { "(a+|b)c+", -1 },
		{ "nouveau.*bios ctor failed[,:] ?-?[0-9]+", -1 }, { "((((", -1 }, { ")+)+", -1 }, { "(a+){", -1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long at = signature_nested_repeat(cases[i].p);
		if (at != cases[i].at)
			fail_msg("'%s': %ld, wanted %ld", cases[i].p, at, cases[i].at);
	}
	char deep[200] = {0};   /* deeper than the scanner's stack: refused, not overflowed */
	memset(deep, '(', 150);
	assert_int_equal(signature_nested_repeat(deep), 64);
}

static void test_parse_long_line(void **state)
{
	(void)state;
	char t[512];
	memset(t, 0, sizeof(t));
	strcpy(t, "[s]\ndiagnosis = ");
	memset(t + strlen(t), 'x', 300);
	strcat(t, "\n");
	struct signature_set set = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse(&set, t, strlen(t), "t.ini", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "t.ini:2: line is 312 characters long, more than 196"));
	signature_set_clear(&set);
}

static void test_parse_truncated(void **state)
{
	(void)state;
	/* every prefix of a good file either parses or fails with a message: never crashes */
	for (size_t n = 0; n <= strlen(good); n++) {
		struct signature_set set = {0};
		struct err e = {0};
		int rc = signature_set_parse(&set, good, n, "t.ini", &e);
		if (rc < 0)
			assert_non_null(strstr(e.msg, "t.ini:"));
		signature_set_clear(&set);
	}
}

static void test_literal(void **state)
{
	(void)state;
	/* LIT: the literals, '|'-separated; NULL: none can be proved */
	struct { const char *re, *lit; } t[] = {
		{ "nouveau.*unable to locate usable image", "unable to locate usable image" },
		{ "abc|defgh", "abc|defgh" },
		{ "ab|defgh", NULL },                      /* a branch shorter than 3 bytes */
		{ "(abc|def)ghij", "abcghij|defghij" },
		{ "abcd?e", "abc" },
		{ "xy{2}zzz", "zzz" },
		{ "xy{1}zzz", "xyzzz" },
		{ "ab{,3}cdef", "cdef" },
		{ "ab+cdef", "cdef" },
		{ "x(abc|abd)+y", "abc|abd" },
		{ "x(ab|cd)+yz", NULL },
		{ "\\(EE\\) modeset\\([0-9]+\\): No modes\\.", "(EE) modeset(" },
		{ "[abc]de", "ade|bde|cde" },
		{ "[a-c]de", NULL },                       /* ranges are not expanded */
		{ "[^a]bcd", "bcd" },
		{ "Screen\\(s\\) found, but none", "Screen(s) found, but none" },
		{ "a\\wbcd", "bcd" },
		{ "foo\\'", "foo" },                       /* \' is GNU's end-of-buffer, not a quote */
		{ "[]x]yyyy", "]yyyy|xyyyy" },
		{ "[[:digit:]]+ bytes", " bytes" },
		{ "(^|[] )])no screens found", "no screens found" },   /* longer variants add nothing */
		{ "nouveau.*bios ctor failed[,:] ?-?[0-9]+", "bios ctor failed,|bios ctor failed:" },
		{ "NVRM: (GPU [0-9a-fA-F:.]+: )?[Ff]ailed to copy", "Failed to copy|failed to copy" },
		{ "(a|)bcdef", "bcdef" },
		{ "[abcdefghij]xyz", "xyz" },              /* more than 8 strings: the run is cut */
		{ "*abc", NULL },                          /* malformed or unusual: nothing claimed */
		{ "a{x}bcd", NULL },
		{ "abc(", NULL },
		{ "((((((((abc))))))))", NULL },           /* deeper than the analysis goes */
		{ "", NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char **l = signature_literals(t[i].re);
		char got[512] = "";
		for (size_t k = 0; l && l[k]; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? "|" : "", l[k]);
		if (t[i].lit == NULL ? l != NULL : (l == NULL || strcmp(got, t[i].lit) != 0))
			fail_msg("literals of '%s' are '%s', wanted '%s'", t[i].re, l ? got : "(none)", t[i].lit ? t[i].lit : "(none)");
		signature_literals_free(l);
	}
}

/* A signature with no literal still matches: its regex runs on every line. */
static void test_no_literal_fallback(void **state)
{
	(void)state;
	static const char t[] = "[s]\nlog = any\npattern = ^x+y$|^q\nseverity = info\ndiagnosis = d\nfix = f\n";
	struct signature_set set = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse(&set, t, strlen(t), "t.ini", &e), 0);
	assert_int_equal(set.v[0].n_literals, 0);
	assert_true(signature_match(&set.v[0], "xxy", 3));
	assert_true(signature_match(&set.v[0], "q", 1));
	assert_false(signature_match(&set.v[0], "xyz", 3));
	signature_set_clear(&set);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(samples) + 16];
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(samples); i++)
		tests[n++] = (struct CMUnitTest){ samples[i].id, test_sample, NULL, NULL, (void *)&samples[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_every_signature_has_a_sample);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_confirms_known);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_variants);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kind_filter);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_good);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_crlf_bom);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_bad);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_nested_repeat);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_long_line);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_truncated);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_literal);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_no_literal_fallback);
	return _cmocka_run_group_tests("signatures", tests, n, load_shipped, free_shipped);
}
