// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The policy parser on arbitrary text.  Besides memory errors it checks the
 * printer: a policy that parses prints to text that parses back and prints
 * identically (rule origin comments aside).  An accepted policy then decides
 * a small fixed area, so every condition is evaluated too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "evaluate.h"
#include "policy.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The printed policy without its "#" comment lines. */
static char *print_plain(const struct policy *p, size_t *len)
{
	char *buf = NULL, *o;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	if (!fp)
		abort();
	policy_print(p, fp);
	if (fclose(fp))
		abort();
	o = buf;
	for (char *l = buf; *l;) {
		char *nl = strchr(l, '\n');
		size_t k = nl ? (size_t)(nl - l) + 1 : strlen(l);

		if (l[0] != '#') {
			memmove(o, l, k);
			o += k;
		}
		l += k;
	}
	*o = '\0';
	*len = (size_t)(o - buf);
	return buf;
}

static void decide_sample(const struct policy *p)
{
	static const struct domain_key keys[] = { { "platform/nvdimm", "1" } };
	const struct domain_facts dom = { 3, 0, "guest-1", keys, 1 };
	struct area_builder b;
	uint8_t table[40] = { 'T', 'E', 'S', 'T', 40, 0, 0, 0, 2, 0, 'O', 'E', 'M', 'I', 'D', ' ',
			      'T', 'A', 'B', 'L', 'E', 'I', 'D', ' ', 1, 0, 0, 0,
			      'C', 'R', 'E', 'A', 1, 0, 0, 0 };
	struct verdict v;

	table_fix_checksum(table, sizeof(table));
	area_builder_init(&b);
	if (!area_add(&b, BLOB_TABLE, table, sizeof(table)) &&
	    !area_add(&b, BLOB_TABLE, table, sizeof(table)) &&
	    !evaluate(p, b.buf, b.len, (long long)b.count, &dom, &v))
		verdict_free(&v);
	area_builder_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d, d2;
	struct policy *p, *q;
	char *text, *again;
	size_t len, len2;

	diags_init(&d);
	p = policy_parse_buffer_offline("fuzz.policy", (const char *)data, size, &d);
	diags_free(&d);
	if (!p)
		return 0;
	text = print_plain(p, &len);
	diags_init(&d2);
	q = policy_parse_buffer_offline("printed.policy", text, len, &d2);
	if (!q || d2.errors)
		abort();	/* the printer wrote something the parser refuses */
	again = print_plain(q, &len2);
	if (len != len2 || memcmp(text, again, len))
		abort();	/* printing is not a fixed point */
	decide_sample(p);
	free(again);
	free(text);
	policy_free(q);
	policy_free(p);
	diags_free(&d2);
	return 0;
}
