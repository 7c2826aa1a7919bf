# The systemd unit, generated so that paths follow configure's.
systemdunitdir = $(SYSTEMD_UNITDIR)
systemdunit_DATA = systemd/dmacpid.service
EXTRA_DIST += systemd/dmacpid.service.in
CLEANFILES += systemd/dmacpid.service

systemd/dmacpid.service: systemd/dmacpid.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/systemd/dmacpid.service.in >$@.tmp && mv $@.tmp $@
