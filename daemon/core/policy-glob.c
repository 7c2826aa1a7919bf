// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device name globs as automata over the NameSeg alphabet (A-Z, 0-9 and _,
 * the first not a digit: aml_nameseg_valid), for what the parser tells an
 * administrator of a pattern before any blob is decided: that it can match
 * no device name, or that an earlier one matches every name it would.
 * fnmatch(3) still matches names when a blob is decided; here it only
 * says which characters each token of a glob matches.  Table signature
 * globs are only asked whether they can match at all.
 */
#include <fnmatch.h>
#include <string.h>

#include "aml.h"
#include "policy-int.h"

#define STAR ((uint64_t)1 << 63)
#define MAX_STATES 64	/* of the pair walk: more, and nothing is claimed */

const char *policy_bracket_end(const char *q)
{
	if (*q == '!' || *q == '^')
		q++;
	if (*q == ']')
		q++;
	for (; *q && *q != ']'; q++) {
		if (*q == '\\' && q[1]) {
			q++;
		} else if (*q == '[' && (q[1] == ':' || q[1] == '=' || q[1] == '.')) {
			const char *close = q + 2;

			while (*close && !(close[0] == q[1] && close[1] == ']'))
				close++;
			if (!*close)
				return NULL;
			q = close + 1;
		}
	}
	return *q ? q : NULL;
}

/* The alphabet, as aml_nameseg_valid() has it: chars[k] is character k
 * (bit k of a token's set); first, those that may begin a name. */
struct alphabet {
	char chars[64];
	size_t n;
	uint64_t all, first;
};

/* Made once, when first asked for (nothing here runs threads). */
static const struct alphabet *alphabet(void)
{
	static struct alphabet a;

	if (a.n)
		return &a;
	for (int c = 1; c < 128; c++) {
		const uint8_t later[4] = { 'A', 'A', 'A', (uint8_t)c };
		const uint8_t lead[4] = { (uint8_t)c, 'A', 'A', 'A' };

		if (!aml_nameseg_valid(later))
			continue;
		if (aml_nameseg_valid(lead))
			a.first |= (uint64_t)1 << a.n;
		a.chars[a.n++] = (char)c;
	}
	a.all = ((uint64_t)1 << a.n) - 1;
	return &a;
}

/* The token of a glob at pat (not a star) into tok, as its own pattern;
 * returns what follows it, or NULL when it is too long to copy. */
static const char *glob_token(const char *pat, char tok[64])
{
	const char *last = pat;	/* the token's last character */

	if (*pat == '[')
		last = policy_bracket_end(pat + 1);
	else if (*pat == '\\' && pat[1])
		last = pat + 1;
	if (!last || (size_t)(last + 1 - pat) >= 64)
		return NULL;
	memcpy(tok, pat, (size_t)(last + 1 - pat));
	tok[last + 1 - pat] = '\0';
	return last + 1;
}

bool seg_glob_compile(const char *pat, struct seg_glob *g)
{
	const struct alphabet *a = alphabet();

	g->n = 0;
	g->exact = false;
	while (*pat) {
		const char *end;
		char tok[64], one[2] = { 0, 0 };

		if (g->n == SEG_GLOB_TOKENS)
			return false;
		if (*pat == '*') {
			while (*++pat == '*')
				;
			g->tok[g->n++] = STAR;
			continue;
		}
		if (!(end = glob_token(pat, tok)))
			return false;
		g->tok[g->n] = 0;
		for (size_t c = 0; c < a->n; c++) {
			one[0] = a->chars[c];
			if (!fnmatch(tok, one, 0))
				g->tok[g->n] |= (uint64_t)1 << c;
		}
		g->n++;
		pat = end;
	}
	g->exact = true;
	return true;
}

/*
 * A table signature is any 4 printable ASCII characters, none tied to its
 * place: a glob of a length that fits matches some signature unless one of
 * its tokens matches no printable character (a reversed range, an unknown
 * class, a lone trailing backslash), which fnmatch(3) then never matches.
 */
bool sig_glob_matches_some(const char *pat)
{
	while (*pat) {
		char tok[64], one[2] = { 0, 0 };
		const char *end;
		bool some = false;

		if (*pat == '*') {
			pat++;
			continue;
		}
		if (!(end = glob_token(pat, tok)))
			return true;	/* not judged */
		for (int c = 0x20; c < 0x7f && !some; c++) {
			one[0] = (char)c;
			some = !fnmatch(tok, one, 0);
		}
		if (!some)
			return false;
		pat = end;
	}
	return true;
}

/* The tokens reached (bit k: the first k tokens matched), with the stars
 * that may match nothing stepped over. */
static uint32_t closure(const struct seg_glob *g, uint32_t reach)
{
	for (unsigned k = 0; k < g->n; k++)
		if (reach >> k & 1 && g->tok[k] == STAR)
			reach |= (uint32_t)1 << (k + 1);
	return reach;
}

/* After one more character from the set chars (a token matching any of
 * them moves on). */
static uint32_t step(const struct seg_glob *g, uint32_t reach, uint64_t chars)
{
	uint32_t next = 0;

	for (unsigned k = 0; k < g->n; k++)
		if (reach >> k & 1)
			next |= g->tok[k] == STAR ? (uint32_t)1 << k
				: g->tok[k] & chars ? (uint32_t)1 << (k + 1) : 0;
	return next;
}

static bool accepts(const struct seg_glob *g, uint32_t reach)
{
	return closure(g, reach) >> g->n & 1;
}

bool seg_glob_matches_some(const struct seg_glob *g)
{
	const struct alphabet *a = alphabet();
	uint32_t reach = 1;

	if (!g->exact)
		return true;	/* not judged: fnmatch() decides */
	/* Whether some path of tokens fits: each place may take any
	 * character its token matches. */
	for (int pos = 0; pos < 4; pos++)
		reach = step(g, closure(g, reach), pos ? a->all : a->first);
	return accepts(g, reach);
}

bool seg_glob_covers(const struct seg_glob *e, const struct seg_glob *q)
{
	struct pair {
		uint32_t q, e;
	} cur[MAX_STATES], next[MAX_STATES];
	const struct alphabet *a = alphabet();
	size_t ncur = 1;

	if (!e->exact || !q->exact)
		return false;	/* not judged */
	/* Both automata walked together over every name, one character at
	 * a time, the pairs of what each has reached kept once. */
	cur[0] = (struct pair){ 1, 1 };
	for (int pos = 0; pos < 4; pos++) {
		size_t nnext = 0;

		for (size_t i = 0; i < ncur; i++) {
			uint32_t rq = closure(q, cur[i].q), re = closure(e, cur[i].e);

			for (unsigned c = 0; c < 64; c++) {
				uint64_t bit = (uint64_t)1 << c;
				struct pair p;
				size_t j;

				if (!((pos ? a->all : a->first) & bit))
					continue;
				p.q = step(q, rq, bit);
				if (!p.q)
					continue;	/* q matches nothing from here */
				p.e = step(e, re, bit);
				for (j = 0; j < nnext; j++)
					if (next[j].q == p.q && next[j].e == p.e)
						break;
				if (j < nnext)
					continue;
				if (nnext == MAX_STATES)
					return false;
				next[nnext++] = p;
			}
		}
		memcpy(cur, next, nnext * sizeof(*cur));
		ncur = nnext;
	}
	for (size_t i = 0; i < ncur; i++)
		if (accepts(q, cur[i].q) && !accepts(e, cur[i].e))
			return false;
	return true;
}
