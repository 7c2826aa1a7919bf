// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The built-in invariants of one blob on its own (SPEC section 5).  Offsets
 * of findings are offsets in the area.
 *
 * Checks added here (the rest come from table.c, nfit.c and aml.c):
 *   area-device-short  MALFORMED: a device blob without a whole NameSeg
 *   aml-nameseg        MALFORMED: a device name that is not a NameSeg
 *   ns-collision       FORBIDDEN: the blob defines an object that already
 *                      exists in Xen's namespace
 */
#include <string.h>

#include "nfit.h"
#include "text.h"
#include "validate.h"

static void validate_table(const struct blob *b, const struct ns *xen, struct blob_check *c)
{
	size_t base = b->offset + BLOB_HEADER_SIZE;

	table_check(b->data, b->data_len, base, &c->findings);
	/* FACS has no standard header: no ids to show. */
	c->has_header = memcmp(b->name, "FACS", 4) &&
			table_header_read(b->data, b->data_len, &c->hdr) == 0;
	if (findings_have(&c->findings, FINDING_MALFORMED) || b->data_len < ACPI_HEADER_SIZE)
		return;
	if (!memcmp(b->data, "NFIT", 4))
		nfit_check(b->data, b->data_len, base, &c->findings);
	else if (table_has_aml((const char *)b->data))
		c->has_aml = aml_parse_table(b->data, b->data_len, base, xen, &c->aml,
					     &c->findings) == 0;
}

static void validate_device(const struct blob *b, const struct ns *xen, struct blob_check *c)
{
	size_t base = b->offset + BLOB_HEADER_SIZE;

	if (b->data_len < 4) {
		findings_add(&c->findings, FINDING_MALFORMED, "area-device-short", b->offset,
			     "device blob of %zu bytes has no 4-byte name", b->size);
		return;
	}
	if (!aml_nameseg_valid(b->data)) {
		findings_add(&c->findings, FINDING_MALFORMED, "aml-nameseg", base,
			     "device name \"%s\" is not a valid NameSeg", c->object);
		return;
	}
	c->has_aml = aml_parse_device(b->data, b->data_len, base, xen, &c->aml,
				      &c->findings) == 0;
}

/* Objects the blob would create that Xen's namespace already holds (the
 * parser looked each up there: in_known). */
static void check_collisions(struct blob_check *c)
{
	for (size_t i = 0; i < c->aml.nobjs; i++) {
		const struct aml_object *o = &c->aml.objs[i];
		char path[AML_PATH_MAX], shown[AML_PATH_MAX];

		if (o->type == AML_OBJ_EXTERNAL || o->type == AML_OBJ_SCOPE || !o->in_known)
			continue;
		aml_path_text(o->seg, o->nseg, path);
		aml_path_display(path, shown, sizeof(shown));
		findings_add(&c->findings, FINDING_FORBIDDEN, "ns-collision", o->offset,
			     "%s already exists in Xen's namespace", shown);
	}
}

void validate_blob(const struct blob *b, const struct ns *xen, struct blob_check *out)
{
	memset(out, 0, sizeof(*out));
	out->blob = b;
	findings_init(&out->findings);
	aml_info_init(&out->aml);
	text_escape(out->object, sizeof(out->object), (const uint8_t *)b->name,
		    b->data_len < 4 ? b->data_len : 4);

	if (b->type == BLOB_TABLE)
		validate_table(b, xen, out);
	else if (b->type == BLOB_DEVICE)
		validate_device(b, xen, out);
	/* A Xen-only table is denied already; its copies of Xen's names
	 * would only repeat that. */
	if (xen && out->has_aml &&
	    !(b->type == BLOB_TABLE && table_is_xen_only(b->name)))
		check_collisions(out);
}

void blob_check_free(struct blob_check *c)
{
	findings_free(&c->findings);
	aml_info_free(&c->aml);
	c->has_aml = false;
}
