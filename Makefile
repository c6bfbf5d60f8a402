# planform — XML plan data to Japanese-typeset PDF forms.
#
#   make demo    install what is missing, build, render every sample to out/
#   make test    install what is missing, build with -Werror, run every test
#   make asan    the whole test suite under AddressSanitizer + UBSan
#   make bench   speed and size figures (no assertions)
#   make install PREFIX=/usr/local DESTDIR=   the command, its data, man page, bash completion
#                and libplanform (see "Installing" below); make uninstall removes them
#
# Sources are found by wildcard: a new src/**/*.c or tests/unit/test_*.c is picked up without
# editing this file.

PKGS    := libxml-2.0 icu-uc icu-i18n fontconfig harfbuzz harfbuzz-subset libdeflate libcrypto libmicrohttpd
# libqpdf is not linked: src/pdf/qpdflib.c loads it with dlopen when a password or a signature is asked for
# (its eleven shared objects cost every process 4 ms). Its header is used, and its soname is
# compiled in as the one to load.
QPDF_CFLAGS := $(shell pkg-config --cflags libqpdf 2>/dev/null)
MHD_SONAME := $(or $(shell objdump -p $$(pkg-config --variable=libdir libmicrohttpd 2>/dev/null)/libmicrohttpd.so 2>/dev/null | awk '/SONAME/ { print $$2 }'),libmicrohttpd.so.12)
QPDF_SONAME := $(or $(shell objdump -p $$(pkg-config --variable=libdir libqpdf 2>/dev/null)/libqpdf.so 2>/dev/null | awk '/SONAME/ { print $$2 }'),libqpdf.so.29)
BUILD   ?= build/release
CC      ?= cc
OPT     ?= -O2 -g
XCFLAGS ?=
# The data directory (templates/, fonts/) compiled in as the default of --data: the source tree
# for every build made here (./planform, build/test, build/asan), PREFIX/share/planform for the
# installed one. Only src/render.c uses it (pf_default_datadir).
PF_DATA ?= $(CURDIR)
CFLAGS  := -std=c17 -D_XOPEN_SOURCE=700 -pthread -Wall -Wextra $(OPT) $(XCFLAGS) \
           -Isrc -Iinclude -DPF_DATADIR='"$(PF_DATA)"' -DPF_QPDF_SONAME='"$(QPDF_SONAME)"' \
           -DPF_MHD_SONAME='"$(MHD_SONAME)"' \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(QPDF_CFLAGS)
# libmicrohttpd is the service's alone and, like libqpdf, not linked: src/serve/mhdlib.c loads
# it with dlopen when `planform serve` starts (it brings GnuTLS and Nettle, which no other
# command should load). Its header is used, and its soname is compiled in as the one to load.
SERVE_PKGS := libmicrohttpd
LIB_PKGS   := $(filter-out $(SERVE_PKGS),$(PKGS))
LDLIBS  := $(shell pkg-config --libs $(LIB_PKGS) 2>/dev/null) -lhpdf -lm -pthread -ldl
LIB_LDLIBS := $(LDLIBS)
LDFLAGS ?=

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -name main.c ! -path 'src/serve/*'))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(BUILD)/src/main.o $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard src/serve/*.c)))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/planform
# unit tests read PDFs back through libqpdf's C API themselves (test_api.c)
UNIT_LDLIBS := $(shell pkg-config --libs libqpdf 2>/dev/null)

.PHONY: all deps demo test unit asan bench clean lib install uninstall FORCE
all: $(BIN) planform

deps:
	@tools/install-deps.sh

# ./planform is the built binary, copied to the top so the README's commands work as written.
planform: $(BUILD)/planform
	@cp $< $@

$(BIN): $(CLI_OBJ) $(LIB_OBJ)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# render.o holds the data directory: it is rebuilt when that changes (another PREFIX, a moved
# tree), and only then. The file is rewritten only when its content would change.
$(BUILD)/src/render.o: $(BUILD)/datadir
$(BUILD)/datadir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(PF_DATA)' | cmp -s - $@ 2>/dev/null || echo '$(PF_DATA)' >$@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS) $(UNIT_LDLIBS)

$(BUILD)/tests/roundtrip: tests/tools/roundtrip.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p out
	@for f in samples/*.xml; do \
	    o=out/$$(basename $$f .xml).pdf; \
	    ./planform render $$f -o $$o && echo "$$o"; \
	done

TEST_TARGETS = planform tests/roundtrip $(UNIT_BIN:$(BUILD)/%=%)
SANITIZE     = -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
               -fno-sanitize-recover=undefined,float-cast-overflow

# The whole suite twice: the -Werror build, and the same under AddressSanitizer (with leak
# detection) and UndefinedBehaviorSanitizer. With the -Werror build it also runs the samples, a
# batch and a refused bundle under valgrind (tests/valgrind.sh).
# A sanitizer finding exits 86, a status planform never uses, so no test mistakes it for an
# expected error.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:exitcode=86 LSAN_OPTIONS=exitcode=86 \
          UBSAN_OPTIONS=exitcode=86:print_stacktrace=1
test: deps build-test build-asan
	@$(SAN_ENV) tests/run.sh build/test build/asan

asan: deps build-asan
	@$(SAN_ENV) tests/run.sh build/asan

# Fuzzing (issues 6 and 10): three libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined):
#   fuzz-render    the raw bytes of a bundle, inputs up to 1 MB (tests/fuzz/fuzz_render.c)
#   fuzz-generate  bytes that drive a bundle generator: real sizes, real structure (gen.c)
#   fuzz-data      a mutated template, schema, font chain or font file under --data (fuzz_data.c)
# `make fuzz` runs the three one after the other, FUZZ_TIME seconds in all (a third each);
# `make fuzz-render FUZZ_TIME=600` runs one. FUZZ_FLAGS adds libFuzzer options (say
# -fork=1 -ignore_crashes=1 to go on past a crash). Crashes are kept in tests/fuzz/crashes/;
# minimized reproducers go to tests/fuzz/regressions/ (bundles: build/fuzz/gen_xml turns a
# fuzz-generate input into one) or tests/fuzz/regressions-data/ (data directories:
# PF_FUZZ_DATA_EXPORT=DIR build/fuzz/fuzz_data CRASH writes one), which `make test` replays
# (tests/hostile.sh). The corpora grow in build/fuzz/corpus-*.
FUZZ_TIME  ?= 1800
FUZZ_FLAGS ?=
FUZZ_SAN   := -fsanitize=address,undefined,float-cast-overflow \
              -fno-sanitize-recover=undefined,float-cast-overflow
FUZZ_CC    := clang -std=c17 -D_XOPEN_SOURCE=700 -O1 -g -Wall -Wextra -Isrc -Iinclude -DPF_DATADIR='"$(CURDIR)"' \
              -DPF_QPDF_SONAME='"$(QPDF_SONAME)"' $(FUZZ_SAN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
              $(QPDF_CFLAGS)
FUZZ_OBJ   := $(LIB_SRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/tests/fuzz/harness.o \
              build/fuzz/obj/tests/fuzz/gen.o
FUZZ_BINS  := build/fuzz/fuzz_render build/fuzz/fuzz_generate build/fuzz/fuzz_data build/fuzz/gen_xml
# One run: nice, never more than FUZZ_TIME; the leak checker on; a slow or huge input is a
# finding too (timeout, rss limit).
FUZZ_RUN    = nice -n 19 build/fuzz/$(1) -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
              -timeout=60 -rss_limit_mb=3072 -artifact_prefix=tests/fuzz/crashes/$(1)- $(FUZZ_FLAGS)

build/fuzz/.clang:
	@tools/install-deps.sh clang libclang-rt-14-dev
	@mkdir -p $(dir $@) && touch $@

# Objects without comparison tracing: it doubled the time of layout's character loops, and
# libFuzzer still sees the strcmp and memcmp of names through its interceptors.
.PRECIOUS: build/fuzz/obj/%.o
build/fuzz/obj/%.o: %.c | build/fuzz/.clang
	@mkdir -p $(dir $@)
	@echo "  CC  $@"
	@$(FUZZ_CC) -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp -MMD -MP -c -o $@ $<

build/fuzz/fuzz_%: build/fuzz/obj/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)
	@echo "  LD  $@"
	@$(FUZZ_CC) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

build/fuzz/gen_xml: tests/fuzz/gen_xml.c tests/fuzz/gen.c tests/fuzz/gen.h src/util/util.c src/util/files.c | build/fuzz/.clang
	@echo "  LD  $@"
	@$(FUZZ_CC) -o $@ tests/fuzz/gen_xml.c tests/fuzz/gen.c src/util/util.c src/util/files.c

.PHONY: fuzz fuzz-build fuzz-render fuzz-generate fuzz-data
fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@$(MAKE) --no-print-directory fuzz-render fuzz-generate fuzz-data FUZZ_TIME=$$(( $(FUZZ_TIME) / 3 ))

# Seeds: the samples, the refused cases, and realistic bundles of 5 KB to 420 KB (935 pages) made
# by the generator from tests/fuzz/seeds-generate/.
fuzz-render: build/fuzz/fuzz_render build/fuzz/gen_xml
	@mkdir -p tests/fuzz/crashes build/fuzz/corpus-render build/fuzz/seeds-render
	@for f in tests/fuzz/seeds-generate/*; do build/fuzz/gen_xml $$f build/fuzz/seeds-render/$$(basename $$f).xml; done
	$(call FUZZ_RUN,fuzz_render) -max_len=1048576 -len_control=0 -dict=tests/fuzz/plan.dict \
	    build/fuzz/corpus-render tests/fuzz/corpus samples tests/cases build/fuzz/seeds-render

fuzz-generate: build/fuzz/fuzz_generate
	@mkdir -p tests/fuzz/crashes build/fuzz/corpus-generate
	$(call FUZZ_RUN,fuzz_generate) -max_len=65536 build/fuzz/corpus-generate tests/fuzz/seeds-generate

# Seeds: each template, the schema, the chain and the two seed fonts as they are (fuzz_data.c).
fuzz-data: build/fuzz/fuzz_data
	@mkdir -p tests/fuzz/crashes build/fuzz/corpus-data build/fuzz/seeds-data
	@PF_FUZZ_DATA_SEEDS=build/fuzz/seeds-data build/fuzz/fuzz_data >/dev/null 2>&1
	$(call FUZZ_RUN,fuzz_data) -max_len=1048576 -len_control=0 -dict=tests/fuzz/data.dict \
	    build/fuzz/corpus-data build/fuzz/seeds-data

.PHONY: build-test build-asan
build-test:
	@$(MAKE) --no-print-directory BUILD=build/test XCFLAGS=-Werror $(addprefix build/test/,$(TEST_TARGETS))
build-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT='-O1 -g' XCFLAGS='-Werror $(SANITIZE)' \
	    LDFLAGS='$(SANITIZE)' $(addprefix build/asan/,$(TEST_TARGETS))

bench: deps
	@$(MAKE) --no-print-directory all
	@tools/bench.sh

clean:
	rm -rf build out planform

# ---- Installing (GNU conventions: PREFIX, DESTDIR) ----
#   make install [PREFIX=/usr/local] [DESTDIR=]   install everything below
#   make uninstall [PREFIX=...] [DESTDIR=]         remove it again
#   make lib [PREFIX=...]                          only build it (in IBUILD), install nothing
# Installed:
#   PREFIX/bin/planform
#   PREFIX/share/planform/{templates,fonts}/      the data directory, compiled into the installed
#                                                 planform and libplanform as the default of
#                                                 --data ($$PLANFORM_DATA and --data still override)
#   PREFIX/share/man/man1/planform.1              doc/planform.1 (naming PREFIX's data directory)
#   PREFIX/share/bash-completion/completions/planform   contrib/bash-completion/planform
#   PREFIX/include/planform.h                     the C API (include/planform.h)
#   PREFIX/lib/libplanform.so.$(LIBVER) (soname libplanform.so.$(SOMAJOR), and the links
#   libplanform.so.$(SOMAJOR), libplanform.so), PREFIX/lib/libplanform.a,
#   PREFIX/lib/pkgconfig/planform.pc
# The installed files are their own build, in IBUILD: every object compiled once with -fPIC and
# -fvisibility=hidden (the shared library exports only planform.h's functions), and the
# library, the archive and the command linked from those same objects. The builds of the
# source tree (./planform, build/test, build/asan) keep using the source tree's data, so
# `make test` is not affected. DESTDIR is only where the files are copied to (a package's
# staging root); it is never compiled in. After installing a shared library into a system
# folder, run ldconfig.
PREFIX  ?= /usr/local
DESTDIR ?=
IBUILD  ?= build/install
LIBVER  := $(shell sed -n 's/^\#define PLANFORM_VERSION "\(.*\)"/\1/p' include/planform.h)
SOMAJOR := $(firstword $(subst ., ,$(LIBVER)))
LIBSO   := libplanform.so.$(LIBVER)

$(BUILD)/libplanform.a: $(LIB_OBJ)
	@echo "  AR  $@"
	@rm -f $@
	@ar rcs $@ $^

# -z defs: every symbol the library uses is resolved by the libraries named here, so a program
# links with -lplanform alone.
$(BUILD)/$(LIBSO): $(LIB_OBJ)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libplanform.so.$(SOMAJOR) -Wl,-z,defs \
	    -o $@ $^ $(LIB_LDLIBS)

$(BUILD)/planform.pc: src/api/planform.pc.in include/planform.h $(BUILD)/datadir
	@echo "  GEN $@"
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(LIBVER)|' -e 's|@REQUIRES@|$(LIB_PKGS)|' $< >$@

lib:
	@case '$(PREFIX)' in /*) ;; *) echo "make: PREFIX must be an absolute path" >&2; exit 2;; esac
	@$(MAKE) --no-print-directory BUILD=$(IBUILD) PF_DATA='$(PREFIX)/share/planform' \
	    XCFLAGS='$(XCFLAGS) -fPIC -fvisibility=hidden' \
	    $(addprefix $(IBUILD)/,planform libplanform.a $(LIBSO) planform.pc)

INSTALL_DIRS = bin share/planform/templates share/planform/fonts share/man/man1 \
               share/bash-completion/completions include lib/pkgconfig
install: lib
	@d='$(DESTDIR)$(PREFIX)'; set -e; \
	for sub in $(INSTALL_DIRS); do install -d "$$d/$$sub"; done; \
	install -m 755 $(IBUILD)/planform "$$d/bin/planform"; \
	install -m 644 $(wildcard templates/*) "$$d/share/planform/templates/"; \
	install -m 644 fonts/chain.conf fonts/fonts.conf "$$d/share/planform/fonts/"; \
	sed 's|/usr/local/share/planform|$(PREFIX)/share/planform|g' doc/planform.1 >"$$d/share/man/man1/planform.1"; \
	chmod 644 "$$d/share/man/man1/planform.1"; \
	install -m 644 contrib/bash-completion/planform "$$d/share/bash-completion/completions/planform"; \
	install -m 644 include/planform.h "$$d/include/planform.h"; \
	install -m 644 $(IBUILD)/libplanform.a "$$d/lib/libplanform.a"; \
	install -m 755 $(IBUILD)/$(LIBSO) "$$d/lib/$(LIBSO)"; \
	ln -sf $(LIBSO) "$$d/lib/libplanform.so.$(SOMAJOR)"; \
	ln -sf libplanform.so.$(SOMAJOR) "$$d/lib/libplanform.so"; \
	install -m 644 $(IBUILD)/planform.pc "$$d/lib/pkgconfig/planform.pc"; \
	echo "installed planform $(LIBVER) in $$d"

# Only the files install wrote, and the folders only if that leaves them empty.
uninstall:
	@d='$(DESTDIR)$(PREFIX)'; \
	rm -f "$$d/bin/planform" "$$d/share/man/man1/planform.1" \
	    "$$d/share/bash-completion/completions/planform" "$$d/include/planform.h" \
	    "$$d/lib/libplanform.a" "$$d/lib/$(LIBSO)" "$$d/lib/libplanform.so.$(SOMAJOR)" \
	    "$$d/lib/libplanform.so" "$$d/lib/pkgconfig/planform.pc" \
	    $(addprefix "$$d/share/planform/,$(addsuffix ",$(wildcard templates/* fonts/chain.conf fonts/fonts.conf))); \
	rmdir "$$d/share/planform/templates" "$$d/share/planform/fonts" "$$d/share/planform" 2>/dev/null; \
	echo "removed planform from $$d"

-include $(sort $(shell find build $(BUILD) -name '*.d' 2>/dev/null))
