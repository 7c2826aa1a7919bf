// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor of AML validation, for tests/bench/run: a walk of the grammar
 * alone over the same tables dmacpid validates, to read the parser's cost
 * against.  It decodes every opcode, operand, PkgLength and NameString and
 * walks method bodies, with the parser's own opcode tables (aml.c is
 * included for them), and does nothing else: no scopes, no namespace, no
 * rule of SPEC section 5, no result.  A method's argument count comes from
 * the methods met before in the same table, by NameSeg alone, which is
 * enough for a table that defines a method before calling it (QEMU's
 * vNVDIMM SSDT does).  A table it cannot walk to its end fails the run.
 *
 * Written as tightly as a walk can be: every step takes the position and
 * returns the next one (NULL: the bytes do not parse), so the position
 * stays in a register, and an opcode's operands are read from a table of
 * kinds built once.  Walks every table ITERATIONS times and prints the
 * microseconds of the fastest pass over them all.
 *
 * Usage: aml_floor ITERATIONS TABLE...
 */
#include <time.h>

#include "aml.c"
#include "readfile.h"

#define FLOOR_METHODS 256

struct floor {
	uint32_t mseg[FLOOR_METHODS];
	uint8_t margc[FLOOR_METHODS];
	unsigned nmethods;
	unsigned depth;
};

/* An operand's kind, from the letters of struct opdesc's args. */
enum { K_END, K_ARG, K_SUPER, K_NAME, K_BYTES1, K_BYTES2, K_BYTES4, K_BYTES8 };
static uint8_t kinds[2][256][8];

static void kinds_init(void)
{
	for (int x = 0; x < 2; x++)
		for (int c = 0; c < 256; c++) {
			const char *a = x ? ops2[c].args : ops1[c].args;

			for (int i = 0; a && a[i]; i++)
				kinds[x][c][i] = a[i] == 't' || a[i] == 'r' ? K_ARG :
						 a[i] == 'n' || a[i] == 'N' ? K_NAME :
						 a[i] == 'b' ? K_BYTES1 : a[i] == 'w' ? K_BYTES2 :
						 a[i] == 'd' ? K_BYTES4 : a[i] == 'q' ? K_BYTES8 :
						 K_SUPER;
		}
}

static const uint8_t *f_term(struct floor *w, const uint8_t *p, const uint8_t *end, bool arg);

static inline const uint8_t *f_bytes(const uint8_t *p, const uint8_t *end, size_t n)
{
	return p && n <= (size_t)(end - p) ? p + n : NULL;
}

/* A NameString; *last receives its last NameSeg (0 for a NullName). */
static inline const uint8_t *f_name(const uint8_t *p, const uint8_t *end, uint32_t *last)
{
	unsigned n = 1;

	if (end - p >= 4 && seg_ok(p)) {
		memcpy(last, p, 4);
		return p + 4;
	}
	while (p < end && (*p == '\\' || *p == '^'))
		p++;
	if (p >= end)
		return NULL;
	if (*p == 0x00) {
		*last = 0;
		return p + 1;
	}
	if (*p == 0x2e) {
		n = 2;
		p++;
	} else if (*p == 0x2f) {
		if (end - p < 2)
			return NULL;
		n = p[1];
		p += 2;
	}
	if (!n || 4 * (size_t)n > (size_t)(end - p))
		return NULL;
	for (unsigned i = 0; i < n; i++)
		if (!seg_ok(p + 4 * i))
			return NULL;
	memcpy(last, p + 4 * (n - 1), 4);
	return p + 4 * n;
}

/* An operand: the leaves here, without a call (as the parser does). */
static inline const uint8_t *f_arg(struct floor *w, const uint8_t *p, const uint8_t *end)
{
	uint8_t n;

	if (p < end && (n = leaf1[*p]))
		return f_bytes(p, end, n);
	return f_term(w, p, end, true);
}

/* A PkgLength; bounded: *pend is the package's end, within end. */
static inline const uint8_t *f_pkg(const uint8_t *p, const uint8_t *end, bool bounded,
				   const uint8_t **pend)
{
	unsigned n;
	uint32_t v;

	if (p >= end)
		return NULL;
	n = *p >> 6;
	if (n + 1 > (size_t)(end - p))
		return NULL;
	if (!bounded)
		return p + 1 + n;
	v = n ? *p & 0x0f : *p & 0x3f;
	for (unsigned i = 1; i <= n; i++)
		v |= (uint32_t)p[i] << (4 + 8 * (i - 1));
	if (v < 1 + n || v > (size_t)(end - p))
		return NULL;
	*pend = p + v;
	return p + 1 + n;
}

static const uint8_t *f_list(struct floor *w, const uint8_t *p, const uint8_t *end)
{
	while (p && p < end)
		p = f_term(w, p, end, false);
	return p;
}

static const uint8_t *f_fields(struct floor *w, const uint8_t *p, const uint8_t *end)
{
	uint32_t s;

	while (p && p < end) {
		uint8_t c = *p;

		if (c == 0x01 || c == 0x03) {	/* AccessField, ExtendedAccessField */
			p = f_bytes(p, end, c == 0x01 ? 3 : 4);
			continue;
		}
		if (c == 0x02) {		/* ConnectField */
			p++;
			p = p < end && *p == 0x11 ? f_arg(w, p, end) : f_name(p, end, &s);
			continue;
		}
		if (c == 0x00)
			p++;	/* ReservedField */
		else if (!(p = f_bytes(p, end, 4)) || !seg_ok(p - 4))
			return NULL;
		p = f_pkg(p, end, false, NULL);
	}
	return p;
}

static const uint8_t *f_special(struct floor *w, unsigned code, const uint8_t *p,
				const uint8_t *end)
{
	const uint8_t *pend = end;
	uint32_t s;

	switch (code) {
	case 0x06:	/* Alias */
		return (p = f_name(p, end, &s)) ? f_name(p, end, &s) : NULL;
	case 0x08:	/* Name */
		if (!(p = f_name(p, end, &s)))
			return NULL;
		return p < end && name_lead(*p) ? f_name(p, end, &s) : f_arg(w, p, end);
	case 0x0d:	/* String */
		return (p = memchr(p, 0, (size_t)(end - p))) ? p + 1 : NULL;
	case 0x15:	/* External */
		return (p = f_name(p, end, &s)) ? f_bytes(p, end, 2) : NULL;
	}
	if (!(p = f_pkg(p, end, true, &pend)))
		return NULL;
	switch (code) {
	case 0x10:	/* Scope */
	case 0x5b82:	/* Device */
	case 0x5b85:	/* ThermalZone */
		p = f_name(p, pend, &s);
		break;
	case 0x14:	/* Method */
		if (!(p = f_name(p, pend, &s)) || p >= pend)
			return NULL;
		if (w->nmethods < FLOOR_METHODS) {
			w->mseg[w->nmethods] = s;
			w->margc[w->nmethods++] = *p & 7;
		}
		p++;
		break;
	case 0x5b83:	/* Processor */
		p = (p = f_name(p, pend, &s)) ? f_bytes(p, pend, 6) : NULL;
		break;
	case 0x5b84:	/* PowerResource */
		p = (p = f_name(p, pend, &s)) ? f_bytes(p, pend, 3) : NULL;
		break;
	case 0xa0:	/* If */
	case 0xa2:	/* While */
		p = f_arg(w, p, pend);
		break;
	case 0xa1:	/* Else */
		break;
	case 0x11:	/* Buffer: the size, then bytes */
		return f_arg(w, p, pend) ? pend : NULL;
	case 0x12:	/* Package */
	case 0x13:	/* VarPackage */
		p = code == 0x12 ? f_bytes(p, pend, 1) : f_arg(w, p, pend);
		while (p && p < pend)
			p = name_lead(*p) ? f_name(p, pend, &s) : f_arg(w, p, pend);
		return p ? pend : NULL;
	case 0x5b81:	/* Field */
	case 0x5b86:	/* IndexField */
	case 0x5b87:	/* BankField */
		p = f_name(p, pend, &s);
		if (p && code != 0x5b81)
			p = f_name(p, pend, &s);
		if (p && code == 0x5b87)
			p = f_arg(w, p, pend);
		return f_fields(w, f_bytes(p, pend, 1), pend) ? pend : NULL;
	default:
		return NULL;
	}
	return p && f_list(w, p, pend) ? pend : NULL;
}

static const uint8_t *f_term(struct floor *w, const uint8_t *p, const uint8_t *end, bool arg)
{
	const struct opdesc *d;
	const uint8_t *k;
	unsigned code;
	uint32_t s;
	uint8_t c;

	if (p >= end)
		return NULL;
	c = *p;
	if (name_lead(c)) {	/* an invocation or a name read */
		int argc = 0;

		if (!(p = f_name(p, end, &s)))
			return NULL;
		for (unsigned i = 0; i < w->nmethods; i++)
			if (w->mseg[i] == s)
				argc = w->margc[i];
		while (p && argc-- > 0)
			p = f_arg(w, p, end);
		return p;
	}
	if (++w->depth > AML_MAX_DEPTH)
		return NULL;
	p++;
	if (c == 0x5b) {
		if (p >= end)
			return NULL;
		code = 0x5b00 | *p;
		d = &ops2[*p];
		k = kinds[1][*p++];
	} else {
		code = c;
		d = &ops1[c];
		k = kinds[0][c];
	}
	if (!cls_fits[arg][d->cls])
		return NULL;
	if (d->cls >= C_SPECIAL) {
		p = f_special(w, code, p, end);
	} else {
		for (; p && *k; k++) {
			switch (*k) {
			case K_ARG:
				p = f_arg(w, p, end);
				break;
			case K_NAME:
				p = f_name(p, end, &s);
				break;
			case K_SUPER:	/* a SuperName or Target: a name here is not invoked */
				p = p < end && (*p == 0x00 || name_lead(*p)) ? f_name(p, end, &s)
									       : f_arg(w, p, end);
				break;
			default:
				p = f_bytes(p, end, 1u << (*k - K_BYTES1));
			}
		}
	}
	w->depth--;
	return p;
}

int main(int argc, char **argv)
{
	long iterations = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	uint8_t **tables;
	size_t *lens;
	int n = argc - 2;
	double best = 0;

	if (iterations <= 0) {
		fprintf(stderr, "usage: aml_floor ITERATIONS TABLE...\n");
		return 2;
	}
	kinds_init();
	tables = calloc((size_t)n, sizeof(*tables));
	lens = calloc((size_t)n, sizeof(*lens));
	if (!tables || !lens)
		return 2;
	for (int i = 0; i < n; i++)
		if (read_file(argv[i + 2], 1u << 24, &tables[i], &lens[i]) < 0 || lens[i] < 36) {
			fprintf(stderr, "aml_floor: %s: cannot read a table\n", argv[i + 2]);
			return 2;
		}
	for (long k = 0; k < iterations; k++) {
		struct timespec t0, t1;
		double us;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int i = 0; i < n; i++) {
			struct floor w = { .nmethods = 0 };
			const uint8_t *end = tables[i] + lens[i];

			if (f_list(&w, tables[i] + 36, end) != end) {
				fprintf(stderr, "aml_floor: %s: the walk failed\n", argv[i + 2]);
				return 1;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us = (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
		if (!k || us < best)
			best = us;
	}
	printf("%.1f\n", best);
	for (int i = 0; i < n; i++)
		free(tables[i]);
	free(tables);
	free(lens);
	return 0;
}
