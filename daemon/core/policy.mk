# policy modules, their unit tests and fuzz targets
# The policy language, the evaluator and the rewriter, their tests, the
# shipped default policy and its manual page.
daemon_core_libdmacpi_a_SOURCES += \
	daemon/core/policy.h daemon/core/policy-int.h \
	daemon/core/policy-parse.c daemon/core/policy-print.c daemon/core/policy-load.c \
	daemon/core/policy-glob.c \
	daemon/core/evaluate.h daemon/core/evaluate.c \
	daemon/core/decision-cache.h daemon/core/decision-cache.c \
	daemon/core/check-cache.h daemon/core/check-cache.c \
	daemon/core/mru.h daemon/core/mru.c \
	daemon/core/rewrite.h daemon/core/rewrite.c

# Unit tests
POLICY_UNIT_TESTS = tests/unit/test_policy tests/unit/test_evaluate tests/unit/test_rewrite \
	tests/unit/test_decision_cache tests/unit/test_check_cache tests/unit/test_mru \
	tests/unit/test_alloc_fail
check_PROGRAMS += $(POLICY_UNIT_TESTS)
TESTS += $(POLICY_UNIT_TESTS)
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c
tests_unit_test_policy_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_policy_LDADD = $(UNIT_LIBS)
tests_unit_test_evaluate_SOURCES = tests/unit/test_evaluate.c tests/unit/policy-areas.h
tests_unit_test_evaluate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_evaluate_LDADD = $(UNIT_LIBS)
tests_unit_test_decision_cache_SOURCES = tests/unit/test_decision_cache.c tests/unit/policy-areas.h
tests_unit_test_decision_cache_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_decision_cache_LDADD = $(UNIT_LIBS)
tests_unit_test_check_cache_SOURCES = tests/unit/test_check_cache.c tests/unit/policy-areas.h
tests_unit_test_check_cache_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_check_cache_LDADD = $(UNIT_LIBS)
tests_unit_test_mru_SOURCES = tests/unit/test_mru.c
tests_unit_test_mru_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mru_LDADD = $(UNIT_LIBS)
# The core library's allocations made to fail in turn: wrapped at link time.
tests_unit_test_alloc_fail_SOURCES = tests/unit/test_alloc_fail.c
tests_unit_test_alloc_fail_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_alloc_fail_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
	-Wl,--wrap=strdup,--wrap=free
tests_unit_test_alloc_fail_LDADD = $(UNIT_LIBS)
tests_unit_test_rewrite_SOURCES = tests/unit/test_rewrite.c tests/unit/policy-areas.h
tests_unit_test_rewrite_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rewrite_LDADD = $(UNIT_LIBS)

# Golden files (`dmacpictl check -v`), decisions (`dmacpictl evaluate`) and
# the verdicts on the whole test corpus, pinned
TESTS += tests/policy/golden.sh tests/policy/decide.sh tests/policy/verdicts.sh
# verdicts.sh decides the corpus again with the check cache through this.
check_PROGRAMS += tests/policy/warm-verdicts
tests_policy_warm_verdicts_SOURCES = tests/policy/warm-verdicts.c
tests_policy_warm_verdicts_LDADD = $(CORE_LIBS)
EXTRA_DIST += tests/policy

# Fuzz target
FUZZ_TARGETS += tests/fuzz/fuzz_policy
tests_fuzz_fuzz_policy_SOURCES = tests/fuzz/fuzz_policy.c $(FUZZ_MAIN)
tests_fuzz_fuzz_policy_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_policy_LDFLAGS = $(FUZZ_LD_FLAGS)
tests_fuzz_fuzz_policy_LDADD = $(CORE_LIBS)

# The default policy: installed once, never over an administrator's copy.
EXTRA_DIST += policy/dmacpid.policy
policydir = $(sysconfdir)/dmacpid

install-data-local: install-default-policy
install-default-policy:
	$(MKDIR_P) '$(DESTDIR)$(policydir)/policy.d'
	@if test -f '$(DESTDIR)$(policydir)/dmacpid.policy'; then \
	  echo "keeping the existing $(DESTDIR)$(policydir)/dmacpid.policy"; \
	else \
	  echo " $(INSTALL_DATA) $(srcdir)/policy/dmacpid.policy '$(DESTDIR)$(policydir)/dmacpid.policy'"; \
	  $(INSTALL_DATA) $(srcdir)/policy/dmacpid.policy '$(DESTDIR)$(policydir)/dmacpid.policy'; \
	fi

uninstall-local: uninstall-default-policy
# Removes the policy only when it is still the one we installed: an
# administrator's policy was never ours to remove.
uninstall-default-policy:
	@if cmp -s $(srcdir)/policy/dmacpid.policy '$(DESTDIR)$(policydir)/dmacpid.policy'; then \
	  echo " rm -f '$(DESTDIR)$(policydir)/dmacpid.policy'"; \
	  rm -f '$(DESTDIR)$(policydir)/dmacpid.policy'; \
	elif test -f '$(DESTDIR)$(policydir)/dmacpid.policy'; then \
	  echo "keeping the edited $(DESTDIR)$(policydir)/dmacpid.policy"; \
	fi
	rmdir '$(DESTDIR)$(policydir)/policy.d' '$(DESTDIR)$(policydir)' 2>/dev/null || true

.PHONY: install-default-policy uninstall-default-policy
