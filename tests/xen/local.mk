# The emulated Xen host (tests/xen/README.md): a real Xen 4.17 with a
# Debian 12 dom0 booted under QEMU (TCG), dmacpid installed from its .deb,
# the scenarios run in dom0 through systemd.  Slow and needs root, QEMU and
# mmdebstrap: `make check-xen`, never part of `make check`.
#
# The dom0 programs run in the Debian 12 dom0 (same ABI as this build
# machine), never under the sanitizers: their flags replace AM_CFLAGS.
check_PROGRAMS += tests/xen/dm-producer tests/xen/guest-acpi tests/xen/xen-console
XEN_DOM0_CFLAGS_ = $(WARN_CFLAGS) $(XENFOREIGNMEMORY_CFLAGS)
tests_xen_dm_producer_SOURCES = tests/xen/dm-producer.c tests/xen/gmem.c tests/xen/gmem.h
tests_xen_dm_producer_CFLAGS = $(XEN_DOM0_CFLAGS_) $(XENSTORE_CFLAGS)
tests_xen_dm_producer_LDFLAGS = -Wl,--as-needed
tests_xen_dm_producer_LDADD = $(XENFOREIGNMEMORY_LIBS) $(XENSTORE_LIBS)
tests_xen_guest_acpi_SOURCES = tests/xen/guest-acpi.c tests/xen/gmem.c tests/xen/gmem.h
tests_xen_guest_acpi_CFLAGS = $(XEN_DOM0_CFLAGS_)
tests_xen_guest_acpi_LDFLAGS = -Wl,--as-needed
tests_xen_guest_acpi_LDADD = $(XENFOREIGNMEMORY_LIBS)
tests_xen_xen_console_SOURCES = tests/xen/xen-console.c
tests_xen_xen_console_CFLAGS = $(WARN_CFLAGS) $(XENCTRL_CFLAGS)
tests_xen_xen_console_LDFLAGS = -Wl,--as-needed
tests_xen_xen_console_LDADD = $(XENCTRL_LIBS)

XEN_TESTS = tests/xen/oxenstored.sh tests/xen/xenstored.sh
EXTRA_DIST += $(XEN_TESTS) tests/xen/README.md tests/xen/boot.sh tests/xen/image.sh \
	tests/xen/build-deb.sh tests/xen/dom0

# One boot after the other: each QEMU wants both cores.
# Each test builds (once) and boots a host: 90 minutes each at most.
check-xen: $(check_PROGRAMS) daemon/dmacpictl/dmacpictl
	DMACPI_TEST_TIMEOUT=$${DMACPI_TEST_TIMEOUT:-5400} \
	  $(MAKE) $(AM_MAKEFLAGS) -j1 check TESTS='$(XEN_TESTS)' \
	  TEST_SUITE_LOG=tests/xen/test-suite.log

clean-local: clean-xen
clean-xen:
	-rm -rf tests/xen/deb
.PHONY: check-xen clean-xen
