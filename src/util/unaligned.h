/* Little-endian integers at any byte offset (firmware volumes, option ROMs, ACPI tables). */
#pragma once
#include <stdint.h>

static inline uint16_t unaligned_read_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t unaligned_read_le24(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static inline uint32_t unaligned_read_le32(const uint8_t *p)
{
	return unaligned_read_le24(p) | (uint32_t)p[3] << 24;
}

static inline uint64_t unaligned_read_le64(const uint8_t *p)
{
	return unaligned_read_le32(p) | (uint64_t)unaligned_read_le32(p + 4) << 32;
}
