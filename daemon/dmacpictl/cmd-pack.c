// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until `dmacpictl pack` lands. */
#include <stdio.h>

#include "commands.h"

int cmd_pack(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dmacpictl: pack is not implemented yet\n");
	return EXIT_USAGE;
}
