# optimus-guest: plain Makefile, dependencies through pkg-config.
VERSION     = 0.1.0
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/optimus-guest
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
COMPDIR    ?= $(PREFIX)/share/bash-completion/completions
LIBEXECDIR ?= $(PREFIX)/libexec/optimus-guest

PKGS    = libxml-2.0 liblzma
# Linked in from the static archives of Debian's -dev packages: the guest binary runs at every
# boot, and each shared library it maps costs its own headers, relocations and data pages
# (about 140 KiB of peak RSS for these three); their code alone is 50 KiB.
SPKGS   = inih jansson libmd
# The X client libraries and libdrm: the guest binary talks to X only for RandR and to libdrm
# only on the running system (root '/').
XPKGS   = x11 xrandr libdrm
CC     ?= cc
# -Os: the guest commands wait on sysfs, not on code; a smaller binary is less to map.
CFLAGS ?= -Os -g
CFLAGS += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS += -Isrc $(shell pkg-config --cflags $(PKGS) $(SPKGS) $(XPKGS))
CFLAGS += -Ibuild -DVERSION='"$(VERSION)"'
LDLIBS += -Wl,-Bstatic $(shell pkg-config --libs $(SPKGS)) -Wl,-Bdynamic $(shell pkg-config --libs $(PKGS) $(XPKGS))
# The installed binaries: unused functions dropped, no unwind tables (C without exceptions
# never unwinds; debuggers use -g's .debug_frame).
REL_FLAGS = -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables
REL_LIBS  = -Wl,--gc-sections $(LDLIBS)
# The installed guest binary is a static PIE: no dynamic loader, no libc.so relocations, no
# shared library to map at every boot (peak RSS about 1.1 MiB against 1.9 MiB linked
# dynamically, and a third less start-up CPU). Its X and libdrm code is only paged in when a
# command talks to an X server or to /dev/dri. glibc's linker notes that libX11's locale
# module loader (dlopen) and xcb's TCP displays (getaddrinfo) would need glibc's shared
# objects at run time: no command reaches the first, and getaddrinfo answers from
# /etc/hosts and DNS without them (tests/sh/85-boot-path.sh).
# src/cli/guest.ld keeps the X and libdrm code and data apart from the code every command runs.
STATIC_LIBS = -static-pie -Wl,--gc-sections -Wl,-T,src/cli/guest.ld $(shell pkg-config --static --libs $(SPKGS) $(XPKGS))

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# The sanitizer runtimes linked in: LeakSanitizer's scan at every exit then skips
# libubsan.so's 6 MiB of zero data, and no runtime library is relocated at start. Their
# zero data is file-backed (tests/san.ld), and the libraries the guest binary links in
# statically are linked in here too (libxml2 and liblzma, which bring ICU and libstdc++,
# stay shared). Not position-independent: the loader has no relative relocations to apply
# (the helper's libvirt check: 2250 page faults and 55 ms of CPU as a PIE, 1810 and 48 ms).
# The suites start thousands of these processes: a sanitizer build of plan took 70 ms of
# CPU linked dynamically, 50 ms with the runtimes linked in, 38 ms now.
SAN_LD    = -static-libasan -static-libubsan -no-pie -Wl,-T,tests/san.ld
SAN_LIBS  = -Wl,-Bstatic $(shell pkg-config --static --libs $(SPKGS) $(XPKGS)) -Wl,-Bdynamic $(shell pkg-config --libs $(PKGS))

SRCS     = $(shell find src -name '*.c' ! -path 'src/cli/main.c' | sort)
OBJS     = $(SRCS:src/%.c=build/obj/%.o)
SAN_OBJS = $(SRCS:src/%.c=build-san/obj/%.o)
TESTS    = $(patsubst tests/unit/%.c,build-san/tests/%,$(wildcard tests/unit/test_*.c))

FUZZ_CC    = clang
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZERS    = $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all deps demo check check-build bench clean install uninstall fixtures fuzz fuzz-smoke man

all: build/optimus-guest build/optimus-guest-libvirt

# The data paths compiled in; rewritten only when PREFIX/DATADIR/SYSCONFDIR change, so an
# install with another PREFIX rebuilds what uses them.
build/paths.h: FORCE
	@mkdir -p build
	@printf '#define DATADIR "%s"\n#define SYSCONFDIR "%s"\n#define LIBEXECDIR "%s"\n' '$(DATADIR)' '$(SYSCONFDIR)' '$(LIBEXECDIR)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
FORCE:

# One set of rules for the three builds (normal, sanitizers, fuzzing): DIR, compiler, label,
# extra flags. Objects depend on the headers they include (-MMD -MP).
define build_rules
$(1)/obj/%.o: src/%.c
	@mkdir -p $$(dir $$@)
	@echo "  $(3) $$<"; $(2) $$(CPPFLAGS) $$(CFLAGS) $(4) -MMD -MP -c -o $$@ $$<

$(1)/libog.a: $$(SRCS:src/%.c=$(1)/obj/%.o)
	@rm -f $$@ && $$(AR) rcs $$@ $$^   # anew: a member of a removed source must not linger

# The libvirt command's binary: the same front end, the table of commands_helper.c.
$(1)/obj/cli/main_helper.o: src/cli/main.c
	@mkdir -p $$(dir $$@)
	@echo "  $(3) $$< (helper)"; $(2) $$(CPPFLAGS) $$(CFLAGS) $(4) -DOG_HELPER -MMD -MP -c -o $$@ $$<

$(1)/obj/cli/common.o $(1)/obj/cli/helper_exec.o: build/paths.h

-include $$(shell find $(1)/obj -name '*.d' 2>/dev/null)
endef

$(eval $(call build_rules,build,$(CC),CC     ,$(REL_FLAGS)))
$(eval $(call build_rules,build-san,$(CC),CC-SAN ,$(SAN_FLAGS)))
$(eval $(call build_rules,build-fuzz,$(FUZZ_CC),CC-FUZZ,$(FUZZ_FLAGS)))

# The linker's two notes on libX11's dlopen and getaddrinfo (see STATIC_LIBS) are left out of
# the output, each with its "in function" line; every other line of the linker's is shown.
build/optimus-guest: build/obj/cli/main.o build/libog.a src/cli/guest.ld
	@echo "  LINK    $@ (static PIE)"; $(CC) $(CFLAGS) $(REL_FLAGS) $(LDFLAGS) -o $@ build/obj/cli/main.o build/libog.a \
		$(STATIC_LIBS) 2> $@.ld; rc=$$?; awk -f scripts/ld-notes.awk $@.ld >&2; rm -f $@.ld; exit $$rc

build/optimus-guest-libvirt: build/obj/cli/main_helper.o build/libog.a
	$(CC) $(CFLAGS) $(REL_FLAGS) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(REL_LIBS)

SAN_LINK = $(CC) $(CFLAGS) $(SAN_FLAGS) $(SAN_LD) -Wl,--as-needed

build-san/optimus-guest: build-san/obj/cli/main.o build-san/libog.a tests/san.ld
	@echo "  LINK    $@"; $(SAN_LINK) -o $@ $(filter %.o %.a,$^) $(SAN_LIBS)

build-san/optimus-guest-libvirt: build-san/obj/cli/main_helper.o build-san/libog.a tests/san.ld
	@echo "  LINK    $@"; $(SAN_LINK) -o $@ $(filter %.o %.a,$^) $(SAN_LIBS)

build-san/tests/%: tests/unit/%.c build-san/libog.a tests/san.ld
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"; $(SAN_LINK) -MMD -MP -Itests/unit -o $@ $< build-san/libog.a $(SAN_LIBS) $(shell pkg-config --libs cmocka)

-include $(wildcard build-san/tests/*.d)

# Installs the Debian packages listed in deps.txt that are missing.
deps:
	@sh scripts/deps.sh

demo: deps all
	@sh scripts/demo.sh

# The builds the tests need go on every core: `make check` is run without -j by newcomers
# and CI alike, and three builds (normal, sanitizers, fuzzers) one file at a time took
# minutes of its wall time.
check: deps
	@$(MAKE) -s -j$$(nproc) check-build
	@sh tests/run.sh

check-build: build-san/optimus-guest build-san/optimus-guest-libvirt build/optimus-guest build/optimus-guest-libvirt build/optimus-guest.8 $(TESTS)
	@if command -v $(FUZZ_CC) > /dev/null; then $(MAKE) -s fuzz; fi

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libog.a
	@echo "  FUZZER  $@"; $(FUZZ_CC) $(CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< build-fuzz/libog.a $(LDLIBS)

# libFuzzer targets, one per parser (Debian's clang and libclang-rt-dev).
fuzz: $(FUZZERS)

# Each target for a few seconds on its corpus (tests/corpus/<target>/); part of make check.
fuzz-smoke: fuzz
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-5} sh tests/fuzz-smoke.sh

fixtures:
	python3 scripts/mkfixtures.py tests/fixtures

# The man page, from scdoc source.
man: build/optimus-guest.8

build/optimus-guest.8: doc/optimus-guest.8.scd
	@mkdir -p build
	scdoc < $< > $@

# Every installed file, relative to DESTDIR (uninstall removes exactly these).
INSTALL_FILES = \
	$(BINDIR)/optimus-guest \
	$(LIBEXECDIR)/optimus-guest-libvirt \
	$(patsubst %,$(DATADIR)/%,$(wildcard profiles/*.ini) profiles/README) \
	$(patsubst %,$(DATADIR)/%,$(wildcard xorg-snippets/*.conf.in) xorg-snippets/README) \
	$(patsubst %,$(DATADIR)/%,$(wildcard signatures/*.ini) signatures/README.md) \
	$(SYSCONFDIR)/optimus-guest/profiles.d/README \
	$(MANDIR)/man8/optimus-guest.8 \
	$(COMPDIR)/optimus-guest \
	$(UNITDIR)/optimus-guest.service \
	$(SYSCONFDIR)/xdg/autostart/optimus-guest-session.desktop

install: build/optimus-guest build/optimus-guest-libvirt build/optimus-guest.8
	install -D -m 0755 build/optimus-guest $(DESTDIR)$(BINDIR)/optimus-guest
	install -D -m 0755 build/optimus-guest-libvirt $(DESTDIR)$(LIBEXECDIR)/optimus-guest-libvirt
	for f in profiles/*.ini profiles/README xorg-snippets/*.conf.in xorg-snippets/README signatures/*.ini signatures/README.md; do \
		install -D -m 0644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	install -D -m 0644 data/profiles.d-README $(DESTDIR)$(SYSCONFDIR)/optimus-guest/profiles.d/README
	install -D -m 0644 build/optimus-guest.8 $(DESTDIR)$(MANDIR)/man8/optimus-guest.8
	install -D -m 0644 data/optimus-guest.bash $(DESTDIR)$(COMPDIR)/optimus-guest
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/local/bin/optimus-guest|$(BINDIR)/optimus-guest|' data/optimus-guest.service > $(DESTDIR)$(UNITDIR)/optimus-guest.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/optimus-guest.service
	install -d $(DESTDIR)$(SYSCONFDIR)/xdg/autostart
	sed 's|^Exec=optimus-guest|Exec=$(BINDIR)/optimus-guest|' data/optimus-guest-session.desktop > $(DESTDIR)$(SYSCONFDIR)/xdg/autostart/optimus-guest-session.desktop
	chmod 0644 $(DESTDIR)$(SYSCONFDIR)/xdg/autostart/optimus-guest-session.desktop

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALL_FILES))
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null
	-rmdir $(DESTDIR)$(DATADIR)/profiles $(DESTDIR)$(DATADIR)/xorg-snippets $(DESTDIR)$(DATADIR)/signatures \
		$(DESTDIR)$(DATADIR) $(DESTDIR)$(SYSCONFDIR)/optimus-guest/profiles.d $(DESTDIR)$(SYSCONFDIR)/optimus-guest 2>/dev/null

# The installed file list, for the install test.
install-list:
	@for f in $(sort $(INSTALL_FILES)); do echo "$$f"; done

clean:
	rm -rf build build-san build-fuzz

# Speed and memory next to what a user would run instead, in one run (see scripts/bench.py):
# lspci -nnk on the same trees, an empty C program, grep -E -f on the same log and patterns.
bench: build/optimus-guest build/optimus-guest-libvirt build/rss-run build/empty build/empty-static
	@python3 scripts/bench.py

build/rss-run: scripts/rss-run.c
	@mkdir -p build
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

# The anchors for peak RSS: what any C program costs here, linked dynamically and as a static
# PIE (as the guest binary is).
build/empty:
	@mkdir -p build
	printf 'int main(void) { return 0; }\n' | $(CC) -O2 -x c -o $@ -

build/empty-static:
	@mkdir -p build
	printf 'int main(void) { return 0; }\n' | $(CC) -O2 -static-pie -x c -o $@ -
