# Faults injected into the simulated host (tests/sim) while dmacpid serves
# it: xenstored stalled, transaction conflicts, quotas, failed mappings and
# dying domains, broken policy reloads, kills at chosen and random points.
# Each scenario checks that the daemon keeps serving and that every domain
# ends with exactly one correct verdict.
STRESS_TESTS = \
	tests/stress/xenstored-stall.sh \
	tests/stress/transaction-conflicts.sh \
	tests/stress/quota.sh \
	tests/stress/map-failures.sh \
	tests/stress/policy-faults.sh \
	tests/stress/crash-windows.sh \
	tests/stress/kill-random.sh
TESTS += $(STRESS_TESTS)
EXTRA_DIST += $(STRESS_TESTS) tests/stress/lib.sh tests/stress/check-under-load
