#!/bin/sh
# launch
ROM=/r.rom
taskset 0xf qemu-system-x86_64 -machine q35 \
  -drive if=pflash,file=$OVMF \
  -device vfio-pci,host=01:00.0,romfile=${ROM} "$(x)" `y`
