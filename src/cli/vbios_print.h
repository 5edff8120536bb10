/* Printing a parsed ROM, shared by vbios inspect and vbios extract. */
#pragma once
#include <stdbool.h>
#include <stdio.h>

#include "vbios/vbios.h"

/* rom-parser style lines for every image, indented by INDENT. */
void vbios_print_images(FILE *f, const struct vbios_rom *rom, const char *indent);
/* "Verdict: ..." line plus problems and notes; returns the verdict. */
bool vbios_print_verdict(FILE *f, const struct vbios_rom *rom, const char *indent);
