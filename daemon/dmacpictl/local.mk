# dmacpictl: the administrator's tool.  Each subcommand lives in its own file.
sbin_PROGRAMS += daemon/dmacpictl/dmacpictl
daemon_dmacpictl_dmacpictl_SOURCES = \
	daemon/dmacpictl/main.c daemon/dmacpictl/commands.h \
	daemon/dmacpictl/cmd-check.c daemon/dmacpictl/cmd-evaluate.c \
	daemon/dmacpictl/cmd-pack.c daemon/dmacpictl/cmd-decode.c \
	daemon/dmacpictl/cmd-namespace.c daemon/dmacpictl/cmd-status.c \
	daemon/dmacpictl/cmd-reload.c
daemon_dmacpictl_dmacpictl_CFLAGS = $(AM_CFLAGS) $(XENSTORE_CFLAGS)
daemon_dmacpictl_dmacpictl_LDADD = $(CORE_LIBS) $(XENSTORE_LIBS)
