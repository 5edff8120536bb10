/* Roles of PCI devices and the machine type, with the evidence for each.
 * Pure: reads the snapshot's raw facts, writes role/evidence/machine. */
#pragma once
#include "model/snapshot.h"

/* Role names (stable; profiles and JSON use them). */
#define ROLE_HOST_BRIDGE "host-bridge"
#define ROLE_BRIDGE "bridge"
#define ROLE_INTEL_IGPU "intel-igpu"
#define ROLE_GVT "gvt"
#define ROLE_NVIDIA_MUXLESS "nvidia-muxless"
#define ROLE_NVIDIA_OUTPUTS "nvidia-outputs"
#define ROLE_QXL "qxl"
#define ROLE_VIRTIO_GPU "virtio-gpu"
#define ROLE_BOCHS "bochs"
#define ROLE_CIRRUS "cirrus"
#define ROLE_VMWARE "vmware-svga"
#define ROLE_UNKNOWN "unknown"

void classify_snapshot(struct snapshot *s);
bool classify_in_vm(const struct snapshot *s);
/* Emulated displays QEMU offers (QXL, virtio-gpu, bochs, cirrus, VMware). */
bool role_is_emulated(const char *role);
/* The kernel driver name X's OutputClass MatchDriver and RandR provider names use: the DRM
 * driver's. It differs from the bound PCI driver for virtio-gpu (PCI virtio-pci, DRM
 * virtio_gpu); NULL when no driver is bound. */
const char *pci_drm_driver(const struct pci_device *d);
/* GVT-g capable Intel device ids (BDW, SKL, BXT, KBL, CFL, CML, AML); returns the family or NULL. */
const char *classify_gvt_family(unsigned device);
