# The pure core: bytes in, decisions out.  Nothing here touches xenstore or
# guest memory.  aml.mk, checks.mk and policy.mk add their modules.
noinst_LIBRARIES += daemon/core/libdmacpi.a
daemon_core_libdmacpi_a_SOURCES = \
	daemon/core/findings.c daemon/core/findings.h \
	daemon/core/text.c daemon/core/text.h \
	daemon/core/readfile.c daemon/core/readfile.h \
	daemon/core/digest.c daemon/core/digest.h
daemon_core_libdmacpi_a_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS) $(LIBCRYPTO_CFLAGS)
CORE_LIBS = daemon/core/libdmacpi.a $(ZLIB_LIBS) $(LIBCRYPTO_LIBS)

# Unit tests (cmocka, TAP output) link the core and cmocka.
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UNIT_LIBS = $(CORE_LIBS) $(CMOCKA_LIBS)

# The digest formatter against known SHA-256 vectors.
check_PROGRAMS += tests/unit/test_digest
TESTS += tests/unit/test_digest
tests_unit_test_digest_SOURCES = tests/unit/test_digest.c
tests_unit_test_digest_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_digest_LDADD = $(UNIT_LIBS)

# The text helpers: numbers as the verdict keys hold them
check_PROGRAMS += tests/unit/test_text
TESTS += tests/unit/test_text
tests_unit_test_text_SOURCES = tests/unit/test_text.c
tests_unit_test_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_text_LDADD = $(UNIT_LIBS)
