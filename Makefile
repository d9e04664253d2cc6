# supd — build, test, bench, install.  See README.md.
.DELETE_ON_ERROR:

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec/supd
MANDIR  ?= $(PREFIX)/share/man

CC      ?= cc
OPT     ?= -O2 -g
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wmissing-declarations -Wwrite-strings -Wpointer-arith -Wformat=2
PKGS     = libuv jansson inih
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -luv -ljansson -linih) -lm
FINAL_CFLAGS = -std=gnu11 $(WARN) $(OPT) -D_GNU_SOURCE -MMD -MP -Isupervisord $(PKG_CFLAGS) $(CFLAGS)
FINAL_LDFLAGS = $(LDFLAGS)

# BUILD selects an output tree: build/ (release) or build/asan (tests).
BUILD   ?= build
ifeq ($(SANITIZE),1)
BUILD    = build/asan
FINAL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FINAL_LDFLAGS += -fsanitize=address,undefined
endif

# Modules of the daemon that are also linked into unit tests (everything but main.c).
DAEMON_SRCS := $(filter-out supervisord/main.c,$(wildcard supervisord/*.c))
DAEMON_OBJS := $(DAEMON_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/fdholder/in_supd.o
# Modules shared with supctl.
SHARED_OBJS := $(BUILD)/supervisord/proto.o $(BUILD)/supervisord/strutil.o
CTL_SRCS    := $(wildcard ctl/*.c)
CTL_OBJS    := $(CTL_SRCS:%.c=$(BUILD)/%.o)
# supctl's modules but its main(), for unit tests.
CTL_LIB_OBJS := $(filter-out $(BUILD)/ctl/supctl.o,$(CTL_OBJS))
UNIT_SRCS   := $(wildcard tests/unit/test-*.c)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=$(BUILD)/tests/helpers/%)

ifeq ($(BUILD),build)
BINOUT = bin
else
BINOUT = $(BUILD)/bin
endif

# supd-fdholder, the fd holder program (fdholder/): a few pages resident,
# hence on x86_64 no libc, no sanitizer (even with SANITIZE=1), no unwind
# tables; elsewhere the same source against libc.  FDHOLDER_NOLIBC=0 forces
# the libc build.
FDHOLDER_NOLIBC ?= $(if $(filter x86_64-%,$(shell $(CC) -dumpmachine)),1,0)
FDHOLDER_CFLAGS = -std=gnu11 $(WARN) -Os -g -D_GNU_SOURCE -U_FORTIFY_SOURCE -Isupervisord
ifeq ($(FDHOLDER_NOLIBC),1)
FDHOLDER_CFLAGS += -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-pie
FDHOLDER_LDFLAGS = -nostdlib -static
else
FDHOLDER_CFLAGS += $(CFLAGS)
FDHOLDER_LDFLAGS = $(LDFLAGS)
endif

all: $(BINOUT)/supd $(BINOUT)/supctl $(BINOUT)/supd-fdholder

# The holder's loop inside supd, for a fork of supd when the program cannot
# be executed: the same source, hosted, with the daemon's flags.
$(BUILD)/fdholder/in_supd.o: fdholder/supd-fdholder.c supervisord/fdholder.h
	@mkdir -p $(@D)
	$(CC) $(FINAL_CFLAGS) -DFDHOLDER_IN_SUPD -c -o $@ $<

$(BINOUT)/supd-fdholder: fdholder/supd-fdholder.c supervisord/fdholder.h
	@mkdir -p $(@D)
	$(CC) $(FDHOLDER_CFLAGS) $(FDHOLDER_LDFLAGS) -o $@ $<

# supd looks for supd-fdholder next to itself, then where `make install`
# puts it: fdholder.o is rebuilt when that place changes (make install
# PREFIX=... after make).
$(BUILD)/libexecdir: FORCE
	@mkdir -p $(@D)
	@echo '$(LIBEXECDIR)' | cmp -s - $@ || echo '$(LIBEXECDIR)' >$@
$(BUILD)/supervisord/fdholder.o: $(BUILD)/libexecdir
$(BUILD)/supervisord/fdholder.o: FINAL_CFLAGS += -DSUPD_LIBEXECDIR='"$(LIBEXECDIR)"'

# supd links libuv, jansson and inih from their archives where they exist
# (not with the sanitizers): a shared library costs resident pages for its
# headers, symbol tables and relocations, about 180 KiB for the three
# (measured with 100 services).  With them it is linked static-pie where
# libc.a exists: the pages of libc.so.6 and the dynamic loader that a
# running supd touches were 1.66 MiB of its 2.7 MiB resident with 100
# services, against 1.3 MiB for the whole static binary; static-pie keeps
# address-space randomisation.  Users and groups are read from the files
# (userdb.h), never through glibc's NSS: a static program's NSS dlopen()s
# the other modules and crashes on Debian 12.  ld's warning about NSS in a
# static program is shown but for libuv's uv_os_get_passwd(), which supd
# never calls: any other means a getpwnam() crept back in.  SUPD_STATIC=
# links libc dynamically.
ifneq ($(SANITIZE),1)
archive = $(firstword $(foreach a,$(1),$(filter /%,$(shell $(CC) -print-file-name=$(a)))))
SUPD_ARCHIVES := $(call archive,libuv_a.a libuv.a) $(call archive,libjansson.a) $(call archive,libinih.a)
endif
ifeq ($(words $(SUPD_ARCHIVES)),3)
SUPD_LIBS = $(SUPD_ARCHIVES) -lpthread -ldl -lrt
SUPD_STATIC ?= $(shell printf 'int main(void){return 0;}\n' | $(CC) -x c - -static-pie -o /dev/null 2>/dev/null && echo -static-pie)
else
SUPD_LIBS = $(PKG_LIBS)
SUPD_STATIC =
endif

$(BINOUT)/supd: $(BUILD)/supervisord/main.o $(DAEMON_OBJS)
	@mkdir -p $(@D)
	$(CC) $(FINAL_LDFLAGS) $(SUPD_STATIC) -o $@ $^ $(SUPD_LIBS) 2>$(BUILD)/supd.ld.log || \
		{ cat $(BUILD)/supd.ld.log >&2; exit 1; }
	@sed '/in function .uv__getpwuid_r/{N;d;}' $(BUILD)/supd.ld.log >&2

# The same objects with libc shared, for valgrind (tests/reliability): it
# replaces malloc only in a dynamically linked program.
all: $(if $(SUPD_STATIC),$(BUILD)/supd-dynamic)
$(BUILD)/supd-dynamic: $(BUILD)/supervisord/main.o $(DAEMON_OBJS)
	$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(SUPD_LIBS)

# supctl starts once per command, and the dynamic loader is a fifth of
# its run (0.9 ms against 0.75 ms measured for `supctl --version`): it is
# linked statically where libjansson.a exists (not with the sanitizers).
CTL_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
ifneq ($(SANITIZE),1)
CTL_STATIC ?= $(shell printf 'int main(void){return 0;}\n' | $(CC) -x c - -static $(CTL_LIBS) -o /dev/null 2>/dev/null && echo -static)
endif

$(BINOUT)/supctl: $(CTL_OBJS) $(SHARED_OBJS)
	@mkdir -p $(@D)
	$(CC) $(FINAL_LDFLAGS) $(CTL_STATIC) -o $@ $^ $(CTL_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(FINAL_CFLAGS) -c -o $@ $<

# Unit tests link the daemon's and supctl's modules from archives, so a
# test pulls in only the modules it uses.
$(BUILD)/libsupd.a: $(DAEMON_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libsupctl.a: $(CTL_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/test-%: $(BUILD)/tests/unit/test-%.o $(BUILD)/tests/unit/testlib.o $(BUILD)/libsupctl.a $(BUILD)/libsupd.a
	@mkdir -p $(@D)
	$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/helpers/%: $(BUILD)/tests/helpers/%.o
	@mkdir -p $(@D)
	$(CC) $(FINAL_LDFLAGS) -o $@ $^

test-bins: all $(UNIT_BINS) $(HELPER_BINS)

# `make test`: install what is missing (as root), build release and sanitizer
# trees, run every suite, end with "N passed, N failed".
test:
	@tests/deps.sh
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SANITIZE=1 test-bins
	@tests/run.sh

check: test

# The pure cgroup v2 suite alone: boots Debian's kernel under qemu (tests/vm/).
test-vm:
	@tests/deps.sh
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SANITIZE=1 test-bins
	@tests/run.sh vm

# `make run`: build and run supd in the foreground on the embedded demo.
run:
	@tests/deps.sh build
	@$(MAKE) --no-print-directory all examples
	@examples/demo/run.sh

examples: $(BUILD)/examples/leaky
	@mkdir -p bin && cp $(BUILD)/examples/leaky bin/supd-demo-leaky

$(BUILD)/examples/leaky: examples/leaky.c
	@mkdir -p $(@D)
	$(CC) $(FINAL_CFLAGS) -o $@ $<

# libFuzzer targets (clang); FUZZ_SECONDS per target, default 60.
fuzz:
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-60} tests/fuzz/run.sh

# The long reliability runs: 10,000 crash/restart cycles, valgrind.
soak:
	@tests/deps.sh
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SANITIZE=1 test-bins
	@tests/reliability/soak.sh

bench:
	@tests/deps.sh build
	@$(MAKE) --no-print-directory all
	@bench/run.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man1
	install -m 0755 bin/supd $(DESTDIR)$(SBINDIR)/supd
	install -m 0755 bin/supd-fdholder $(DESTDIR)$(LIBEXECDIR)/supd-fdholder
	install -m 0755 bin/supctl $(DESTDIR)$(BINDIR)/supctl
	-install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8/ 2>/dev/null
	-install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/ 2>/dev/null
	-install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/ 2>/dev/null

clean:
	rm -rf build bin

format:
	clang-format -i supervisord/*.[ch] ctl/*.[ch] fdholder/*.c tests/unit/*.[ch]

.PHONY: all test test-vm fuzz soak check run examples bench install clean format test-bins FORCE

-include $(shell find build -name '*.d' 2>/dev/null)
