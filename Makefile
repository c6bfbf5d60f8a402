# planform — XML plan data to Japanese-typeset PDF forms.
#
#   make demo    install what is missing, build, render every sample to out/
#   make test    install what is missing, build with -Werror, run every test
#   make asan    the whole test suite under AddressSanitizer + UBSan
#   make bench   speed and size figures (no assertions)
#
# Sources are found by wildcard: a new src/**/*.c or tests/unit/test_*.c is picked up without
# editing this file.

PKGS    := libxml-2.0 icu-uc icu-i18n fontconfig harfbuzz harfbuzz-subset libqpdf zlib
BUILD   ?= build/release
CC      ?= cc
OPT     ?= -O2 -g
XCFLAGS ?=
CFLAGS  := -std=c17 -D_XOPEN_SOURCE=700 -pthread -Wall -Wextra $(OPT) $(XCFLAGS) \
           -Isrc -DPF_DATADIR='"$(CURDIR)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm -pthread
LDFLAGS ?=

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -name main.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/planform

.PHONY: all deps demo test unit asan bench clean
all: $(BIN) planform

deps:
	@tools/install-deps.sh

# ./planform is the built binary, copied to the top so the README's commands work as written.
planform: $(BUILD)/planform
	@cp $< $@

$(BIN): $(BUILD)/src/main.o $(LIB_OBJ)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS)

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

# Fuzzing (issue 6): libFuzzer over XML → PDF, FUZZ_TIME seconds (default 10 minutes); crashes
# are kept in tests/fuzz/crashes/: once fixed, move each to tests/fuzz/regressions/, which
# `make test` replays (tests/hostile.sh), and to the seed corpus.
FUZZ_TIME ?= 600
FUZZ_SRC  := $(LIB_SRC) tests/fuzz/fuzz_render.c
build/fuzz/fuzz_render: $(FUZZ_SRC) $(wildcard src/*.h src/*/*.h)
	@tools/install-deps.sh clang libclang-rt-14-dev
	@mkdir -p $(dir $@)
	@echo "  CC  $@"
	@clang -std=c17 -D_XOPEN_SOURCE=700 -O1 -g -Isrc -DPF_DATADIR='"$(CURDIR)"' \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    $(shell pkg-config --cflags $(PKGS)) -o $@ $(FUZZ_SRC) $(LDLIBS)

.PHONY: fuzz
fuzz: build/fuzz/fuzz_render
	@mkdir -p tests/fuzz/crashes build/fuzz/corpus
	build/fuzz/fuzz_render -max_total_time=$(FUZZ_TIME) -dict=tests/fuzz/plan.dict \
	    -max_len=65536 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=tests/fuzz/crashes/ build/fuzz/corpus tests/fuzz/corpus

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

-include $(shell find build -name '*.d' 2>/dev/null)
