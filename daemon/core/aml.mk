# aml modules, their unit tests and fuzz targets
daemon_core_libdmacpi_a_SOURCES += \
	daemon/core/aml.c daemon/core/aml.h \
	daemon/core/namespace.c daemon/core/namespace.h daemon/core/ns-table.h \
	daemon/core/carve.c daemon/core/carve.h

AML_UNIT_TESTS = tests/unit/test_aml tests/unit/test_namespace tests/unit/test_carve
check_PROGRAMS += $(AML_UNIT_TESTS)
TESTS += $(AML_UNIT_TESTS)
tests_unit_test_aml_SOURCES = tests/unit/test_aml.c tests/unit/aml-same.h
tests_unit_test_aml_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_aml_LDADD = $(UNIT_LIBS)
tests_unit_test_namespace_SOURCES = tests/unit/test_namespace.c \
	tests/sim/xenfile.c tests/sim/xenfile.h
tests_unit_test_namespace_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/sim $(XENFILE_CPPFLAGS)
tests_unit_test_namespace_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_namespace_LDADD = $(UNIT_LIBS)
tests_unit_test_carve_SOURCES = tests/unit/test_carve.c
tests_unit_test_carve_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_carve_LDADD = $(UNIT_LIBS)

# Oracle tests against ACPICA (skipped when acpiexec is missing).
check_PROGRAMS += tests/oracle/wrap-device
tests_oracle_wrap_device_SOURCES = tests/oracle/wrap-device.c
tests_oracle_wrap_device_LDADD = $(CORE_LIBS)
TESTS += tests/oracle/namespace.sh tests/oracle/collision.sh
EXTRA_DIST += tests/oracle/namespace.sh tests/oracle/collision.sh

FUZZ_TARGETS += tests/fuzz/fuzz_aml
tests_fuzz_fuzz_aml_SOURCES = tests/fuzz/fuzz_aml.c tests/unit/aml-same.h $(FUZZ_MAIN)
tests_fuzz_fuzz_aml_CFLAGS = $(FUZZ_CC_FLAGS)
tests_fuzz_fuzz_aml_LDFLAGS = $(FUZZ_LD_FLAGS)
tests_fuzz_fuzz_aml_LDADD = $(CORE_LIBS)
