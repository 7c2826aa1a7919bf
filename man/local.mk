# Manual pages, generated so that the paths they name follow configure's.
man_pages_ = man/dmacpid.8 man/dmacpictl.8 man/dmacpid.policy.5
man_MANS += $(man_pages_)
EXTRA_DIST += man/dmacpid.8.in man/dmacpictl.8.in man/dmacpid.policy.5.in
CLEANFILES += $(man_pages_)
man_subst_ = $(AM_V_GEN)$(MKDIR_P) man && \
	sed -e 's|@sysconfdir[@]|$(sysconfdir)|g' $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@

man/dmacpid.8: man/dmacpid.8.in Makefile
	$(man_subst_)
man/dmacpictl.8: man/dmacpictl.8.in Makefile
	$(man_subst_)
man/dmacpid.policy.5: man/dmacpid.policy.5.in Makefile
	$(man_subst_)
