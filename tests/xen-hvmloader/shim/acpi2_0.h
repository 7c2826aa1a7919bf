/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stands in for libacpi's acpi2_0.h: the table header alone. */
#include <stdint.h>

struct acpi_header {
    uint32_t signature;
    uint32_t length;
    uint8_t  revision;
    uint8_t  checksum;
    char     oem_id[6];
    char     oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
};
