# Manual pages, generated so that the paths they name follow configure's.
man_pages_ = man/dmacpid.8 man/dmacpictl.8 man/dmacpid.policy.5
man_MANS += $(man_pages_)
EXTRA_DIST += man/dmacpid.8.in man/dmacpictl.8.in man/dmacpid.policy.5.in
CLEANFILES += $(man_pages_)

man/dmacpid.8: man/dmacpid.8.in Makefile
	$(subst_paths)
man/dmacpictl.8: man/dmacpictl.8.in Makefile
	$(subst_paths)
man/dmacpid.policy.5: man/dmacpid.policy.5.in Makefile
	$(subst_paths)
