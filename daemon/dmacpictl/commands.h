/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dmacpictl subcommands.  Each returns the process exit code:
 * 0 success, 1 "no" (invalid, rejected), 2 usage or I/O error. */
#ifndef DMACPICTL_COMMANDS_H
#define DMACPICTL_COMMANDS_H

#define EXIT_NO 1
#define EXIT_USAGE 2

/* A decimal number of at most max (a domid, a limit): 0, or -1 for
 * anything else (a sign, hex, trailing bytes).  A blob count is read as
 * the daemon reads the device model's: parse_input_number(). */
int cli_uint(const char *s, unsigned long long max, unsigned long long *out);

int cmd_check(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_namespace(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_reload(int argc, char **argv);

#endif
