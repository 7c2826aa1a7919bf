# checks modules, their unit tests and fuzz targets
# The blob area, ACPI table headers, the NFIT and the per-blob built-in
# invariants.
daemon_core_libdmacpi_a_SOURCES += \
	daemon/core/area.c daemon/core/area.h \
	daemon/core/table.c daemon/core/table.h \
	daemon/core/nfit.c daemon/core/nfit.h \
	daemon/core/validate.c daemon/core/validate.h

# Unit tests
CHECKS_UNIT_TESTS = tests/unit/test_area tests/unit/test_table \
	tests/unit/test_nfit tests/unit/test_validate
check_PROGRAMS += $(CHECKS_UNIT_TESTS)
TESTS += $(CHECKS_UNIT_TESTS)
tests_unit_test_area_SOURCES = tests/unit/test_area.c
tests_unit_test_area_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_area_LDADD = $(UNIT_LIBS)
tests_unit_test_table_SOURCES = tests/unit/test_table.c tests/unit/checks-data.h
tests_unit_test_table_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_table_LDADD = $(UNIT_LIBS)
tests_unit_test_nfit_SOURCES = tests/unit/test_nfit.c tests/unit/checks-data.h
tests_unit_test_nfit_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_nfit_LDADD = $(UNIT_LIBS)
tests_unit_test_validate_SOURCES = tests/unit/test_validate.c tests/unit/checks-data.h
tests_unit_test_validate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_validate_LDADD = $(UNIT_LIBS)

# Command-line tests of decode and pack, and of every command's options
TESTS += tests/cli/decode-pack.sh tests/cli/options.sh
EXTRA_DIST += tests/cli/decode-pack.sh tests/cli/options.sh

# Fuzz targets
FUZZ_TARGETS += tests/fuzz/fuzz_area
tests_fuzz_fuzz_area_SOURCES = tests/fuzz/fuzz_area.c tests/unit/aml-same.h $(FUZZ_MAIN)
tests_fuzz_fuzz_area_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_area_LDFLAGS = $(FUZZ_LD_FLAGS)
tests_fuzz_fuzz_area_LDADD = $(CORE_LIBS)
FUZZ_TARGETS += tests/fuzz/fuzz_table
tests_fuzz_fuzz_table_SOURCES = tests/fuzz/fuzz_table.c $(FUZZ_MAIN)
tests_fuzz_fuzz_table_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_table_LDFLAGS = $(FUZZ_LD_FLAGS)
tests_fuzz_fuzz_table_LDADD = $(CORE_LIBS)

# Speed benchmark: built by `make check` (not one of its TESTS); tests/bench/run
# runs it.
check_PROGRAMS += tests/bench/bench_validate
tests_bench_bench_validate_SOURCES = tests/bench/bench_validate.c
tests_bench_bench_validate_LDADD = $(CORE_LIBS)
EXTRA_DIST += tests/bench/run tests/bench/aml-copies.py
# tests/bench/run compiles these itself (bench_decide.c and aml_floor.c
# against the core library).
EXTRA_DIST += tests/bench/bench_decide.c tests/bench/stepcount.c tests/bench/aml_floor.c
