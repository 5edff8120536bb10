/* Whether a file can be the NVIDIA hostdev's ROM: vbios.h's parser and verdict (the rules of
 * `vbios inspect`), plus the image starting at offset 0, since QEMU passes the file as it is. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct rom_id {
	unsigned vendor, device, class_code;
};

/* 0 when DATA is a usable NVIDIA ROM (first image's ids in RET, also on failure when one
 * parsed); -EINVAL with the reason in WHY. */
int rom_check_nvidia(const uint8_t *data, size_t len, struct rom_id *ret, char *why, size_t why_len);
