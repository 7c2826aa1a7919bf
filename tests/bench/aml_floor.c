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
 * Walks every table ITERATIONS times and prints the microseconds of the
 * fastest pass over them all.
 *
 * Usage: aml_floor ITERATIONS TABLE...
 */
#include <time.h>

#include "aml.c"
#include "readfile.h"

#define FLOOR_METHODS 256

struct floor {
	const uint8_t *d;
	uint32_t mseg[FLOOR_METHODS];
	uint8_t margc[FLOOR_METHODS];
	unsigned nmethods;
	unsigned depth;
};

static int f_term(struct floor *w, size_t *pos, size_t end, bool arg);

/* An operand: the leaves here, without a call (as the parser does). */
static inline int f_arg(struct floor *w, size_t *pos, size_t end)
{
	uint8_t n;

	if (*pos < end && (n = leaf1[w->d[*pos]])) {
		if (n > end - *pos)
			return -1;
		*pos += n;
		return 0;
	}
	return f_term(w, pos, end, true);
}

static int f_list(struct floor *w, size_t pos, size_t end)
{
	while (pos < end)
		if (f_term(w, &pos, end, false))
			return -1;
	return 0;
}

/* A PkgLength; bounded: *value is the package's end, within end. */
static int f_pkg(struct floor *w, size_t *pos, size_t end, bool bounded, size_t *value)
{
	size_t s = *pos;
	unsigned n;
	uint32_t v;

	if (s >= end)
		return -1;
	n = w->d[s] >> 6;
	if (n + 1 > end - s)
		return -1;
	v = n ? w->d[s] & 0x0f : w->d[s] & 0x3f;
	for (unsigned i = 1; i <= n; i++)
		v |= (uint32_t)w->d[s + i] << (4 + 8 * (i - 1));
	*pos = s + 1 + n;
	if (!bounded)
		return 0;
	if (v < 1 + n || v > end - s)
		return -1;
	*value = s + v;
	return 0;
}

/* A NameString; *last receives its last NameSeg (0 for a NullName). */
static int f_name(struct floor *w, size_t *pos, size_t end, uint32_t *last)
{
	size_t q = *pos;
	unsigned n = 1;

	while (q < end && (w->d[q] == '\\' || w->d[q] == '^'))
		q++;
	if (q >= end)
		return -1;
	if (w->d[q] == 0x00) {
		*last = 0;
		*pos = q + 1;
		return 0;
	}
	if (w->d[q] == 0x2e) {
		n = 2;
		q++;
	} else if (w->d[q] == 0x2f) {
		if (q + 1 >= end)
			return -1;
		n = w->d[q + 1];
		q += 2;
	}
	if (!n || 4 * (size_t)n > end - q)
		return -1;
	for (unsigned i = 0; i < n; i++)
		if (!seg_ok(w->d + q + 4 * i))
			return -1;
	memcpy(last, w->d + q + 4 * (n - 1), 4);
	*pos = q + 4 * n;
	return 0;
}

static int f_bytes(size_t *pos, size_t end, size_t n)
{
	if (n > end - *pos)
		return -1;
	*pos += n;
	return 0;
}

static int f_fields(struct floor *w, size_t *pos, size_t end)
{
	while (*pos < end) {
		uint8_t c = w->d[*pos];
		size_t v;

		if (c == 0x01 || c == 0x03) {	/* AccessField, ExtendedAccessField */
			if (f_bytes(pos, end, c == 0x01 ? 3 : 4))
				return -1;
			continue;
		}
		if (c == 0x02) {		/* ConnectField */
			uint32_t s;

			(*pos)++;
			if (*pos < end && w->d[*pos] == 0x11 ? f_arg(w, pos, end)
							   : f_name(w, pos, end, &s))
				return -1;
			continue;
		}
		if (c == 0x00)
			(*pos)++;	/* ReservedField */
		else if (f_bytes(pos, end, 4) || !seg_ok(w->d + *pos - 4))
			return -1;
		if (f_pkg(w, pos, end, false, &v))
			return -1;
	}
	return 0;
}

static int f_special(struct floor *w, unsigned code, size_t *pos, size_t end)
{
	uint32_t s;
	size_t pend = end;

	switch (code) {
	case 0x06:	/* Alias */
		return f_name(w, pos, end, &s) || f_name(w, pos, end, &s);
	case 0x08:	/* Name */
		if (f_name(w, pos, end, &s))
			return -1;
		if (*pos < end && name_lead(w->d[*pos]))
			return f_name(w, pos, end, &s);
		return f_arg(w, pos, end);
	case 0x0d:	/* String */
		while (*pos < end && w->d[*pos])
			(*pos)++;
		return f_bytes(pos, end, 1);
	case 0x15:	/* External */
		return f_name(w, pos, end, &s) || f_bytes(pos, end, 2);
	}
	if (f_pkg(w, pos, end, true, &pend))
		return -1;
	switch (code) {
	case 0x10:	/* Scope */
	case 0x5b82:	/* Device */
	case 0x5b85:	/* ThermalZone */
		if (f_name(w, pos, pend, &s))
			return -1;
		break;
	case 0x14:	/* Method */
		if (f_name(w, pos, pend, &s) || *pos >= pend)
			return -1;
		if (w->nmethods < FLOOR_METHODS) {
			w->mseg[w->nmethods] = s;
			w->margc[w->nmethods++] = w->d[*pos] & 7;
		}
		(*pos)++;
		break;
	case 0x5b83:	/* Processor */
		if (f_name(w, pos, pend, &s) || f_bytes(pos, pend, 6))
			return -1;
		break;
	case 0x5b84:	/* PowerResource */
		if (f_name(w, pos, pend, &s) || f_bytes(pos, pend, 3))
			return -1;
		break;
	case 0xa0:	/* If */
	case 0xa2:	/* While */
		if (f_arg(w, pos, pend))
			return -1;
		break;
	case 0xa1:	/* Else */
		break;
	case 0x11:	/* Buffer: the size, then bytes */
		if (f_arg(w, pos, pend))
			return -1;
		*pos = pend;
		return 0;
	case 0x12:	/* Package */
	case 0x13:	/* VarPackage */
		if (code == 0x12 ? f_bytes(pos, pend, 1) : f_arg(w, pos, pend))
			return -1;
		while (*pos < pend)
			if (name_lead(w->d[*pos]) ? f_name(w, pos, pend, &s)
						  : f_arg(w, pos, pend))
				return -1;
		return 0;
	case 0x5b81:	/* Field */
	case 0x5b86:	/* IndexField */
	case 0x5b87:	/* BankField */
		if (f_name(w, pos, pend, &s) ||
		    (code != 0x5b81 && f_name(w, pos, pend, &s)) ||
		    (code == 0x5b87 && f_arg(w, pos, pend)) || f_bytes(pos, pend, 1) ||
		    f_fields(w, pos, pend))
			return -1;
		return 0;
	default:
		return -1;
	}
	if (f_list(w, *pos, pend))
		return -1;
	*pos = pend;
	return 0;
}

static int f_term(struct floor *w, size_t *pos, size_t end, bool arg)
{
	size_t at = *pos;
	const struct opdesc *d;
	unsigned code;
	uint32_t s;
	uint8_t c;
	int rc = 0;

	if (at >= end)
		return -1;
	c = w->d[at];
	if (name_lead(c)) {	/* an invocation or a name read */
		int argc = 0;

		if (f_name(w, pos, end, &s))
			return -1;
		for (unsigned i = 0; i < w->nmethods; i++)
			if (w->mseg[i] == s)
				argc = w->margc[i];
		while (argc-- > 0)
			if (f_arg(w, pos, end))
				return -1;
		return 0;
	}
	if (++w->depth > AML_MAX_DEPTH)
		return -1;
	(*pos)++;
	if (c == 0x5b) {
		if (*pos >= end)
			return -1;
		code = 0x5b00 | w->d[*pos];
		d = &ops2[w->d[(*pos)++]];
	} else {
		code = c;
		d = &ops1[c];
	}
	if (!cls_fits[arg][d->cls])
		return -1;
	if (d->cls >= C_SPECIAL) {
		rc = f_special(w, code, pos, end);
	} else {
		for (const char *a = d->args; *a && !rc; a++) {
			switch (*a) {
			case 'b':
			case 'w':
			case 'd':
			case 'q':
				rc = f_bytes(pos, end, *a == 'b' ? 1 : *a == 'w' ? 2 : *a == 'd' ? 4 : 8);
				break;
			case 'n':
			case 'N':
				rc = f_name(w, pos, end, &s);
				break;
			case 't':
			case 'r':
				rc = f_arg(w, pos, end);
				break;
			default:	/* a SuperName or Target: a name here is not invoked */
				if (*pos < end && (w->d[*pos] == 0x00 || name_lead(w->d[*pos])))
					rc = f_name(w, pos, end, &s);
				else
					rc = f_arg(w, pos, end);
			}
		}
	}
	w->depth--;
	return rc;
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
			struct floor w = { .d = tables[i] };

			if (f_list(&w, 36, lens[i])) {
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
