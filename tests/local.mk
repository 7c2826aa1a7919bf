# Test data and harness pieces shared by every test.
EXTRA_DIST += tests/data tests/lib tests/demo tests/setup-debian tests/build-and-check tests/run-suite

# Fuzz targets: with --enable-fuzzing they are libFuzzer binaries and
# `make fuzz-smoke` runs each for FUZZ_SMOKE_SECONDS; without it they link a
# replay driver and `make check` feeds them their committed corpus.
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SECONDS ?= 1800
if FUZZING
FUZZ_CC_FLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LD_FLAGS = -fsanitize=fuzzer,address,undefined
FUZZ_MAIN =
else
FUZZ_CC_FLAGS = $(AM_CFLAGS)
FUZZ_LD_FLAGS = $(AM_LDFLAGS)
FUZZ_MAIN = tests/fuzz/replay.c
endif
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/replay.c
# Benchmarks: run by hand, never gated (tests/bench/run, tests/bench/daemon.sh).
EXTRA_DIST += tests/bench/daemon.sh tests/bench/floor.c tests/bench/dm-driver.c
if !FUZZING
TESTS += $(FUZZ_TARGETS)
endif
check_PROGRAMS += $(FUZZ_TARGETS)

fuzz-smoke: $(FUZZ_TARGETS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  n=$$(basename $$t); c=$(srcdir)/tests/fuzz/corpus/$${n#fuzz_}; \
	  mkdir -p fuzz-work/$$n; \
	  echo "fuzz-smoke: $$n for $(FUZZ_SMOKE_SECONDS)s"; \
	  ./$$t -max_total_time=$(FUZZ_SMOKE_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 fuzz-work/$$n $$c >fuzz-work/$$n.log 2>&1 \
	    || { tail -50 fuzz-work/$$n.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units' fuzz-work/$$n.log || true; \
	done

fuzz: $(FUZZ_TARGETS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  n=$$(basename $$t); c=$(srcdir)/tests/fuzz/corpus/$${n#fuzz_}; \
	  mkdir -p fuzz-work/$$n; \
	  ./$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 fuzz-work/$$n $$c; \
	done

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz-work
.PHONY: fuzz fuzz-smoke clean-fuzz

# Directories are distributed whole; leave out what a build put beside them.
dist-hook:
	find $(distdir)/tests \( -name '*.log' -o -name '*.trs' -o -name '*.o' \) -exec rm -f {} +
