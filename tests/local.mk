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
# A whole decision on arbitrary areas (evaluate, namespace, rewrite).
FUZZ_TARGETS += tests/fuzz/fuzz_evaluate
tests_fuzz_fuzz_evaluate_SOURCES = tests/fuzz/fuzz_evaluate.c $(FUZZ_MAIN)
tests_fuzz_fuzz_evaluate_CFLAGS = $(FUZZ_CC_FLAGS) $(ZLIB_CFLAGS)
tests_fuzz_fuzz_evaluate_LDFLAGS = $(FUZZ_LD_FLAGS)
tests_fuzz_fuzz_evaluate_LDADD = $(CORE_LIBS)
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/replay.c tests/fuzz/coverage tests/fuzz/README.md \
	tests/fuzz/dict
# Each target's libFuzzer dictionary (-dict=): the parts of tests/fuzz/dict
# its input speaks, in one file.
FUZZ_DICT = $(srcdir)/tests/fuzz/dict
FUZZ_DICT_FILES = fuzz-work/fuzz_aml.dict fuzz-work/fuzz_area.dict fuzz-work/fuzz_evaluate.dict \
	fuzz-work/fuzz_table.dict fuzz-work/fuzz_policy.dict
fuzz-work/fuzz_aml.dict: $(FUZZ_DICT)/aml.dict $(FUZZ_DICT)/acpi-signatures.dict
fuzz-work/fuzz_area.dict fuzz-work/fuzz_evaluate.dict: $(FUZZ_DICT)/acpi-signatures.dict \
	$(FUZZ_DICT)/aml.dict $(FUZZ_DICT)/nfit.dict
fuzz-work/fuzz_table.dict: $(FUZZ_DICT)/acpi-signatures.dict $(FUZZ_DICT)/nfit.dict
fuzz-work/fuzz_policy.dict: $(FUZZ_DICT)/policy.dict $(FUZZ_DICT)/acpi-signatures.dict
$(FUZZ_DICT_FILES):
	@mkdir -p fuzz-work
	cat $^ >$@
# Benchmarks: run by hand, never gated (tests/bench/run, tests/bench/daemon.sh).
EXTRA_DIST += tests/bench/daemon.sh tests/bench/floor.c tests/bench/dm-driver.c
if !FUZZING
TESTS += $(FUZZ_TARGETS)
endif
check_PROGRAMS += $(FUZZ_TARGETS)

fuzz-smoke: $(FUZZ_TARGETS) $(FUZZ_DICT_FILES)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  n=$$(basename $$t); c=$(srcdir)/tests/fuzz/corpus/$${n#fuzz_}; \
	  mkdir -p fuzz-work/$$n; \
	  echo "fuzz-smoke: $$n for $(FUZZ_SMOKE_SECONDS)s"; \
	  ./$$t -max_total_time=$(FUZZ_SMOKE_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -dict=fuzz-work/$$n.dict \
	    -print_final_stats=1 fuzz-work/$$n $$c >fuzz-work/$$n.log 2>&1 \
	    || { tail -50 fuzz-work/$$n.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units' fuzz-work/$$n.log || true; \
	done

fuzz: $(FUZZ_TARGETS) $(FUZZ_DICT_FILES)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  n=$$(basename $$t); c=$(srcdir)/tests/fuzz/corpus/$${n#fuzz_}; \
	  mkdir -p fuzz-work/$$n; \
	  ./$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -dict=fuzz-work/$$n.dict \
	    fuzz-work/$$n $$c; \
	done

# After a campaign: merge what it found into the committed corpus, keeping
# a smallest set of inputs with the same coverage (libFuzzer -set_cover_merge=1), then replay it in
# `make check`.  tests/fuzz/coverage reports what the corpus reaches.
fuzz-merge: $(FUZZ_TARGETS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  n=$$(basename $$t); c=$(srcdir)/tests/fuzz/corpus/$${n#fuzz_}; \
	  rm -rf fuzz-work/merged-$$n; mkdir -p fuzz-work/merged-$$n fuzz-work/$$n; \
	  ./$$t -set_cover_merge=1 -timeout=10 fuzz-work/merged-$$n $$c fuzz-work/$$n >fuzz-work/merge-$$n.log 2>&1 \
	    || { tail -20 fuzz-work/merge-$$n.log; exit 1; }; \
	  rm -f $$c/*; cp fuzz-work/merged-$$n/* $$c/; \
	  echo "fuzz-merge: $$n: $$(ls $$c | wc -l) inputs"; \
	done

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz-work
.PHONY: fuzz fuzz-smoke fuzz-merge clean-fuzz

# Directories are distributed whole; leave out what a build put beside them.
dist-hook:
	find $(distdir)/tests \( -name '*.log' -o -name '*.trs' -o -name '*.o' \) -exec rm -f {} +
