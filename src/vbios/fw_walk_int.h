/* The firmware walker's names for the PI spec's (vol. 3) numbers, so fw_walk.c reads like the
 * spec. */
#pragma once

#define SECTION_GUID_PROCESSING_REQUIRED 0x01

/* PI spec vol. 3 names. EFI_FIRMWARE_VOLUME_HEADER field offsets: */
#define FV_FILE_SYSTEM_GUID 0x10
#define FV_LENGTH 0x20
#define FV_SIGNATURE 0x28          /* "_FVH" */
#define FV_ATTRIBUTES 0x2c
#define FV_HEADER_LENGTH 0x30
#define FV_EXT_HEADER_OFFSET 0x34
#define FV_REVISION 0x37
#define FV_HEADER_MIN 0x48         /* the header with a one-entry block map and its terminator */
#define FV_EXT_HEADER_MIN 0x14     /* EFI_FIRMWARE_VOLUME_EXT_HEADER: FvName, ExtHeaderSize */
#define FV_EXT_HEADER_SIZE 0x10
#define EFI_FVB2_ERASE_POLARITY 0x800
/* EFI_FFS_FILE_HEADER(2) */
#define FFS_TYPE 0x12
#define FFS_ATTRIBUTES 0x13
#define FFS_SIZE 0x14
#define FFS_EXTENDED_SIZE 0x18
#define FFS_ATTRIB_LARGE_FILE 0x01
#define EFI_FV_FILETYPE_RAW 0x01
#define EFI_FV_FILETYPE_OEM_MIN 0xc0
#define EFI_FV_FILETYPE_OEM_MAX 0xdf
#define EFI_FV_FILETYPE_DEBUG_MIN 0xe0
#define EFI_FV_FILETYPE_DEBUG_MAX 0xef
#define EFI_FV_FILETYPE_FFS_PAD 0xf0
/* EFI_COMMON_SECTION_HEADER(2): a 24-bit size of all ones means a 32-bit size follows */
#define SECTION_SIZE_EXTENDED 0xffffff
#define EFI_SECTION_COMPRESSION 0x01
#define EFI_SECTION_GUID_DEFINED 0x02
#define EFI_SECTION_FIRMWARE_VOLUME_IMAGE 0x17
#define EFI_SECTION_LAST 0x1c      /* EFI_SECTION_MM_DEPEX, the highest type defined */
#define EFI_NOT_COMPRESSED 0
#define EFI_STANDARD_COMPRESSION 1
#define EFI_CUSTOMIZED_COMPRESSION 2
