# Long and slow checks, kept out of `make check`.
#
# make check-long: tests/soak/lifecycles.sh, 10,000 domain lifecycles with
# random areas on the simulated host (SOAK_DOMAINS, SOAK_MARK, SOAK_SEED
# change the count, the RSS mark and the seed).
SOAK_TESTS = tests/soak/lifecycles.sh
EXTRA_DIST += $(SOAK_TESTS) tests/soak/lifecycles.py tests/soak/valgrind.supp

check-long:
	DMACPI_TEST_TIMEOUT=$${DMACPI_TEST_TIMEOUT:-0} \
	  $(MAKE) $(AM_MAKEFLAGS) check TESTS='$(SOAK_TESTS)' \
	  TEST_SUITE_LOG=tests/soak/test-suite.log

# make check-valgrind: every end-to-end scenario (each test that starts
# dmacpid with tests/e2e/lib.sh's daemon_start: tests/e2e, tests/stress,
# tests/hostile) again with dmacpid under valgrind's memcheck; a memory
# error or a leak makes dmacpid exit 1 when the scenario stops it, which
# fails the scenario.  The scenarios run as valgrind/<path> so that their
# results sit next to the plain ones and are counted with them.  Needs a
# build without --enable-sanitizers.  VALGRIND_SKIP lists scenarios that
# cannot run under valgrind: none at present (tests/e2e/idle.sh, which
# counts the daemon's wakeups, skips itself: valgrind's scheduler wakes it).
VALGRIND = valgrind
VALGRIND_FLAGS = -q --leak-check=full --error-exitcode=1 \
	--suppressions=$(abs_top_srcdir)/tests/soak/valgrind.supp
VALGRIND_SKIP =

if SANITIZERS
check-valgrind:
	@echo "check-valgrind: this build has sanitizers; valgrind cannot run it" >&2; exit 2
else
check-valgrind: all
	@set -e; list=; \
	for t in $(filter %.sh,$(TESTS)); do \
	  case " $(VALGRIND_SKIP) " in *" $$t "*) continue ;; esac; \
	  grep -q '^[[:space:]]*daemon_start' "$(srcdir)/$$t" || continue; \
	  $(MKDIR_P) "valgrind/$$(dirname $$t)"; \
	  ln -sf "$(abs_top_srcdir)/$$t" "valgrind/$$t"; \
	  list="$$list valgrind/$$t"; \
	done; \
	DMACPID_WRAPPER='$(VALGRIND) $(VALGRIND_FLAGS)' \
	  $(MAKE) $(AM_MAKEFLAGS) check TESTS="$$list" TEST_SUITE_LOG=valgrind/test-suite.log
endif

clean-local: clean-valgrind
clean-valgrind:
	-rm -rf valgrind
.PHONY: check-long check-valgrind clean-valgrind
