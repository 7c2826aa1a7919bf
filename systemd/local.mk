# The systemd unit, generated so that paths follow configure's.
systemdunitdir = $(SYSTEMD_UNITDIR)
systemdunit_DATA = systemd/dmacpid.service
EXTRA_DIST += systemd/dmacpid.service.in
CLEANFILES += systemd/dmacpid.service

systemd/dmacpid.service: systemd/dmacpid.service.in Makefile
	$(subst_paths)
