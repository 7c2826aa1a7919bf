# dmacpid: the daemon.  Thin layer over the core: xenstore, domains, guest
# memory, the journal and systemd.
sbin_PROGRAMS += daemon/dmacpid/dmacpid
daemon_dmacpid_dmacpid_SOURCES = \
	daemon/dmacpid/main.c daemon/dmacpid/daemon.h \
	daemon/dmacpid/log.c daemon/dmacpid/log.h \
	daemon/dmacpid/lograte.c daemon/dmacpid/lograte.h \
	daemon/dmacpid/notify.c daemon/dmacpid/notify.h \
	daemon/dmacpid/xs.c daemon/dmacpid/xs.h \
	daemon/dmacpid/domains.c daemon/dmacpid/domains.h \
	daemon/dmacpid/xc.c daemon/dmacpid/xc.h \
	daemon/dmacpid/guestmem.c daemon/dmacpid/guestmem.h \
	daemon/dmacpid/decide.c daemon/dmacpid/decide.h \
	daemon/dmacpid/inputs.c daemon/dmacpid/inputs.h \
	daemon/dmacpid/verdict.c daemon/dmacpid/verdict.h \
	daemon/dmacpid/xspath.c daemon/dmacpid/xspath.h \
	daemon/dmacpid/gate.c daemon/dmacpid/gate.h \
	daemon/dmacpid/reload.c daemon/dmacpid/reload.h
daemon_dmacpid_dmacpid_CFLAGS = $(AM_CFLAGS) $(XENSTORE_CFLAGS) $(XENCTRL_CFLAGS) \
	$(XENFOREIGNMEMORY_CFLAGS) $(LIBEVENT_CFLAGS) $(SYSTEMD_CFLAGS) $(ZLIB_CFLAGS)
daemon_dmacpid_dmacpid_LDADD = $(CORE_LIBS) $(XENSTORE_LIBS) $(XENCTRL_LIBS) \
	$(XENFOREIGNMEMORY_LIBS) $(LIBEVENT_LIBS) $(SYSTEMD_LIBS) $(ZLIB_LIBS)

# The journal catalog: one entry per MESSAGE_ID in log.h.
catalogdir = $(CATALOGDIR)
dist_catalog_DATA = systemd/dmacpid.catalog

# End-to-end scenarios on the simulated host.
E2E_TESTS = \
	tests/e2e/approve-nvdimm.sh \
	tests/e2e/rewrite-oracle.sh \
	tests/e2e/deny-unmarked.sh \
	tests/e2e/hostile-inputs.sh \
	tests/e2e/stubdom-dm.sh \
	tests/e2e/inputs-rewritten.sh \
	tests/e2e/inputs-atomic.sh \
	tests/e2e/inputs-partial.sh \
	tests/e2e/status-rate.sh \
	tests/e2e/reload.sh \
	tests/e2e/permissive.sh \
	tests/e2e/smuggled-tables.sh \
	tests/e2e/churn.sh \
	tests/e2e/restart.sh \
	tests/e2e/startup-inputs.sh \
	tests/e2e/xenstored-restart.sh \
	tests/e2e/status.sh \
	tests/e2e/rewrite-crash.sh \
	tests/e2e/foreign-verdict.sh \
	tests/e2e/gate-stubdom.sh \
	tests/e2e/idle.sh \
	tests/e2e/domids.sh \
	tests/e2e/domain-names.sh \
	tests/e2e/input-forms.sh \
	tests/e2e/protocol-keys.sh \
	tests/e2e/outside-write.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh
