// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until `dmacpictl status` lands. */
#include <stdio.h>

#include "commands.h"

int cmd_status(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dmacpictl: status is not implemented yet\n");
	return EXIT_USAGE;
}
