# Operator experience: install layout, the installed unit, the protocol
# document and the bash completion of dmacpictl.

# bash-completion looks completions up under the command's name.
bashcompletiondir = $(datadir)/bash-completion/completions
EXTRA_DIST += daemon/dmacpictl/dmacpictl.bash-completion

install-data-local: install-dmacpictl-completion
install-dmacpictl-completion:
	$(MKDIR_P) '$(DESTDIR)$(bashcompletiondir)'
	$(INSTALL_DATA) $(srcdir)/daemon/dmacpictl/dmacpictl.bash-completion \
		'$(DESTDIR)$(bashcompletiondir)/dmacpictl'

uninstall-local: uninstall-dmacpictl-completion
uninstall-dmacpictl-completion:
	rm -f '$(DESTDIR)$(bashcompletiondir)/dmacpictl'

.PHONY: install-dmacpictl-completion uninstall-dmacpictl-completion

OPS_TESTS = tests/ops/install.sh tests/ops/unit.sh tests/ops/deb.sh tests/ops/demo.sh
TESTS += $(OPS_TESTS)
EXTRA_DIST += $(OPS_TESTS)
# tests/demo's build log, left in the build directory it runs in.
CLEANFILES += demo-make.log

# Debian packaging (dpkg-buildpackage -b -us -uc; tests/ops/deb.sh)
EXTRA_DIST += debian/changelog debian/control debian/copyright debian/rules \
	debian/dmacpid.docs debian/dmacpid.install debian/source/format
