// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until `dmacpictl reload` lands. */
#include <stdio.h>

#include "commands.h"

int cmd_reload(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dmacpictl: reload is not implemented yet\n");
	return EXIT_USAGE;
}
