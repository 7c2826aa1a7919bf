/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Findings: what the built-in invariants say about bytes.  Every check has a
 * stable name (printed as "builtin:<check>") and a byte offset, so an
 * administrator can find the offending byte with a hex dump.
 */
#ifndef DMACPI_FINDINGS_H
#define DMACPI_FINDINGS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum finding_kind {
	FINDING_MALFORMED = 1,	/* the bytes cannot be trusted */
	FINDING_FORBIDDEN = 2,	/* well formed but not acceptable */
};

#define FINDING_MESSAGE_MAX 160

struct finding {
	enum finding_kind kind;
	const char *check;	/* static storage, e.g. "nfit-length" */
	size_t offset;		/* byte offset in the area (or the file checked) */
	char message[FINDING_MESSAGE_MAX];	/* printable, one line */
};

/*
 * A growable list.  Hostile input can provoke any number of findings, so the
 * list keeps at most FINDINGS_KEEP of them and counts the rest.  No number
 * of FORBIDDEN findings may hide bytes that do not parse: they fill at
 * most FINDINGS_KEEP - 1 places, and the kinds of those not kept (the cap,
 * no memory) still count in findings_have().
 */
#define FINDINGS_KEEP 64

struct findings {
	struct finding *v;
	size_t n;		/* kept */
	size_t lost;		/* not kept because of the cap or memory */
	unsigned lost_kinds;	/* enum finding_kind bits of those */
	bool no_memory;		/* one was lost for memory: the list says nothing */
};

void findings_init(struct findings *f);
void findings_free(struct findings *f);
void findings_clear(struct findings *f);
__attribute__((format(printf, 5, 0)))
void findings_vadd(struct findings *f, enum finding_kind kind, const char *check,
		   size_t offset, const char *fmt, va_list ap);
__attribute__((format(printf, 5, 6)))
void findings_add(struct findings *f, enum finding_kind kind, const char *check,
		  size_t offset, const char *fmt, ...);
/* Our memory ran out, not the bytes' checks: a MALFORMED finding, and
 * no_memory set, so that the list is taken to say nothing of the bytes. */
void findings_no_memory(struct findings *f, const char *check, size_t offset);
size_t findings_total(const struct findings *f);
/* True when any finding added is of this kind, kept or not. */
bool findings_have(const struct findings *f, enum finding_kind kind);
/* The first kept finding of a kind, or NULL.  NULL while findings_have()
 * is true only when memory ran out. */
const struct finding *findings_first(const struct findings *f, enum finding_kind kind);

/* Where the list stands, to drop what was added after it (findings_rewind)
 * or to sort that part by offset, keeping the order of equal offsets. */
struct findings_mark {
	size_t n, lost;
	unsigned lost_kinds;
	bool no_memory;
};
struct findings_mark findings_mark(const struct findings *f);
void findings_rewind(struct findings *f, struct findings_mark m);
void findings_sort(struct findings *f, struct findings_mark m);

#endif
