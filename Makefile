# optimus-guest: plain Makefile, dependencies through pkg-config.
VERSION     = 0.1.0
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/optimus-guest
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
COMPDIR    ?= $(PREFIX)/share/bash-completion/completions

PKGS    = libdrm x11 xrandr libxml-2.0 inih jansson liblzma
CC     ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS += -Isrc $(shell pkg-config --cflags $(PKGS))
CFLAGS += -DVERSION='"$(VERSION)"' -DDATADIR='"$(DATADIR)"' -DSYSCONFDIR='"$(SYSCONFDIR)"'
LDLIBS += $(shell pkg-config --libs $(PKGS))

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS     = $(shell find src -name '*.c' ! -path 'src/cli/main.c' | sort)
OBJS     = $(SRCS:src/%.c=build/obj/%.o)
SAN_OBJS = $(SRCS:src/%.c=build-san/obj/%.o)
TESTS    = $(patsubst tests/unit/%.c,build-san/tests/%,$(wildcard tests/unit/test_*.c))

FUZZ_CC    = clang
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OBJS  = $(SRCS:src/%.c=build-fuzz/obj/%.o)
FUZZERS    = $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all deps demo check bench clean install uninstall fixtures fuzz fuzz-smoke

all: build/optimus-guest

build/obj/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"; $(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/libog.a: $(OBJS)
	$(AR) rcs $@ $^

build/optimus-guest: build/obj/cli/main.o build/libog.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build-san/obj/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC-SAN  $<"; $(CC) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<

build-san/libog.a: $(SAN_OBJS)
	$(AR) rcs $@ $^

build-san/optimus-guest: build-san/obj/cli/main.o build-san/libog.a
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

build-san/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) build-san/libog.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $< build-san/libog.a $(LDLIBS) $(shell pkg-config --libs cmocka)

# Installs the Debian packages listed in deps.txt that are missing.
deps:
	@sh scripts/deps.sh

demo: deps build/optimus-guest
	@sh scripts/demo.sh

check: deps build-san/optimus-guest build/optimus-guest $(TESTS)
	@if command -v $(FUZZ_CC) > /dev/null; then $(MAKE) -s fuzz; fi
	@sh tests/run.sh

build-fuzz/obj/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC-FUZZ $<"; $(FUZZ_CC) $(CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<

build-fuzz/libog.a: $(FUZZ_OBJS)
	@$(AR) rcs $@ $^

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libog.a
	@echo "  FUZZER  $@"; $(FUZZ_CC) $(CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< build-fuzz/libog.a $(LDLIBS)

# libFuzzer targets, one per parser (Debian's clang and libclang-rt-dev).
fuzz: $(FUZZERS)

# Each target for a few seconds on its corpus (tests/corpus/<target>/); part of make check.
fuzz-smoke: fuzz
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-5} sh tests/fuzz-smoke.sh

fixtures:
	python3 scripts/mkfixtures.py tests/fixtures

clean:
	rm -rf build build-san build-fuzz

# Speed and memory, next to lspci on the same trees (see scripts/bench.py).
bench: build/optimus-guest build/rss-run
	@python3 scripts/bench.py

build/rss-run: scripts/rss-run.c
	@mkdir -p build
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<
