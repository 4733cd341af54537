# segsim - build, run, test, benchmark, install.
#
#   make              build ./segsim (objects under build/)
#   make run          default scenario end to end: deps, build, run, plots
#   make test         every test; closing line "N passed, N failed"
#   make test SAN=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make golden       rewrite the expected golden outputs (review the diff!)
#   make bench        speed and memory: hold, UDP and TCP dumbbells (beside ns-2), scale
#   make install PREFIX=/usr/local
#   make deps         install missing Debian packages (run/test do it when needed)
#   WERROR=1          warnings are errors (CI)
#   MPI=1             build with Open MPI (mpicc) so `mpirun -np K segsim sweep`
#                     splits a sweep over K processes; objects under build/*-mpi

CC      ?= cc
PREFIX  ?= /usr/local
PKGS    := gsl yaml-0.1
DEBS    := build-essential pkg-config libgsl-dev libyaml-dev libcmocka-dev gnuplot-nox \
           tshark tcpdump clang libclang-rt-14-dev time

CFLAGS_BASE := -std=c11 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
               -D_POSIX_C_SOURCE=200809L -Isim -Iproto
ifeq ($(SAN),1)
  OPT   := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  B     := build/san
else
  OPT   := -O2
  B     := build/rel
endif
ifeq ($(MPI),1)
  CC    := mpicc
  B     := $(B)-mpi
  CFLAGS_BASE += -DSEGSIM_MPI
  DEBS  += libopenmpi-dev openmpi-bin
endif
ifeq ($(WERROR),1)
  CFLAGS_BASE += -Werror
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  += $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) -DPLOT_PREFIX='"$(PREFIX)"'
LDFLAGS += $(OPT)
LDLIBS  += $(PKG_LIBS) -lm

LIB_SRC  := $(filter-out sim/main.c $(if $(filter 1,$(MPI)),,sim/sweep_mpi.c),$(wildcard sim/*.c proto/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c tests/validate/test_*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)
BENCH_BIN := $(B)/tests/bench/hold $(B)/tests/bench/tcpmem

ifeq ($(SAN),1)
BIN := $(B)/segsim
else
BIN := segsim
# ./segsim is built with or without MPI: relink it when that changes.
FLAVOR := build/segsim.flavor
endif
# The MPI build the tests compare against (tests/sweep), whatever ./segsim is.
MPI_BIN := build/rel-mpi/segsim

.PHONY: all run test golden bench install clean deps deps-check unit fuzz FORCE

all: $(BIN)

$(BIN): $(B)/sim/main.o $(B)/libsegsim.a $(FLAVOR)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LDLIBS)

ifneq ($(BIN),$(B)/segsim)
$(B)/segsim: $(B)/sim/main.o $(B)/libsegsim.a
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
endif

ifdef FLAVOR
$(FLAVOR): FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(B)" ] || echo "$(B)" >$@
endif

$(B)/libsegsim.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/%.o: %.c $(wildcard sim/*.h proto/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/%.c $(B)/libsegsim.a $(wildcard tests/*.h tests/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) -Itests $(shell pkg-config --cflags cmocka 2>/dev/null) -o $@ $< \
		$(B)/libsegsim.a $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

unit: $(UNIT_BIN)

# Packages: installed only when something is missing.
deps-check:
	@pkg-config --exists $(PKGS) cmocka && command -v gnuplot >/dev/null \
	  && command -v tshark >/dev/null && command -v tcpdump >/dev/null \
	  && command -v clang >/dev/null && [ -x /usr/bin/time ] \
	  $(if $(filter 1,$(MPI)),&& command -v mpicc >/dev/null && command -v mpirun >/dev/null) \
	  || $(MAKE) --no-print-directory deps

deps:
	@echo "segsim: installing Debian packages: $(DEBS)"
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends $(DEBS)

run: deps-check
	@$(MAKE) --no-print-directory all
	./segsim run scenarios/default.yaml --plot
	@echo "plots: out/default/plots/"

# With Open MPI installed (make deps MPI=1) the sweep tests also run the MPI
# build under mpirun; without it they skip that test.
test: deps-check
	@$(MAKE) --no-print-directory all unit
	@if command -v mpicc >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory MPI=1 SAN= $(MPI_BIN); fi
	@SAN=$(SAN) BIN=$(abspath $(BIN)) B=$(B) MPI_BIN=$(abspath $(MPI_BIN)) sh tests/run.sh

golden: all
	@BIN=$(abspath $(BIN)) sh tests/golden/run.sh --update

bench: deps-check all $(BENCH_BIN)
	@BIN=$(abspath $(BIN)) B=$(B) sh tests/bench/run.sh

fuzz:
	@sh tests/fuzz/run.sh 60

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/segsim/plots \
	  $(DESTDIR)$(PREFIX)/share/segsim/scenarios $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 segsim $(DESTDIR)$(PREFIX)/bin/segsim
	install -m 644 plots/*.gp $(DESTDIR)$(PREFIX)/share/segsim/plots/
	install -m 644 scenarios/*.yaml $(DESTDIR)$(PREFIX)/share/segsim/scenarios/
	install -m 644 man/segsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/segsim.1

clean:
	rm -rf build segsim out
