// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The policy language: a line-oriented lexer and a small recursive-descent
 * parser.  Every line is parsed on its own, so one bad line yields one error
 * and the rest of the file is still checked: all errors are reported.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"
#include "policy-int.h"

enum tok_kind { TOK_WORD, TOK_STRING, TOK_LPAREN, TOK_RPAREN };

struct tok {
	enum tok_kind kind;
	char *text;		/* NUL-terminated, escapes resolved */
	unsigned col;
};

struct line {
	struct tok *v;
	size_t n, cap;
	size_t pos;		/* parser cursor */
	const char *file;
	unsigned lineno;
	unsigned end_col;	/* column just past the last token */
	struct diags *d;
	bool failed;		/* the line has an error: its rule is not kept */
	unsigned failed_col;	/* of the last error, so that one mistake is one error */
};

/* Setting slots for "already set" errors. */
enum setting_slot {
	SET_MODE, SET_MAX_AREA, SET_MAX_BLOBS, SET_INPUT_TIMEOUT, SET_ON_INVALID,
	SET_GATE, SET_GATE_TIMEOUT, SET_LOG_LIMIT, SET_NSLOTS
};

__attribute__((format(printf, 3, 4)))
static void line_error(struct line *l, unsigned col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	/* Every mistake on a line is reported; the parser goes on past those
	 * it can step over, and a second error at the same place is one too many. */
	if (l->failed && col == l->failed_col)
		return;
	l->failed = true;
	l->failed_col = col;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diags_add(l->d, l->file, l->lineno, col, false, "%s", msg);
}

static const struct tok *peek(const struct line *l)
{
	return l->pos < l->n ? &l->v[l->pos] : NULL;
}

static bool peek_word(const struct line *l, const char *w)
{
	const struct tok *t = peek(l);

	return t && t->kind == TOK_WORD && !strcmp(t->text, w);
}

static unsigned peek_col(const struct line *l)
{
	const struct tok *t = peek(l);

	return t ? t->col : l->end_col;
}

/* Words that end a condition or start a clause. */
static bool is_clause_word(const struct tok *t)
{
	return t && t->kind == TOK_WORD &&
	       (!strcmp(t->text, "if") || !strcmp(t->text, "to") ||
		!strcmp(t->text, "reason") || !strcmp(t->text, "label"));
}

/* ---- lexer ---------------------------------------------------------- */

static int line_push(struct line *l, enum tok_kind kind, const char *s, size_t n, unsigned col)
{
	struct tok *t;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct tok *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	t = &l->v[l->n];
	t->text = malloc(n + 1);
	if (!t->text)
		return -1;
	memcpy(t->text, s, n);
	t->text[n] = '\0';
	t->kind = kind;
	t->col = col;
	l->n++;
	return 0;
}

static void line_reset(struct line *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	l->n = 0;
	l->pos = 0;
	l->failed = false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_word_char(char c)
{
	return c > ' ' && c < 0x7f && c != '"' && c != '(' && c != ')';
}

/*
 * Split s[0..n) (one line, no '\n') into tokens.  A '#' at the start of a
 * token begins a comment.  Returns -1 on a lexical error (already reported)
 * or on no memory.
 */
static int lex_line(struct line *l, const char *s, size_t n)
{
	size_t i = 0, last = 0;	/* last: just past the last token */
	char *buf = NULL;

	while (i < n) {
		unsigned col = (unsigned)i + 1;
		unsigned char c = (unsigned char)s[i];

		if (is_space((char)c)) {
			i++;
			continue;
		} else if (c == '#') {
			break;
		} else if (c == '(' || c == ')') {
			if (line_push(l, c == '(' ? TOK_LPAREN : TOK_RPAREN, s + i, 1, col))
				goto nomem;
			i++;
		} else if (c == '"') {
			size_t o = 0;

			free(buf);
			buf = malloc(n - i);
			if (!buf)
				goto nomem;
			for (i++;; i++) {
				if (i >= n) {
					line_error(l, col, "unterminated string: the closing \" is missing");
					goto fail;
				}
				if (s[i] == '"')
					break;
				if (s[i] == '\\') {
					if (i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\')) {
						buf[o++] = s[++i];
						continue;
					}
					line_error(l, (unsigned)i + 1,
				    "unknown escape in string: only \\\" and \\\\ are allowed");
					goto fail;
				}
				if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) {
					line_error(l, (unsigned)i + 1,
				    "strings may hold printable ASCII characters only");
					goto fail;
				}
				buf[o++] = s[i];
			}
			i++;	/* closing quote */
			if (line_push(l, TOK_STRING, buf, o, col))
				goto nomem;
		} else if (is_word_char((char)c)) {
			size_t start = i;

			while (i < n && is_word_char(s[i]))
				i++;
			if (line_push(l, TOK_WORD, s + start, i - start, col))
				goto nomem;
		} else {
			line_error(l, col, c < 0x20 || c == 0x7f
				   ? "unexpected control character (byte 0x%02x)"
				   : "unexpected byte 0x%02x outside a string or comment", c);
			goto fail;
		}
		last = i;
	}
	/* Where a missing value would go: not past a comment. */
	l->end_col = (unsigned)last + 1;
	free(buf);
	return 0;
nomem:
	line_error(l, (unsigned)i + 1, "out of memory");
fail:
	free(buf);
	return -1;
}

/* ---- values --------------------------------------------------------- */

/* Decimal digits only; *end past them.  Returns -1 on overflow or none. */
static int parse_u64(const char *s, uint64_t *v, const char **end)
{
	uint64_t x = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned dgt = (unsigned)(*p - '0');

		if (x > (UINT64_MAX - dgt) / 10)
			return -1;
		x = x * 10 + dgt;
	}
	*v = x;
	*end = p;
	return 0;
}

/* "1M", "256K", "4096": bytes, K/M/G are powers of 1024. */
static int parse_size(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v, mul = 1;

	if (parse_u64(s, &v, &end))
		return -1;
	if (*end == 'K' || *end == 'k')
		mul = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1024 * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1024 * 1024 * 1024, end++;
	if (*end || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

/* "10s", "500ms". */
static int parse_time_ms(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;

	if (parse_u64(s, &v, &end))
		return -1;
	if (!strcmp(end, "ms"))
		*out = v;
	else if (!strcmp(end, "s") && v <= UINT64_MAX / 1000)
		*out = v * 1000;
	else
		return -1;
	return 0;
}

/*
 * Shortest and longest string a glob can match, or -1 for an unterminated
 * bracket expression.  max is SIZE_MAX when it contains '*'.
 */
static int glob_span(const char *p, size_t *min, size_t *max)
{
	size_t lo = 0, hi = 0;
	bool star = false;

	while (*p) {
		if (*p == '*') {
			star = true;
			p++;
		} else if (*p == '[') {
			const char *q = policy_bracket_end(p + 1);

			if (!q)
				return -1;
			p = q + 1;
			lo++, hi++;
		} else {
			if (*p == '\\' && p[1])
				p++;
			p++;
			lo++, hi++;
		}
	}
	*min = lo;
	*max = star ? SIZE_MAX : hi;
	return 0;
}

bool policy_glob_is_literal(const char *pat)
{
	return !strpbrk(pat, "*?[\\");
}

/* A value: a word or a string; NULL (and an error) when missing. */
static const struct tok *take_value(struct line *l, const char *what)
{
	const struct tok *t = peek(l);

	if (!t || (t->kind != TOK_WORD && t->kind != TOK_STRING) ||
	    (t->kind == TOK_WORD && is_clause_word(t))) {
		line_error(l, peek_col(l), "%s is missing", what);
		return NULL;
	}
	l->pos++;
	return t;
}

static bool check_glob(struct line *l, const struct tok *t, const char *what)
{
	size_t lo, hi;

	if (glob_span(t->text, &lo, &hi)) {
		line_error(l, t->col, "%s '%s' has a '[' without its closing ']'", what, t->text);
		return false;
	}
	return true;
}

/* ---- conditions ----------------------------------------------------- */

static void cond_free(struct cond *c);

static struct cond *cond_new(struct line *l, enum cond_kind kind)
{
	struct cond *c = calloc(1, sizeof(*c));

	if (!c)
		line_error(l, peek_col(l), "out of memory");
	else
		c->kind = kind;
	return c;
}

static void cond_free(struct cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	free(c->str);
	free(c->value);
	free(c);
}

static bool cond_add_kid(struct line *l, struct cond *parent, struct cond *kid)
{
	struct cond **v;

	/* Flatten "a and (b and c)": same meaning, one normal form. */
	if (kid->kind == parent->kind && parent->kind != COND_NOT) {
		for (size_t i = 0; i < kid->nkids; i++) {
			if (!cond_add_kid(l, parent, kid->kids[i])) {
				for (size_t j = i + 1; j < kid->nkids; j++)
					cond_free(kid->kids[j]);
				kid->nkids = 0;
				cond_free(kid);
				return false;
			}
		}
		kid->nkids = 0;
		cond_free(kid);
		return true;
	}
	v = realloc(parent->kids, (parent->nkids + 1) * sizeof(*v));
	if (!v) {
		line_error(l, peek_col(l), "out of memory");
		cond_free(kid);
		return false;
	}
	parent->kids = v;
	parent->kids[parent->nkids++] = kid;
	return true;
}

static bool parse_cmp(struct line *l, enum cmp_op *op)
{
	static const char *const names[] = { "==", "!=", "<", "<=", ">", ">=" };
	const struct tok *t = peek(l);

	for (size_t i = 0; t && t->kind == TOK_WORD && i < 6; i++) {
		if (!strcmp(t->text, names[i])) {
			*op = (enum cmp_op)i;
			l->pos++;
			return true;
		}
	}
	line_error(l, peek_col(l), "a comparison (==, !=, <, <=, >, >=) is expected here");
	return false;
}

static bool valid_key_path(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 200 || s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-/.", *p))
			return false;
	for (const char *p = s; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
			return false;
	}
	return true;
}

static struct cond *parse_or(struct line *l, unsigned depth);

static struct cond *parse_atom(struct line *l, unsigned depth)
{
	const struct tok *t = peek(l);
	const struct tok *v;
	struct cond *c = NULL;
	const char *w;

	if (depth > POLICY_COND_DEPTH) {
		line_error(l, peek_col(l), "conditions are nested too deeply (at most %d levels)",
			   POLICY_COND_DEPTH);
		return NULL;
	}
	if (!t || is_clause_word(t)) {
		line_error(l, peek_col(l), "a condition is expected here");
		return NULL;
	}
	if (t->kind == TOK_LPAREN) {
		l->pos++;
		c = parse_or(l, depth + 1);
		if (!c)
			return NULL;
		if (!peek(l) || peek(l)->kind != TOK_RPAREN) {
			line_error(l, peek_col(l), "')' is missing");
			cond_free(c);
			return NULL;
		}
		l->pos++;
		return c;
	}
	if (t->kind != TOK_WORD) {
		line_error(l, t->col, "a condition is expected here, not %s",
			   t->kind == TOK_STRING ? "a string" : "')'");
		return NULL;
	}
	w = t->text;
	l->pos++;
	if (!strcmp(w, "not")) {
		struct cond *kid = parse_atom(l, depth + 1);

		if (!kid)
			return NULL;
		c = cond_new(l, COND_NOT);
		if (c && !cond_add_kid(l, c, kid)) {
			cond_free(c);
			return NULL;
		}
		if (!c)
			cond_free(kid);
		return c;
	}
	if (!strcmp(w, "domain-name") || !strcmp(w, "oem-id") || !strcmp(w, "oem-table-id") ||
	    !strcmp(w, "hid")) {
		enum cond_kind k = !strcmp(w, "domain-name") ? COND_DOMAIN_NAME
				 : !strcmp(w, "oem-id") ? COND_OEM_ID
				 : !strcmp(w, "oem-table-id") ? COND_OEM_TABLE_ID : COND_HID;
		char what[40];

		snprintf(what, sizeof(what), "the value after %s", w);
		v = take_value(l, what);
		if (!v)
			return NULL;
		if (k == COND_HID) {
			if (!v->text[0] || strlen(v->text) > 15) {
				line_error(l, v->col, "a hid is 1 to 15 characters, e.g. \"ACPI0012\"");
				return NULL;
			}
		} else if (!check_glob(l, v, "pattern")) {
			return NULL;
		}
		c = cond_new(l, k);
		if (c && !(c->str = strdup(v->text))) {
			line_error(l, v->col, "out of memory");
			cond_free(c);
			return NULL;
		}
		return c;
	}
	if (!strcmp(w, "domain-key")) {
		v = take_value(l, "the key path after domain-key");
		if (!v)
			return NULL;
		if (!valid_key_path(v->text)) {
			line_error(l, v->col,
				   "domain-key '%s' is not a relative xenstore path (letters, digits, _ - . /, e.g. platform/nvdimm)",
				   v->text);
			return NULL;
		}
		c = cond_new(l, COND_DOMAIN_KEY);
		if (!c)
			return NULL;
		c->col = v->col;
		if (!(c->str = strdup(v->text)))
			goto nomem;
		if (peek_word(l, "==")) {
			l->pos++;
			v = take_value(l, "the value after ==");
			if (!v) {
				cond_free(c);
				return NULL;
			}
			if (!(c->value = strdup(v->text)))
				goto nomem;
		}
		return c;
	}
	if (!strcmp(w, "size") || !strcmp(w, "revision")) {
		bool is_size = w[0] == 's';
		enum cmp_op op;
		uint64_t n;
		const char *end;

		if (!parse_cmp(l, &op))
			return NULL;
		v = take_value(l, is_size ? "the size to compare with" : "the revision to compare with");
		if (!v)
			return NULL;
		if (is_size ? parse_size(v->text, &n) || n > UINT32_MAX
			    : parse_u64(v->text, &n, &end) || *end || n > 255) {
			line_error(l, v->col, is_size
				   ? "bad size '%s': write bytes, or a number with K, M or G (e.g. 4096, 256K, 1M), below 4G"
				   : "bad revision '%s': write a number from 0 to 255", v->text);
			return NULL;
		}
		c = cond_new(l, is_size ? COND_SIZE : COND_REVISION);
		if (c) {
			c->op = op;
			c->num = n;
		}
		return c;
	}
	l->pos--;
	line_error(l, t->col,
		   "unknown condition '%s' (expected domain-name, domain-key, size, oem-id, oem-table-id, revision, hid, not or '(')",
		   w);
	return NULL;
nomem:
	line_error(l, peek_col(l), "out of memory");
	cond_free(c);
	return NULL;
}

static struct cond *parse_and(struct line *l, unsigned depth)
{
	struct cond *first = parse_atom(l, depth), *c;

	if (!first || !peek_word(l, "and"))
		return first;
	c = cond_new(l, COND_AND);
	if (!c || !cond_add_kid(l, c, first)) {
		if (!c)
			cond_free(first);
		cond_free(c);
		return NULL;
	}
	while (peek_word(l, "and")) {
		struct cond *kid;

		l->pos++;
		kid = parse_atom(l, depth);
		if (!kid || !cond_add_kid(l, c, kid)) {
			cond_free(c);
			return NULL;
		}
	}
	return c;
}

static struct cond *parse_or(struct line *l, unsigned depth)
{
	struct cond *first = parse_and(l, depth), *c;

	if (!first || !peek_word(l, "or"))
		return first;
	c = cond_new(l, COND_OR);
	if (!c || !cond_add_kid(l, c, first)) {
		if (!c)
			cond_free(first);
		cond_free(c);
		return NULL;
	}
	while (peek_word(l, "or")) {
		struct cond *kid;

		l->pos++;
		kid = parse_and(l, depth);
		if (!kid || !cond_add_kid(l, c, kid)) {
			cond_free(c);
			return NULL;
		}
	}
	return c;
}

/* ---- rules ---------------------------------------------------------- */

static void rule_clear(struct rule *r)
{
	for (size_t i = 0; i < r->npats; i++)
		free(r->pats[i]);
	free(r->pats);
	free(r->globs);
	cond_free(r->cond);
	free(r->reason);
	free(r->label);
	memset(r, 0, sizeof(*r));
}

void policy_rule_free(struct rule *r)
{
	rule_clear(r);
}

void policy_cond_free(struct cond *c)
{
	cond_free(c);
}

static bool valid_nameseg(const char *s)
{
	return strlen(s) == 4 && aml_nameseg_valid((const uint8_t *)s);
}

static bool parse_patterns(struct line *l, struct rule *r)
{
	const char *what = r->sel == SEL_TABLE ? "table signature" : "device name";

	while (peek(l) && !is_clause_word(peek(l))) {
		const struct tok *t = peek(l);
		struct seg_glob g, *gv;
		size_t lo, hi;
		char **v;

		if (t->kind != TOK_WORD && t->kind != TOK_STRING) {
			line_error(l, t->col, "a %s is expected here", what);
			return false;
		}
		if (glob_span(t->text, &lo, &hi)) {
			line_error(l, t->col, "%s pattern '%s' has a '[' without its closing ']'",
				   what, t->text);
			l->pos++;
			continue;
		}
		if (lo > 4 || hi < 4) {
			line_error(l, t->col, "%s '%s' can never match: %ss are 4 characters",
				   what, t->text, what);
			l->pos++;
			continue;
		}
		if (r->sel == SEL_TABLE && !sig_glob_matches_some(t->text)) {
			line_error(l, t->col,
				   "table signature '%s' can never match: a part of it matches no "
				   "printable character", t->text);
			l->pos++;
			continue;
		}
		if (r->sel == SEL_DEVICE) {
			/* A lower-case letter outside brackets: a bracket
			 * expression's members ("[!a]", "[[:alpha:]]") may
			 * well match an upper-case one. */
			const char *p = t->text;

			while (*p && !islower((unsigned char)*p)) {
				if (*p == '[')
					p = policy_bracket_end(p + 1) + 1;	/* closed: glob_span() said */
				else if (*p == '\\' && p[1])
					p += islower((unsigned char)p[1]) ? 1 : 2;	/* quoted */
				else
					p++;
			}
			if (*p) {
				line_error(l, t->col,
					   "device names are upper case ('%s' can never match)", t->text);
				l->pos++;
				continue;
			}
			seg_glob_compile(t->text, &g);	/* too long: not judged */
			if (!seg_glob_matches_some(&g)) {
				line_error(l, t->col,
					   "device name '%s' can never match: device names are A-Z, "
					   "0-9 and _, and do not start with a digit", t->text);
				l->pos++;
				continue;
			}
			gv = realloc(r->globs, (r->npats + 1) * sizeof(*gv));
			if (!gv) {
				line_error(l, t->col, "out of memory");
				return false;
			}
			r->globs = gv;
			gv[r->npats] = g;
		}
		v = realloc(r->pats, (r->npats + 1) * sizeof(*v));
		if (!v || !(v[r->npats] = strdup(t->text))) {
			if (v)
				r->pats = v;
			line_error(l, t->col, "out of memory");
			return false;
		}
		r->pats = v;
		r->npats++;
		l->pos++;
	}
	if (!r->npats && !l->failed) {
		line_error(l, peek_col(l), "'%s' needs at least one %s or pattern, e.g. %s",
			   r->sel == SEL_TABLE ? "table" : "device", what,
			   r->sel == SEL_TABLE ? "'table NFIT'" : "'device NVDR'");
		return false;
	}
	return r->npats || l->failed;	/* bad patterns: reported, go on */
}

/* ID of at most max printable characters; a bad one is reported and stepped over. */
static bool parse_oem(struct line *l, char *out, size_t max, const char *what)
{
	const struct tok *t = take_value(l, what);

	if (!t)
		return false;
	if (!t->text[0] || strlen(t->text) > max)
		line_error(l, t->col, "%s must be 1 to %zu characters", what, max);
	else
		strcpy(out, t->text);
	return true;
}

static bool take_text(struct line *l, char **out, const char *what)
{
	const struct tok *kw = peek(l);
	const struct tok *t;

	l->pos++;
	if (*out) {
		line_error(l, kw->col, "%s is given twice", what);
		return false;
	}
	t = peek(l);
	if (!t || t->kind != TOK_STRING) {
		line_error(l, peek_col(l), "%s needs a quoted string, e.g. %s \"why\"", what, what);
		return false;
	}
	if (strlen(t->text) > POLICY_TEXT_MAX) {
		line_error(l, t->col, "%s is longer than %d characters", what, POLICY_TEXT_MAX);
		l->pos++;
		return true;
	}
	*out = strdup(t->text);
	if (!*out) {
		line_error(l, t->col, "out of memory");
		return false;
	}
	l->pos++;
	return true;
}

/* A comparison of two device globs' automata, counted in the budget's
 * units: it takes as long as a few hundred comparisons of strings. */
#define SHADOW_GLOB_COST 256

static bool selector_covers(struct policy *p, const struct rule *early, const struct rule *late)
{
	if (early->sel == SEL_ANY)
		return true;
	if (early->sel != late->sel)
		return false;
	for (size_t i = 0; i < late->npats; i++) {
		bool covered = false;

		for (size_t j = 0; j < early->npats && !covered; j++) {
			const char *e = early->pats[j], *q = late->pats[i];

			p->shadow_checks++;
			covered = !strcmp(e, q) || !strcmp(e, "*") || !strcmp(e, "????") ||
				  (policy_glob_is_literal(q) && !fnmatch(e, q, 0));
			/* Glob against glob: device names are NameSegs. */
			if (!covered && late->sel == SEL_DEVICE) {
				p->shadow_checks += SHADOW_GLOB_COST;
				covered = seg_glob_covers(&early->globs[j], &late->globs[i]);
			}
		}
		if (!covered)
			return false;
	}
	return true;
}

static void warn_shadowed(struct policy *p, const struct rule *r, struct diags *d)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct rule *e = &p->rules[i];

		/* Each earlier rule counts, whether compared or not. */
		if (p->shadow_checks == SIZE_MAX)
			return;	/* stopped, and said so */
		if (++p->shadow_checks > POLICY_SHADOW_BUDGET) {
			diags_add(d, r->file, r->line, r->col, true,
				  "too many rules: from this one on, rules that never match "
				  "are not looked for");
			p->shadow_checks = SIZE_MAX;
			return;
		}
		if (!e->cond && selector_covers(p, e, r)) {
			diags_add(d, r->file, r->line, r->col, true,
				  "this rule never matches: the rule at %s:%u matches every blob it would, and first",
				  e->file, e->line);
			return;
		}
	}
}

static void parse_rule(struct policy *p, struct line *l, enum action action, struct diags *d)
{
	struct rule r = { 0 };
	const struct tok *t;
	bool has_to = false;

	r.file = l->file;
	r.line = l->lineno;
	r.col = l->v[0].col;
	r.action = action;
	l->pos = 1;
	t = peek(l);
	if (t && t->kind == TOK_WORD && !strcmp(t->text, "any")) {
		r.sel = SEL_ANY;
		l->pos++;
	} else if (t && t->kind == TOK_WORD && !strcmp(t->text, "table")) {
		r.sel = SEL_TABLE;
		l->pos++;
		if (!parse_patterns(l, &r))
			goto out;
	} else if (t && t->kind == TOK_WORD && !strcmp(t->text, "device")) {
		r.sel = SEL_DEVICE;
		l->pos++;
		if (!parse_patterns(l, &r))
			goto out;
	} else {
		line_error(l, peek_col(l), "%s needs what it applies to: table SIG..., device NAME... or any",
			   action_name(action));
		goto out;
	}
	if (action == ACTION_RENAME && r.sel != SEL_DEVICE) {
		line_error(l, l->v[1].col, "rename applies to devices only: rename device NAME... to NEW");
	}
	if (action == ACTION_SET_OEM && r.sel != SEL_TABLE) {
		line_error(l, l->v[1].col,
			   "set-oem applies to tables only: set-oem table SIG... to OEMID [TABLEID]");
	}
	while ((t = peek(l))) {
		if (t->kind == TOK_WORD && !strcmp(t->text, "to")) {
			if (action != ACTION_RENAME && action != ACTION_SET_OEM) {
				line_error(l, t->col, "'to' only follows rename or set-oem");
				goto out;
			}
			if (has_to) {
				line_error(l, t->col, "'to' is given twice");
				goto out;
			}
			has_to = true;
			l->pos++;
			if (action == ACTION_RENAME) {
				const struct tok *n = take_value(l, "the new device name after 'to'");

				if (!n)
					goto out;
				if (!valid_nameseg(n->text))
					line_error(l, n->col,
				    "'%s' is not a device name: 4 characters, A-Z or _ then A-Z, 0-9 or _",
				    n->text);
				else
					memcpy(r.new_name, n->text, 5);
			} else {
				if (!parse_oem(l, r.oem_id, 6, "the OEM ID"))
					goto out;
				t = peek(l);
				if (t && (t->kind == TOK_STRING || (t->kind == TOK_WORD && !is_clause_word(t)))) {
					if (!parse_oem(l, r.oem_table_id, 8, "the OEM table ID"))
						goto out;
					r.has_oem_table_id = true;
				}
			}
		} else if (t->kind == TOK_WORD && !strcmp(t->text, "if")) {
			if (r.cond) {
				line_error(l, t->col, "'if' is given twice; join conditions with and/or");
				goto out;
			}
			l->pos++;
			r.cond = parse_or(l, 0);
			if (!r.cond)
				goto out;
			t = peek(l);
			if (t && !is_clause_word(t)) {
				line_error(l, t->col, "'%s' is not expected here: join conditions with and/or",
			    t->kind == TOK_RPAREN ? ")" : t->text);
				goto out;
			}
		} else if (t->kind == TOK_WORD && !strcmp(t->text, "reason")) {
			if (!take_text(l, &r.reason, "reason"))
				goto out;
		} else if (t->kind == TOK_WORD && !strcmp(t->text, "label")) {
			if (!take_text(l, &r.label, "label"))
				goto out;
		} else {
			line_error(l, t->col, "'%s' is not expected here (expected if, reason or label)",
				   t->kind == TOK_LPAREN ? "(" : t->kind == TOK_RPAREN ? ")" : t->text);
			goto out;
		}
	}
	if (l->failed)
		goto out;
	if ((action == ACTION_RENAME || action == ACTION_SET_OEM) && !has_to) {
		line_error(l, l->end_col, action == ACTION_RENAME
			   ? "rename needs the new name: rename device NAME... to NEW"
			   : "set-oem needs the new id: set-oem table SIG... to OEMID [TABLEID]");
		goto out;
	}
	{
		struct rule *v = realloc(p->rules, (p->nrules + 1) * sizeof(*v));

		if (!v) {
			line_error(l, r.col, "out of memory");
			goto out;
		}
		p->rules = v;
	}
	warn_shadowed(p, &r, d);
	p->rules[p->nrules++] = r;
	return;
out:
	rule_clear(&r);
}

/* ---- settings ------------------------------------------------------- */

static bool setting_once(struct policy *p, struct line *l, enum setting_slot slot)
{
	if (p->set_file[slot]) {
		line_error(l, l->v[0].col, "%s is already set at %s:%u", l->v[0].text,
			   p->set_file[slot], p->set_line[slot]);
		return false;
	}
	p->set_file[slot] = l->file;
	p->set_line[slot] = l->lineno;
	return true;
}

static const struct tok *setting_arg(struct line *l)
{
	const struct tok *t;

	l->pos = 1;
	t = peek(l);
	if (!t || (t->kind != TOK_WORD && t->kind != TOK_STRING)) {
		line_error(l, peek_col(l), "%s needs a value", l->v[0].text);
		return NULL;
	}
	if (l->n > 2) {
		line_error(l, l->v[2].col, "unexpected '%s' after the value of %s",
			   l->v[2].kind == TOK_LPAREN ? "(" : l->v[2].kind == TOK_RPAREN ? ")" : l->v[2].text,
			   l->v[0].text);
		return NULL;
	}
	return t;
}

/* path as named in file: relative to file's directory (policy-load.c
 * makes what is still relative absolute). */
static char *resolve_path(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');
	size_t dirlen;
	char *out;

	if (path[0] == '/' || !slash)
		return strdup(path);
	dirlen = (size_t)(slash - file);
	out = malloc(dirlen + 1 + strlen(path) + 1);
	if (out)
		sprintf(out, "%.*s/%s", (int)dirlen, file, path);
	return out;
}

static void parse_xen_namespace(struct policy *p, struct line *l)
{
	if (l->n < 2) {
		line_error(l, l->end_col, "xen-namespace needs one or more files (hvmloader or .aml), or none");
		return;
	}
	if (l->n == 2 && l->v[1].kind == TOK_WORD && !strcmp(l->v[1].text, "none")) {
		p->ns_none = true;
		return;
	}
	for (size_t i = 1; i < l->n; i++) {
		const struct tok *t = &l->v[i];
		struct ns_path *v;

		if (t->kind != TOK_WORD && t->kind != TOK_STRING) {
			line_error(l, t->col, "a file name is expected here");
			return;
		}
		if (!t->text[0]) {
			line_error(l, t->col, "the file name is empty");
			return;
		}
		v = realloc(p->ns_paths, (p->nns_paths + 1) * sizeof(*v));
		if (!v) {
			line_error(l, t->col, "out of memory");
			return;
		}
		p->ns_paths = v;
		v[p->nns_paths].path = resolve_path(l->file, t->text);
		if (!v[p->nns_paths].path) {
			line_error(l, t->col, "out of memory");
			return;
		}
		v[p->nns_paths].file = l->file;
		v[p->nns_paths].line = l->lineno;
		v[p->nns_paths].col = t->col;
		p->nns_paths++;
	}
}

/*
 * "\_SB.PCI0._STA" (segments of 1-4 characters, '_' padded) into the
 * normalized form of aml.h, "\_SB_.PCI0._STA"; false when it is not an
 * absolute name.
 */
static bool normalize_method_path(const char *s, char out[AML_PATH_MAX])
{
	size_t o = 1;

	if (s[0] != '\\' || !s[1])
		return false;
	out[0] = '\\';
	for (s++;;) {
		size_t n = strcspn(s, ".");

		if (n < 1 || n > 4 || o + 5 >= AML_PATH_MAX)
			return false;
		for (size_t i = 0; i < 4; i++) {
			char c = i < n ? s[i] : '_';

			if (!(c == '_' || (c >= 'A' && c <= 'Z') || (i && c >= '0' && c <= '9')))
				return false;
			out[o++] = c;
		}
		s += n;
		if (!*s)
			break;
		out[o++] = '.';
		s++;
	}
	out[o] = '\0';
	return true;
}

/* allow-call PATH...: methods outside its device that a device body may call. */
static void parse_allow_call(struct policy *p, struct line *l)
{
	if (l->n < 2) {
		line_error(l, l->end_col, "allow-call needs one or more absolute method names (e.g. \\_SB.PCI0._STA)");
		return;
	}
	for (size_t i = 1; i < l->n; i++) {
		const struct tok *t = &l->v[i];
		char path[AML_PATH_MAX], **v;

		if ((t->kind != TOK_WORD && t->kind != TOK_STRING) ||
		    !normalize_method_path(t->text, path)) {
			line_error(l, t->col,
				   "'%s' is not an absolute ACPI name: write \\ then segments of 1-4 characters (A-Z 0-9 _) joined by '.'",
				   t->kind == TOK_WORD || t->kind == TOK_STRING ? t->text : "(");
			continue;
		}
		v = realloc(p->calls, (p->ncalls + 1) * sizeof(*v));
		if (!v || !(v[p->ncalls] = strdup(path))) {
			if (v)
				p->calls = v;
			line_error(l, t->col, "out of memory");
			return;
		}
		p->calls = v;
		p->ncalls++;
	}
}

/* "10/60s": verdicts a domain may log in that time; "none": every one. */
static bool parse_log_limit(struct line *l, const struct tok *t, struct policy_settings *s)
{
	const char *slash = strchr(t->text, '/'), *end;
	uint64_t n, ms;
	char num[24];

	if (!strcmp(t->text, "none")) {
		s->log_limit = 0;
		return true;
	}
	if (slash && (size_t)(slash - t->text) < sizeof(num)) {
		memcpy(num, t->text, (size_t)(slash - t->text));
		num[slash - t->text] = '\0';
		if (!parse_u64(num, &n, &end) && !*end && n >= 1 && n <= POLICY_LOG_LIMIT_MAX &&
		    !parse_time_ms(slash + 1, &ms) && ms >= 1000 && ms <= 3600 * 1000) {
			s->log_limit = (uint32_t)n;
			s->log_window_ms = (uint32_t)ms;
			return true;
		}
	}
	line_error(l, t->col,
		   "bad log-limit '%s': write N/TIME, the verdicts a domain may log in TIME (e.g. 10/60s; N from 1 to %u, TIME from 1s to 3600s), or none",
		   t->text, POLICY_LOG_LIMIT_MAX);
	return false;
}

static void parse_setting_value(struct policy *p, struct line *l, const char *kw)
{
	struct policy_settings *s = &p->settings;
	const struct tok *t;
	uint64_t v;

	if (!strcmp(kw, "xen-namespace")) {
		parse_xen_namespace(p, l);
		return;
	}
	if (!strcmp(kw, "allow-call")) {
		parse_allow_call(p, l);
		return;
	}
	t = setting_arg(l);
	if (!t)
		return;
	if (!strcmp(kw, "mode")) {
		if (!strcmp(t->text, "enforce"))
			s->mode = MODE_ENFORCE;
		else if (!strcmp(t->text, "permissive"))
			s->mode = MODE_PERMISSIVE;
		else {
			line_error(l, t->col, "mode is enforce or permissive, not '%s'", t->text);
			return;
		}
		setting_once(p, l, SET_MODE);
	} else if (!strcmp(kw, "on-invalid")) {
		if (!strcmp(t->text, "reject"))
			s->on_invalid = ON_INVALID_REJECT;
		else if (!strcmp(t->text, "drop"))
			s->on_invalid = ON_INVALID_DROP;
		else {
			line_error(l, t->col, "on-invalid is reject or drop, not '%s'", t->text);
			return;
		}
		setting_once(p, l, SET_ON_INVALID);
	} else if (!strcmp(kw, "gate")) {
		if (!strcmp(t->text, "none"))
			s->gate = GATE_NONE;
		else if (!strcmp(t->text, "pause"))
			s->gate = GATE_PAUSE;
		else {
			line_error(l, t->col, "gate is none or pause, not '%s'", t->text);
			return;
		}
		setting_once(p, l, SET_GATE);
	} else if (!strcmp(kw, "max-area")) {
		if (parse_size(t->text, &v) || v < 8 || v > POLICY_MAX_AREA_LIMIT) {
			line_error(l, t->col,
			   "bad size '%s': max-area is bytes or a number with K, M or G (e.g. 1M), from 8 to 256M",
			   t->text);
			return;
		}
		s->max_area = v;
		setting_once(p, l, SET_MAX_AREA);
	} else if (!strcmp(kw, "max-blobs")) {
		const char *end;

		if (parse_u64(t->text, &v, &end) || *end || v < 1 || v > POLICY_MAX_BLOBS_LIMIT) {
			line_error(l, t->col, "bad number '%s': max-blobs is from 1 to %u",
			   t->text, POLICY_MAX_BLOBS_LIMIT);
			return;
		}
		s->max_blobs = (uint32_t)v;
		setting_once(p, l, SET_MAX_BLOBS);
	} else if (!strcmp(kw, "log-limit")) {
		if (parse_log_limit(l, t, s))
			setting_once(p, l, SET_LOG_LIMIT);
	} else {
		bool input = !strcmp(kw, "input-timeout");

		if (parse_time_ms(t->text, &v) || v < 1 || v > 3600 * 1000) {
			line_error(l, t->col,
			   "bad time '%s': write a number with s or ms (e.g. 10s, 500ms), at most 3600s",
			   t->text);
			return;
		}
		if (input)
			s->input_timeout_ms = (uint32_t)v;
		else
			s->gate_timeout_ms = (uint32_t)v;
		setting_once(p, l, input ? SET_INPUT_TIMEOUT : SET_GATE_TIMEOUT);
	}
}

static const char *const setting_words[] = {
	"mode", "max-area", "max-blobs", "input-timeout", "on-invalid", "xen-namespace",
	"gate", "gate-timeout", "log-limit", "allow-call",
};

static void parse_line(struct policy *p, struct line *l, struct diags *d)
{
	const struct tok *t = &l->v[0];
	static const struct { const char *w; enum action a; } actions[] = {
		{ "allow", ACTION_ALLOW }, { "deny", ACTION_DENY }, { "reject", ACTION_REJECT },
		{ "rename", ACTION_RENAME }, { "set-oem", ACTION_SET_OEM },
	};

	if (t->kind != TOK_WORD) {
		line_error(l, t->col, "a line starts with a setting or an action, not %s",
			   t->kind == TOK_STRING ? "a string" : "a parenthesis");
		return;
	}
	for (size_t i = 0; i < sizeof(setting_words) / sizeof(setting_words[0]); i++) {
		if (!strcmp(t->text, setting_words[i])) {
			parse_setting_value(p, l, t->text);
			return;
		}
	}
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (!strcmp(t->text, actions[i].w)) {
			parse_rule(p, l, actions[i].a, d);
			return;
		}
	}
	line_error(l, t->col,
		   "unknown keyword '%s': a line starts with a setting (mode, max-area, max-blobs, input-timeout, on-invalid, xen-namespace, gate, gate-timeout, log-limit, allow-call) or an action (allow, deny, reject, rename, set-oem)",
		   t->text);
}

/* The facts about a domain the rules test: its name, which keys.  A key
 * not noted would read as absent in every decision: an error. */
static void note_facts(struct policy *p, const struct rule *r, const struct cond *c,
		       struct diags *d)
{
	char **v;

	if (!c)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		note_facts(p, r, c->kids[i], d);
	if (c->kind == COND_DOMAIN_NAME)
		p->tests_name = true;
	if (c->kind != COND_DOMAIN_KEY)
		return;
	for (size_t i = 0; i < p->nkeys; i++)
		if (!strcmp(p->keys[i], c->str))
			return;
	if (p->nkeys == POLICY_KEYS_MAX) {
		diags_add(d, r->file, r->line, c->col, false,
			  "more than %d domain keys: each is a xenstore read in every decision",
			  POLICY_KEYS_MAX);
		return;
	}
	v = realloc(p->keys, (p->nkeys + 1) * sizeof(*v));
	if (v)
		p->keys = v;
	if (!v || !(v[p->nkeys] = strdup(c->str))) {
		diags_add(d, r->file, r->line, r->col, false, "out of memory");
		return;
	}
	p->nkeys++;
}

void policy_parse_into(struct policy *p, const char *name, const char *text, size_t len,
		       struct diags *d)
{
	struct line l = { 0 };
	char **files;
	size_t pos = 0, first_rule = p->nrules;

	files = realloc(p->files, (p->nfiles + 1) * sizeof(*files));
	if (!files || !(files[p->nfiles] = strdup(name))) {
		if (files)
			p->files = files;
		diags_add(d, name, 0, 0, false, "out of memory");
		return;
	}
	p->files = files;
	l.file = files[p->nfiles++];
	l.d = d;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		l.lineno++;
		line_reset(&l);
		if (!lex_line(&l, text + pos, n) && l.n)
			parse_line(p, &l, d);
		pos += n + (nl ? 1 : 0);
	}
	line_reset(&l);
	free(l.v);
	for (size_t i = first_rule; i < p->nrules; i++)
		note_facts(p, &p->rules[i], p->rules[i].cond, d);
}
