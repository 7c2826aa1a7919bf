/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in invariants of one blob that do not depend on the other blobs
 * (SPEC section 5): table header, NFIT structure, AML, Xen-only signatures,
 * Load-family opcodes, escaping definitions, collisions with Xen's
 * namespace.  Checks that depend on which other blobs are approved
 * (collisions among them, unresolved references) are the evaluator's.
 */
#ifndef DMACPI_VALIDATE_H
#define DMACPI_VALIDATE_H

#include <stdbool.h>

#include "aml.h"
#include "area.h"
#include "findings.h"
#include "table.h"

struct ns;

struct blob_check {
	const struct blob *blob;
	struct findings findings;	/* MALFORMED and FORBIDDEN, area offsets */
	bool has_header;		/* tables: hdr is valid */
	struct acpi_header hdr;
	bool has_aml;			/* device blobs and AML tables that parsed */
	struct aml_info aml;
	char object[24];		/* printable signature or device name */
};

/* xen may be NULL (no Xen namespace configured). */
void validate_blob(const struct blob *b, const struct ns *xen, struct blob_check *out);
void blob_check_free(struct blob_check *c);

#endif
