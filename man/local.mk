# Manual pages of the daemon and the tool (dmacpid.policy.5 comes with the policy).
dist_man_MANS += man/dmacpid.8 man/dmacpictl.8
