/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AML parser decides in one walk what its two passes decide (aml.c):
 * parse the bytes both ways and say where the results or the findings
 * differ.  For the unit tests and the fuzz target.
 */
#ifndef DMACPI_TESTS_AML_SAME_H
#define DMACPI_TESTS_AML_SAME_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"

static int aml_same_objs(const struct aml_info *a, const struct aml_info *b, char *why,
			 size_t n)
{
	if (a->nobjs != b->nobjs)
		return snprintf(why, n, "%zu objects, %zu in two passes", a->nobjs, b->nobjs);
	for (size_t i = 0; i < a->nobjs; i++) {
		const struct aml_object *x = &a->objs[i], *y = &b->objs[i];

		if (x->nseg != y->nseg || memcmp(x->seg, y->seg, 4 * x->nseg) ||
		    x->type != y->type || x->argc != y->argc || x->in_known != y->in_known ||
		    x->offset != y->offset)
			return snprintf(why, n, "object %zu differs", i);
	}
	if (a->nrefs != b->nrefs)
		return snprintf(why, n, "%zu references, %zu in two passes", a->nrefs, b->nrefs);
	for (size_t i = 0; i < a->nrefs; i++) {
		const struct aml_ref *x = &a->refs[i], *y = &b->refs[i];

		if (strcmp(x->scope, y->scope) || strcmp(x->name, y->name) ||
		    x->offset != y->offset || x->call != y->call || x->resolved != y->resolved)
			return snprintf(why, n, "reference %zu (%s in %s) differs", i, x->name,
					x->scope);
	}
	if (strcmp(a->hid, b->hid))
		return snprintf(why, n, "_HID \"%s\", \"%s\" in two passes", a->hid, b->hid);
	return 0;
}

static int aml_same_findings(const struct findings *a, const struct findings *b, char *why,
			     size_t n)
{
	size_t most = a->n > b->n ? a->n : b->n;

	for (size_t i = 0; i < most; i++) {
		const struct finding *x = i < a->n ? &a->v[i] : NULL;
		const struct finding *y = i < b->n ? &b->v[i] : NULL;

		if (x && y && x->kind == y->kind && !strcmp(x->check, y->check) &&
		    x->offset == y->offset && !strcmp(x->message, y->message))
			continue;
		return snprintf(why, n, "finding %zu: %s at %zu \"%s\"; in two passes %s at %zu "
				"\"%s\"", i, x ? x->check : "none", x ? x->offset : 0,
				x ? x->message : "", y ? y->check : "none", y ? y->offset : 0,
				y ? y->message : "");
	}
	if (a->lost != b->lost)
		return snprintf(why, n, "%zu findings lost, %zu in two passes", a->lost, b->lost);
	return 0;
}

/*
 * Parse d[0..len) as a table (device false) or a device blob both ways.
 * Returns 0 when they agree; 1 with why (n bytes) saying how they differ.
 */
static int aml_same_as_two_passes(const uint8_t *d, size_t len, const struct ns *known,
				  bool device, char *why, size_t n)
{
	struct aml_info one, two;
	struct findings f1, f2;
	int rc1, rc2, differ = 0;

	aml_info_init(&one);
	aml_info_init(&two);
	findings_init(&f1);
	findings_init(&f2);
	rc1 = device ? aml_parse_device(d, len, 0, known, &one, &f1)
		     : aml_parse_table(d, len, 0, known, &one, &f1);
	rc2 = aml_parse_two_passes(d, len, 0, known, device, &two, &f2);
	if (rc1 != rc2)
		differ = snprintf(why, n, "returned %d, %d in two passes", rc1, rc2);
	else
		differ = aml_same_objs(&one, &two, why, n) || aml_same_findings(&f1, &f2, why, n);
	aml_info_free(&one);
	aml_info_free(&two);
	findings_free(&f1);
	findings_free(&f2);
	return differ != 0;
}

/* For the fuzz targets: abort, saying how, when the two differ. */
static inline void aml_assert_same(const char *who, const uint8_t *d, size_t len,
				   const struct ns *known, bool device)
{
	char why[512];

	if (aml_same_as_two_passes(d, len, known, device, why, sizeof(why))) {
		fprintf(stderr, "%s: %s: one walk and two passes differ: %s\n", who,
			device ? "device blob" : "table", why);
		abort();
	}
}

#endif
