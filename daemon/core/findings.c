// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"

void findings_init(struct findings *f)
{
	f->v = NULL;
	f->n = 0;
	f->lost = 0;
	f->lost_kinds = 0;
	f->no_memory = false;
}

void findings_free(struct findings *f)
{
	free(f->v);
	findings_init(f);
}

void findings_clear(struct findings *f)
{
	f->n = 0;
	f->lost = 0;
	f->lost_kinds = 0;
	f->no_memory = false;
}

void findings_vadd(struct findings *f, enum finding_kind kind, const char *check,
		   size_t offset, const char *fmt, va_list ap)
{
	struct finding *x;

	/* The last place is kept for a MALFORMED one, which decides the blob
	 * however many FORBIDDEN ones came first. */
	if (f->n >= FINDINGS_KEEP - (kind != FINDING_MALFORMED)) {
		f->lost++;
		f->lost_kinds |= kind;
		return;
	}
	if (!f->v) {
		/* Allocated once at the cap: findings are rare, and this keeps
		 * the hot path free of reallocations. */
		f->v = malloc(FINDINGS_KEEP * sizeof(*f->v));
		if (!f->v) {
			f->lost++;
			f->lost_kinds |= kind;
			f->no_memory = true;
			return;
		}
	}
	x = &f->v[f->n++];
	x->kind = kind;
	x->check = check;
	x->offset = offset;
	vsnprintf(x->message, sizeof(x->message), fmt, ap);
}

void findings_add(struct findings *f, enum finding_kind kind, const char *check,
		  size_t offset, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	findings_vadd(f, kind, check, offset, fmt, ap);
	va_end(ap);
}

void findings_no_memory(struct findings *f, const char *check, size_t offset)
{
	findings_add(f, FINDING_MALFORMED, check, offset, "out of memory");
	f->no_memory = true;
}

size_t findings_total(const struct findings *f)
{
	return f->n + f->lost;
}

const struct finding *findings_first(const struct findings *f, enum finding_kind kind)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].kind == kind)
			return &f->v[i];
	return NULL;
}

bool findings_have(const struct findings *f, enum finding_kind kind)
{
	return (f->lost_kinds & kind) || findings_first(f, kind) != NULL;
}

struct findings_mark findings_mark(const struct findings *f)
{
	return (struct findings_mark){ .n = f->n, .lost = f->lost, .lost_kinds = f->lost_kinds,
				       .no_memory = f->no_memory };
}

void findings_rewind(struct findings *f, struct findings_mark m)
{
	if (m.n <= f->n && m.lost <= f->lost) {
		f->n = m.n;
		f->lost = m.lost;
		f->lost_kinds = m.lost_kinds;
		f->no_memory = m.no_memory;
	}
}

void findings_sort(struct findings *f, struct findings_mark m)
{
	/* Insertion sort: a few findings, at most FINDINGS_KEEP. */
	for (size_t i = m.n + 1; i < f->n; i++) {
		struct finding x = f->v[i];
		size_t j = i;

		for (; j > m.n && f->v[j - 1].offset > x.offset; j--)
			f->v[j] = f->v[j - 1];
		f->v[j] = x;
	}
}
