# dmacpid: the daemon
