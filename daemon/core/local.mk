# The pure core: bytes in, decisions out.  Nothing here touches xenstore or
# guest memory.  aml.mk, checks.mk and policy.mk add their modules.
noinst_LIBRARIES += daemon/core/libdmacpi.a
daemon_core_libdmacpi_a_SOURCES = \
	daemon/core/findings.c daemon/core/findings.h \
	daemon/core/text.c daemon/core/text.h \
	daemon/core/readfile.c daemon/core/readfile.h
CORE_LIBS = daemon/core/libdmacpi.a $(ZLIB_LIBS)

# Unit tests (cmocka, TAP output) link the core and cmocka.
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UNIT_LIBS = $(CORE_LIBS) $(CMOCKA_LIBS)
