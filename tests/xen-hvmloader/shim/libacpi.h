/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stands in for libacpi.h: what patch 2 adds to struct acpi_config. */
struct acpi_config {
    struct {
        const struct acpi_header *const *tables;
        unsigned int nr;
        unsigned int nr_added;
    } extra;
};
