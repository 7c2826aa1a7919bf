# The simulated Xen host (test only): real oxenstored with a preload that
# replaces the hypervisor, a preload that gives dmacpid simulated hypervisor
# services, and the xensim tool (toolstack, device model, hvmloader, oracle).
#
# The preload libraries are loaded into uninstrumented programs, so they are
# never built with the sanitizers: their flags replace AM_CFLAGS/AM_LDFLAGS.
SIM_SO_CCFLAGS_ = $(WARN_CFLAGS) -fPIC $(XENCTRL_CFLAGS) $(XENFOREIGNMEMORY_CFLAGS)
SIM_SO_LINKFLAGS_ = -shared -fPIC -Wl,-z,defs

check_PROGRAMS += tests/sim/xsd-preload.so tests/sim/xenhyp-preload.so tests/sim/xensim \
	tests/sim/hyp-probe

tests_sim_xsd_preload_so_SOURCES = tests/sim/xsd-preload.c \
	tests/sim/domtable.c tests/sim/domtable.h tests/sim/dominfo.h
tests_sim_xsd_preload_so_CFLAGS = $(SIM_SO_CCFLAGS_)
tests_sim_xsd_preload_so_LDFLAGS = $(SIM_SO_LINKFLAGS_)
tests_sim_xsd_preload_so_LDADD = -ldl -lpthread

tests_sim_xenhyp_preload_so_SOURCES = tests/sim/xenhyp-preload.c \
	tests/sim/domtable.c tests/sim/domtable.h tests/sim/dominfo.h
# Also wraps libxenstore's xs_transaction_end (injected conflicts): dlsym.
tests_sim_xenhyp_preload_so_CFLAGS = $(SIM_SO_CCFLAGS_) $(XENSTORE_CFLAGS)
tests_sim_xenhyp_preload_so_LDFLAGS = $(SIM_SO_LINKFLAGS_)
tests_sim_xenhyp_preload_so_LDADD = -ldl

# Files of xen-utils-4.17 come from the cache get-oxenstored.sh fills.
XENFILE_CPPFLAGS = -DDMACPI_GET_XEN='"$(abs_top_srcdir)/tests/sim/get-oxenstored.sh"'
tests_sim_xensim_SOURCES = tests/sim/xensim.c tests/sim/xensim-acpi.c \
	tests/sim/xensim.h tests/sim/domtable.c tests/sim/domtable.h \
	tests/sim/xenfile.c tests/sim/xenfile.h
tests_sim_xensim_CPPFLAGS = $(AM_CPPFLAGS) $(XENFILE_CPPFLAGS)
tests_sim_xensim_CFLAGS = $(AM_CFLAGS) $(XENSTORE_CFLAGS) $(ZLIB_CFLAGS) $(LIBCRYPTO_CFLAGS) \
	-DXENSIM_DEFAULT_DSDT='"$(abs_top_srcdir)/tests/data/xen/DSDT_20920.aml"'
tests_sim_xensim_LDADD = $(CORE_LIBS) $(XENSTORE_LIBS) $(LIBCRYPTO_LIBS)

# Linked against the real libraries, like dmacpid; the tests preload ours.
tests_sim_hyp_probe_SOURCES = tests/sim/hyp-probe.c
tests_sim_hyp_probe_CFLAGS = $(AM_CFLAGS) $(XENCTRL_CFLAGS) $(XENFOREIGNMEMORY_CFLAGS)
tests_sim_hyp_probe_LDADD = $(XENCTRL_LIBS) $(XENFOREIGNMEMORY_LIBS)

SIM_TESTS = \
	tests/sim/hypervisor.sh \
	tests/sim/two-hosts.sh \
	tests/sim/ring-perms.sh \
	tests/sim/round-trip.sh \
	tests/sim/oracle.sh \
	tests/sim/cleanup.sh \
	tests/sim/time-limit.sh
TESTS += $(SIM_TESTS)
EXTRA_DIST += $(SIM_TESTS) tests/sim/README.md tests/sim/get-oxenstored.sh
