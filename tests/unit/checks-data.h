/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the area, table, NFIT and validation unit tests. */
#ifndef TESTS_CHECKS_DATA_H
#define TESTS_CHECKS_DATA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "findings.h"
#include "readfile.h"

/* Read tests/data/<rel>; the test fails when it is missing. */
static inline uint8_t *load_testdata(const char *rel, size_t *len)
{
	const char *dir = getenv("DMACPI_TESTDATA");
	char path[4096];
	uint8_t *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", rel);
	if (read_file(path, 1 << 24, &buf, len) < 0) {
		print_error("cannot read %s\n", path);
		fail();
	}
	return buf;
}

static inline void dump_findings(const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		print_message("# finding %s @0x%zx: %s\n", f->v[i].check, f->v[i].offset,
			      f->v[i].message);
}

/* Exactly one finding, with this check name, kind and offset. */
static inline void assert_one_finding(const struct findings *f, const char *check,
				      enum finding_kind kind, size_t offset)
{
	if (findings_total(f) != 1)
		dump_findings(f);
	assert_int_equal(findings_total(f), 1);
	assert_string_equal(f->v[0].check, check);
	assert_int_equal(f->v[0].kind, kind);
	assert_int_equal(f->v[0].offset, offset);
}

static inline void assert_no_findings(const struct findings *f)
{
	if (findings_total(f))
		dump_findings(f);
	assert_int_equal(findings_total(f), 0);
}

#endif
