// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A bounded AML parser (ACPI 6.5 chapter 20).
 *
 * The grammar cannot be parsed without knowing how many arguments each
 * invoked method takes, and AML may use a name before it defines it.  What
 * the parser decides is defined by two passes: pass 1 walks the load-time
 * structure (method bodies skipped by their PkgLength) and collects every
 * object created at load time, methods with their argument counts among
 * them; pass 2 walks everything, method bodies included, with forward
 * references known, and produces the result.
 *
 * parse() gets the same result in one walk of the bytes, as ACPICA loads a
 * table: the load-time structure first, adding its objects as it meets
 * them, then the method bodies it set aside, in their order, which then
 * know every load-time object as pass 2 does.  What that walk finds and
 * refers to is put back in the order of the bytes.  Load-time code knows
 * less than pass 2 did only when it looks up a name that the AML defines
 * further on: the walk remembers the hash of every path it probed there,
 * and a blob that defines one of them afterwards (a table's data element
 * minds only a method taking arguments: note_missed), or fails to parse,
 * or keeps fewer findings than it made, is parsed again in two passes.
 * The tests hold the one walk to the two passes (aml_parse_two_passes).
 * Recursion is bounded
 * by AML_MAX_DEPTH; names are kept as NameSeg arrays with per-prefix hashes
 * so that the ACPI upward search costs a hash probe per level and no string
 * building.  Nothing is allocated per opcode.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"
#include "namespace.h"
#include "ns-table.h"
#include "text.h"

#define MAX_SEGS AML_MAX_SEGS
#define AML_MAX_OBJECTS 65536
#define AML_MAX_REFS 4096
#define AML_MAX_LOCAL (4 * AML_MAX_OBJECTS)	/* load-time + run-time names */
/* A step of the walk returns the position after what it parsed, or FAIL:
 * positions passed in registers, not through memory, keep it fast. */
#define FAIL SIZE_MAX

/* A NameString as written, pointing into the AML. */
struct name {
	size_t off;		/* first byte, data-relative */
	const uint8_t *segs;	/* nseg raw 4-byte segments */
	uint8_t nseg;
	uint8_t carets;
	bool root;
};

/*
 * How a device body uses a name (SPEC section 5): what it may do to an
 * object outside the device depends on it.
 */
enum use {
	USE_NAME = 0,	/* looked at, not evaluated: SizeOf, ObjectType, Scope */
	USE_READ,	/* evaluated: a read, or a call when it names a method */
	USE_WRITE,	/* written or its state changed (targets, sync objects) */
	USE_REF,	/* a reference taken, through which a write would reach it */
};

struct pending_ref {
	uint32_t name_off;	/* of the NameString */
	uint32_t scope_off;	/* into parser.rscopes */
	uint8_t scope_nseg;
	uint8_t use;		/* enum use */
	bool invoked;		/* parsed as an invocation (its arguments follow) */
	uint8_t argc;		/* ... with this many arguments */
	uint16_t opcode;	/* that uses it (0x5bxx extended), for the message */
};

/* A method body set aside by the load-time walk, with where it runs. */
struct deferred_body {
	uint32_t start, end;
	uint32_t scope_off;	/* into parser.rscopes */
	uint8_t scope_nseg;
	uint8_t depth;
};

struct parser {
	const uint8_t *d;
	size_t len, base;
	const struct ns *known;
	struct ns *local;	/* defined by this AML (both passes), predefined */
	struct ns *ext;		/* External() declarations; NULL until the first */
	struct aml_info *out;
	size_t objcap;
	struct findings *f;
	int pass;
	bool device;
	unsigned in_method;
	/* If, Else and While bodies open in a method, innermost last, each by
	 * its serial; run-time objects created in one, by the path's hash */
	uint32_t blocks[AML_MAX_DEPTH];
	unsigned nblocks;
	uint32_t block_serial;
	struct cond_def {
		uint64_t hash;
		uint32_t block;
	} *cdefs;
	size_t ncdefs, cdefcap;
	/* device method bodies: calls of a bare name found above their scope,
	 * which an object a method creates later may come between */
	struct recheck {
		uint32_t name_off, scope_off;
		uint8_t scope_nseg, level, argc;
	} *rechecks;
	size_t nrechecks, recheckcap;
	/* the last NameSegs of the objects added since the first recheck, a
	 * bit each (seg_bit): a recheck whose name has no bit finds what it
	 * found before, and is skipped */
	uint64_t late_segs[16];
	bool pass1_failed;	/* or one walk: load-time objects added as met */
	/* One walk (see the top): */
	bool single;
	bool diverged;		/* two passes might decide otherwise */
	bool soft;		/* probing for a data element of a table (data_ref) */
	uint64_t *missed;	/* open addressing: miss_key() of paths probed, | MISS_HARD
				 * unless only data_ref() probed them; 0 empty */
	size_t nmissed, missedcap;
	struct deferred_body *bodies;	/* method bodies set aside */
	size_t nbodies, bodycap;
	/* current scope: segments and the hash of every prefix */
	uint32_t seg[MAX_SEGS];
	uint64_t hs[MAX_SEGS + 1];
	uint8_t nseg;
	/* device blobs: the device's own path is seg[0..2) at entry */
	uint32_t dev[2];
	unsigned hid_defs;	/* definitions of the device's _HID */
	bool hid_unsure;	/* one is not a Name defined at load time */
	bool hid_written;	/* written or referenced */
	/* references not resolved when seen */
	struct pending_ref *refs;
	size_t nrefs, refcap;
	uint32_t *rscopes;
	size_t nrscopes, rscap;
};

/* Opcode classes and operand signatures.  C_DATA_SPECIAL: data objects
 * that special() parses (String, Buffer, Package, VarPackage). */
enum { C_NONE = 0, C_DATA, C_EXPR, C_STMT, C_OBJ, C_SPECIAL, C_DATA_SPECIAL };

/* Where an opcode of each class may stand: [in_arg][cls].  Data objects
 * are operands only, statements and definitions never are. */
static const bool cls_fits[2][C_DATA_SPECIAL + 1] = {
	[0] = { [C_EXPR] = true, [C_STMT] = true, [C_OBJ] = true, [C_SPECIAL] = true },
	[1] = { [C_DATA] = true, [C_EXPR] = true, [C_DATA_SPECIAL] = true },
};

struct opdesc {
	uint8_t cls;
	uint8_t objtype;	/* for 'N' operands */
	bool load;		/* Load-family */
	const char *args;
	/*
	 * t TermArg, s SuperName (a reference), c SuperName that may name
	 * nothing (CondRefOf), T Target, n NameString reference, N NameString
	 * defining an object, b/w/d/q byte/word/dword/qword data.  For device
	 * bodies: W a SuperName written (or a sync object operated on),
	 * R a SuperName a reference is taken to, r a TermArg whose object a
	 * reference is taken into (Index's and Create*Field's source).
	 */
};

static const struct opdesc ops1[256] = {
	[0x00] = { C_DATA, 0, false, "" },	/* Zero */
	[0x01] = { C_DATA, 0, false, "" },	/* One */
	[0x06] = { C_SPECIAL, 0, false, NULL },	/* Alias */
	[0x08] = { C_SPECIAL, 0, false, NULL },	/* Name */
	[0x0a] = { C_DATA, 0, false, "b" },
	[0x0b] = { C_DATA, 0, false, "w" },
	[0x0c] = { C_DATA, 0, false, "d" },
	[0x0d] = { C_DATA_SPECIAL, 0, false, NULL },	/* String */
	[0x0e] = { C_DATA, 0, false, "q" },
	[0x10] = { C_SPECIAL, 0, false, NULL },	/* Scope */
	[0x11] = { C_DATA_SPECIAL, 0, false, NULL },	/* Buffer */
	[0x12] = { C_DATA_SPECIAL, 0, false, NULL },	/* Package */
	[0x13] = { C_DATA_SPECIAL, 0, false, NULL },	/* VarPackage */
	[0x14] = { C_SPECIAL, 0, false, NULL },	/* Method */
	[0x15] = { C_SPECIAL, 0, false, NULL },	/* External */
	[0x60] = { C_DATA, 0, false, "" }, [0x61] = { C_DATA, 0, false, "" },
	[0x62] = { C_DATA, 0, false, "" }, [0x63] = { C_DATA, 0, false, "" },
	[0x64] = { C_DATA, 0, false, "" }, [0x65] = { C_DATA, 0, false, "" },
	[0x66] = { C_DATA, 0, false, "" }, [0x67] = { C_DATA, 0, false, "" },
	[0x68] = { C_DATA, 0, false, "" }, [0x69] = { C_DATA, 0, false, "" },
	[0x6a] = { C_DATA, 0, false, "" }, [0x6b] = { C_DATA, 0, false, "" },
	[0x6c] = { C_DATA, 0, false, "" }, [0x6d] = { C_DATA, 0, false, "" },
	[0x6e] = { C_DATA, 0, false, "" },
	[0x70] = { C_EXPR, 0, false, "tW" },	/* Store */
	[0x71] = { C_EXPR, 0, false, "R" },	/* RefOf */
	[0x72] = { C_EXPR, 0, false, "ttT" },	/* Add */
	[0x73] = { C_EXPR, 0, false, "ttT" },	/* Concatenate */
	[0x74] = { C_EXPR, 0, false, "ttT" },	/* Subtract */
	[0x75] = { C_EXPR, 0, false, "W" },	/* Increment */
	[0x76] = { C_EXPR, 0, false, "W" },	/* Decrement */
	[0x77] = { C_EXPR, 0, false, "ttT" },	/* Multiply */
	[0x78] = { C_EXPR, 0, false, "ttTT" },	/* Divide */
	[0x79] = { C_EXPR, 0, false, "ttT" },	/* ShiftLeft */
	[0x7a] = { C_EXPR, 0, false, "ttT" },	/* ShiftRight */
	[0x7b] = { C_EXPR, 0, false, "ttT" },	/* And */
	[0x7c] = { C_EXPR, 0, false, "ttT" },	/* NAnd */
	[0x7d] = { C_EXPR, 0, false, "ttT" },	/* Or */
	[0x7e] = { C_EXPR, 0, false, "ttT" },	/* NOr */
	[0x7f] = { C_EXPR, 0, false, "ttT" },	/* XOr */
	[0x80] = { C_EXPR, 0, false, "tT" },	/* Not */
	[0x81] = { C_EXPR, 0, false, "tT" },	/* FindSetLeftBit */
	[0x82] = { C_EXPR, 0, false, "tT" },	/* FindSetRightBit */
	[0x83] = { C_EXPR, 0, false, "t" },	/* DerefOf */
	[0x84] = { C_EXPR, 0, false, "ttT" },	/* ConcatenateResTemplate */
	[0x85] = { C_EXPR, 0, false, "ttT" },	/* Mod */
	[0x86] = { C_STMT, 0, false, "st" },	/* Notify: not a write (aml.h) */
	[0x87] = { C_EXPR, 0, false, "s" },	/* SizeOf */
	[0x88] = { C_EXPR, 0, false, "rtT" },	/* Index */
	[0x89] = { C_EXPR, 0, false, "tbtbtt" },	/* Match */
	[0x8a] = { C_OBJ, AML_OBJ_BUFFER_FIELD, false, "rtN" },	/* CreateDWordField */
	[0x8b] = { C_OBJ, AML_OBJ_BUFFER_FIELD, false, "rtN" },	/* CreateWordField */
	[0x8c] = { C_OBJ, AML_OBJ_BUFFER_FIELD, false, "rtN" },	/* CreateByteField */
	[0x8d] = { C_OBJ, AML_OBJ_BUFFER_FIELD, false, "rtN" },	/* CreateBitField */
	[0x8e] = { C_EXPR, 0, false, "s" },	/* ObjectType */
	[0x8f] = { C_OBJ, AML_OBJ_BUFFER_FIELD, false, "rtN" },	/* CreateQWordField */
	[0x90] = { C_EXPR, 0, false, "tt" },	/* LAnd */
	[0x91] = { C_EXPR, 0, false, "tt" },	/* LOr */
	[0x92] = { C_EXPR, 0, false, "t" },	/* LNot */
	[0x93] = { C_EXPR, 0, false, "tt" },	/* LEqual */
	[0x94] = { C_EXPR, 0, false, "tt" },	/* LGreater */
	[0x95] = { C_EXPR, 0, false, "tt" },	/* LLess */
	[0x96] = { C_EXPR, 0, false, "tT" },	/* ToBuffer */
	[0x97] = { C_EXPR, 0, false, "tT" },	/* ToDecimalString */
	[0x98] = { C_EXPR, 0, false, "tT" },	/* ToHexString */
	[0x99] = { C_EXPR, 0, false, "tT" },	/* ToInteger */
	[0x9c] = { C_EXPR, 0, false, "ttT" },	/* ToString */
	[0x9d] = { C_EXPR, 0, false, "tW" },	/* CopyObject */
	[0x9e] = { C_EXPR, 0, false, "tttT" },	/* Mid */
	[0x9f] = { C_STMT, 0, false, "" },	/* Continue */
	[0xa0] = { C_SPECIAL, 0, false, NULL },	/* If */
	[0xa1] = { C_SPECIAL, 0, false, NULL },	/* Else */
	[0xa2] = { C_SPECIAL, 0, false, NULL },	/* While */
	[0xa3] = { C_STMT, 0, false, "" },	/* Noop */
	[0xa4] = { C_STMT, 0, false, "r" },	/* Return: by reference too */
	[0xa5] = { C_STMT, 0, false, "" },	/* Break */
	[0xcc] = { C_STMT, 0, false, "" },	/* BreakPoint */
	[0xff] = { C_DATA, 0, false, "" },	/* Ones */
};

static const struct opdesc ops2[256] = {
	[0x01] = { C_OBJ, AML_OBJ_MUTEX, false, "Nb" },	/* Mutex */
	[0x02] = { C_OBJ, AML_OBJ_EVENT, false, "N" },	/* Event */
	[0x12] = { C_EXPR, 0, false, "cT" },	/* CondRefOf */
	[0x13] = { C_OBJ, AML_OBJ_BUFFER_FIELD, false, "rttN" },	/* CreateField */
	[0x1f] = { C_EXPR, 0, true, "tttttt" },	/* LoadTable */
	[0x20] = { C_STMT, 0, true, "nT" },	/* Load */
	[0x21] = { C_STMT, 0, false, "t" },	/* Stall */
	[0x22] = { C_STMT, 0, false, "t" },	/* Sleep */
	[0x23] = { C_EXPR, 0, false, "Ww" },	/* Acquire */
	[0x24] = { C_STMT, 0, false, "W" },	/* Signal */
	[0x25] = { C_EXPR, 0, false, "Wt" },	/* Wait */
	[0x26] = { C_STMT, 0, false, "W" },	/* Reset */
	[0x27] = { C_STMT, 0, false, "W" },	/* Release */
	[0x28] = { C_EXPR, 0, false, "tT" },	/* FromBCD */
	[0x29] = { C_EXPR, 0, false, "tT" },	/* ToBCD */
	[0x2a] = { C_STMT, 0, true, "s" },	/* Unload */
	[0x30] = { C_DATA, 0, false, "" },	/* Revision */
	[0x31] = { C_DATA, 0, false, "" },	/* Debug */
	[0x32] = { C_STMT, 0, false, "bdt" },	/* Fatal */
	[0x33] = { C_EXPR, 0, false, "" },	/* Timer */
	[0x80] = { C_OBJ, AML_OBJ_REGION, false, "Nbtt" },	/* OperationRegion */
	[0x81] = { C_SPECIAL, 0, false, NULL },	/* Field */
	[0x82] = { C_SPECIAL, 0, false, NULL },	/* Device */
	[0x83] = { C_SPECIAL, 0, false, NULL },	/* Processor */
	[0x84] = { C_SPECIAL, 0, false, NULL },	/* PowerResource */
	[0x85] = { C_SPECIAL, 0, false, NULL },	/* ThermalZone */
	[0x86] = { C_SPECIAL, 0, false, NULL },	/* IndexField */
	[0x87] = { C_SPECIAL, 0, false, NULL },	/* BankField */
	[0x88] = { C_OBJ, AML_OBJ_REGION, false, "Nttt" },	/* DataRegion */
};

/*
 * The data objects of ops1 that are leaves (no operand, or a fixed-size
 * integer): 1 + the bytes that follow the opcode, 0 for every other opcode.
 * They are most of the opcodes in operand position, so term_arg() takes
 * them without op()'s general path.  Must agree with ops1.
 */
static const uint8_t leaf1[256] = {
	[0x00] = 1, [0x01] = 1, [0x0a] = 2, [0x0b] = 3, [0x0c] = 5, [0x0e] = 9,
	[0x60] = 1, [0x61] = 1, [0x62] = 1, [0x63] = 1, [0x64] = 1, [0x65] = 1,
	[0x66] = 1, [0x67] = 1, [0x68] = 1, [0x69] = 1, [0x6a] = 1, [0x6b] = 1,
	[0x6c] = 1, [0x6d] = 1, [0x6e] = 1, [0xff] = 1,
};

/* The opcodes that write, take references or name fields, for messages. */
static const char *aml_opcode_name(unsigned code)
{
	static const struct {
		uint16_t code;
		char name[24];
	} names[] = {
		{ 0x06, "Alias" }, { 0x08, "Name" }, { 0x14, "A method argument" }, { 0xa4, "Return" }, { 0x12, "Package" },
		{ 0x13, "VarPackage" }, { 0x70, "Store" }, { 0x71, "RefOf" },
		{ 0x72, "Add" }, { 0x73, "Concatenate" }, { 0x74, "Subtract" },
		{ 0x75, "Increment" }, { 0x76, "Decrement" }, { 0x77, "Multiply" },
		{ 0x78, "Divide" }, { 0x79, "ShiftLeft" }, { 0x7a, "ShiftRight" },
		{ 0x7b, "And" }, { 0x7c, "NAnd" }, { 0x7d, "Or" }, { 0x7e, "NOr" },
		{ 0x7f, "XOr" }, { 0x80, "Not" }, { 0x81, "FindSetLeftBit" },
		{ 0x82, "FindSetRightBit" }, { 0x84, "ConcatenateResTemplate" },
		{ 0x85, "Mod" }, { 0x86, "Notify" }, { 0x88, "Index" },
		{ 0x8a, "CreateDWordField" }, { 0x8b, "CreateWordField" },
		{ 0x8c, "CreateByteField" }, { 0x8d, "CreateBitField" },
		{ 0x8f, "CreateQWordField" }, { 0x96, "ToBuffer" },
		{ 0x97, "ToDecimalString" }, { 0x98, "ToHexString" }, { 0x99, "ToInteger" },
		{ 0x9c, "ToString" }, { 0x9d, "CopyObject" }, { 0x9e, "Mid" },
		{ 0x5b12, "CondRefOf" }, { 0x5b13, "CreateField" }, { 0x5b23, "Acquire" },
		{ 0x5b24, "Signal" }, { 0x5b25, "Wait" }, { 0x5b26, "Reset" },
		{ 0x5b27, "Release" }, { 0x5b28, "FromBCD" }, { 0x5b29, "ToBCD" },
		{ 0x5b81, "Field" }, { 0x5b86, "IndexField" }, { 0x5b87, "BankField" },
		{ 0xa0, "If" }, { 0xa1, "Else" }, { 0xa2, "While" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == code)
			return names[i].name;
	return "an opcode";
}

/* ------------------------------------------------------------------ */

/* Character classes: 1 lead NameSeg char, 2 other NameSeg char, 4 NameString start. */
#define CH_LEAD 1
#define CH_NAME 2
#define CH_START 4
static const uint8_t chclass[256] = {
	['0'] = CH_NAME, ['1'] = CH_NAME, ['2'] = CH_NAME, ['3'] = CH_NAME, ['4'] = CH_NAME,
	['5'] = CH_NAME, ['6'] = CH_NAME, ['7'] = CH_NAME, ['8'] = CH_NAME, ['9'] = CH_NAME,
#define L(c) [c] = CH_LEAD | CH_NAME | CH_START
	L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'), L('J'), L('K'),
	L('L'), L('M'), L('N'), L('O'), L('P'), L('Q'), L('R'), L('S'), L('T'), L('U'), L('V'),
	L('W'), L('X'), L('Y'), L('Z'), L('_'),
#undef L
	['\\'] = CH_START, ['^'] = CH_START, [0x2e] = CH_START, [0x2f] = CH_START,
};

static inline bool seg_ok(const uint8_t seg[4])
{
	return (chclass[seg[0]] & CH_LEAD) && (chclass[seg[1]] & CH_NAME) &&
	       (chclass[seg[2]] & CH_NAME) && (chclass[seg[3]] & CH_NAME);
}

bool aml_nameseg_valid(const uint8_t seg[4])
{
	return seg_ok(seg);
}

static inline bool name_lead(uint8_t c)
{
	return chclass[c] & CH_START;
}

void aml_info_init(struct aml_info *info)
{
	memset(info, 0, sizeof(*info));
}

void aml_info_free(struct aml_info *info)
{
	free(info->objs);
	free(info->refs);
	aml_info_init(info);
}

void aml_path_display(const char *path, char *out, size_t outlen)
{
	size_t o = 0;
	const char *s = path;

	if (!outlen)
		return;
	while (*s && o + 1 < outlen) {
		if (*s == '_') {
			/* Drop '_' padding at the end of a segment. */
			const char *t = s;

			while (*t == '_')
				t++;
			if ((*t == '.' || !*t) && t - s < 4 && s > path && s[-1] != '.' &&
			    s[-1] != '\\') {
				s = t;
				continue;
			}
		}
		out[o++] = *s++;
	}
	out[o] = '\0';
}

/* ------------------------------------------------------------------ */

/* Findings are made on the second pass only: the first sees the same
 * bytes and would make them twice. */
__attribute__((format(printf, 5, 0)))
static void report(struct parser *p, enum finding_kind kind, const char *check, size_t off,
		   const char *fmt, va_list ap)
{
	if (p->pass == 2)
		findings_vadd(p->f, kind, check, p->base + off, fmt, ap);
}

/* Malformed: for the steps that return -1 on failure. */
__attribute__((format(printf, 4, 5)))
static int bad(struct parser *p, const char *check, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(p, FINDING_MALFORMED, check, off, fmt, ap);
	va_end(ap);
	return -1;
}

/* bad() for the walk's steps, which return a position or FAIL.  A macro,
 * so that callers see the FAIL they return: as a function it costs the
 * walk 0.2% more instructions. */
#define fail(...) (bad(__VA_ARGS__), FAIL)

/* Our memory ran out, not the bytes: the findings say nothing of them. */
static int no_memory(struct parser *p, size_t off)
{
	findings_no_memory(p->f, "aml-limit", p->base + off);
	return -1;
}

__attribute__((format(printf, 4, 5)))
static void forbid(struct parser *p, const char *check, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(p, FINDING_FORBIDDEN, check, off, fmt, ap);
	va_end(ap);
}

static inline int need(struct parser *p, size_t pos, size_t n, size_t end)
{
	if (n > end - pos)
		return bad(p, "aml-truncated", pos, "%zu-byte element runs past the end of its %s",
			   n, end == p->len ? "data" : "package");
	return 0;
}

/*
 * PkgLength at start: the position after it, or FAIL.  bounded: a package
 * length, which counts its own bytes and must end within end; *value is
 * then the package's end.  Otherwise (field widths) *value is the raw
 * number.  Inlined: every package and field has one, and the call cost as
 * much as the decoding.
 */
static inline __attribute__((always_inline)) size_t
pkglength(struct parser *p, size_t start, size_t end, bool bounded, size_t *value)
{
	uint8_t lead;
	unsigned n;
	uint32_t v;

	if (need(p, start, 1, end))
		return FAIL;
	lead = p->d[start];
	n = lead >> 6;
	if (need(p, start, 1 + n, end))
		return FAIL;
	if (!n) {
		v = lead & 0x3f;
	} else {
		if (lead & 0x30)
			return fail(p, "aml-pkglength", start,
				    "PkgLength lead byte 0x%02x has reserved bits 5-4 set", lead);
		v = lead & 0x0f;
		for (unsigned i = 1; i <= n; i++)
			v |= (uint32_t)p->d[start + i] << (4 + 8 * (i - 1));
	}
	if (!bounded) {
		*value = v;
		return start + 1 + n;
	}
	if (v < 1 + n)
		return fail(p, "aml-pkglength", start,
			    "PkgLength %u is shorter than its own %u-byte encoding", v, 1 + n);
	if (v > end - start)
		return fail(p, "aml-pkglength", start,
			    "package of %u bytes runs %zu bytes past its enclosing end", v,
			    v - (end - start));
	*value = start + v;
	return start + 1 + n;
}

static size_t namestring_any(struct parser *p, size_t q, size_t end, struct name *nm)
{
	unsigned n;
	uint8_t c;

	nm->off = q;
	nm->root = false;
	nm->carets = 0;
	if (need(p, q, 1, end))
		return FAIL;
	if (p->d[q] == '\\') {
		nm->root = true;
		q++;
	} else {
		while (q < end && p->d[q] == '^') {
			if (++nm->carets > MAX_SEGS)
				return fail(p, "aml-namestring", nm->off,
					    "too many ParentPrefix '^'");
			q++;
		}
	}
	if (need(p, q, 1, end))
		return FAIL;
	c = p->d[q];
	if (c == 0x00) {
		n = 0;
		q++;
		/* "\" or "^" alone names a scope the device is in (or the device
		 * itself): written, aliased or copied over, it reaches outside. */
		if (p->device && (nm->root || nm->carets))
			forbid(p, "aml-escape", nm->off,
			       "a name of '%s' prefixes alone names a scope the device is in",
			       nm->root ? "\\" : "^");
	} else if (c == 0x2e) {
		n = 2;
		q++;
	} else if (c == 0x2f) {
		if (need(p, q, 2, end))
			return FAIL;
		n = p->d[q + 1];
		if (!n)
			return fail(p, "aml-namestring", q, "MultiNamePrefix with zero segments");
		q += 2;
	} else if (chclass[c] & CH_LEAD) {
		n = 1;
	} else {
		return fail(p, "aml-namestring", q, "byte 0x%02x cannot start a NameString", c);
	}
	if (n > MAX_SEGS)
		return fail(p, "aml-namestring", nm->off,
			    "NameString of %u segments is too long", n);
	if (need(p, q, 4 * (size_t)n, end))
		return FAIL;
	for (unsigned i = 0; i < n; i++) {
		if (!seg_ok(p->d + q + 4 * i)) {
			char t[24];

			text_escape(t, sizeof(t), p->d + q + 4 * i, 4);
			return fail(p, "aml-nameseg", q + 4 * i, "invalid NameSeg \"%s\"", t);
		}
	}
	nm->segs = p->d + q;
	nm->nseg = (uint8_t)n;
	return q + 4 * (size_t)n;
}

/* A NameString; the most frequent form, one valid NameSeg, inline. */
static inline size_t namestring(struct parser *p, size_t q, size_t end, struct name *nm)
{
	if (q < end && end - q >= 4 && seg_ok(p->d + q)) {
		nm->off = q;
		nm->root = false;
		nm->carets = 0;
		nm->segs = p->d + q;
		nm->nseg = 1;
		return q + 4;
	}
	return namestring_any(p, q, end, nm);
}

/* Level of the scope prefix a non-searching name is relative to, or FAIL. */
static inline size_t name_base(struct parser *p, const struct name *nm)
{
	size_t base = 0;

	if (!nm->root) {
		if (nm->carets > p->nseg)
			return fail(p, "aml-namestring", nm->off, "'^' goes above the root");
		base = p->nseg - nm->carets;
	}
	if (base + nm->nseg > MAX_SEGS)
		return fail(p, "aml-namestring", nm->off, "absolute path too long");
	return base;
}

static uint64_t hash_bytes(uint64_t h, const uint8_t *segs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t s;

		memcpy(&s, segs + 4 * i, 4);
		h = ns_hash_seg(h, s);
	}
	return h;
}

/* parser.late_segs: the bit of a NameSeg, and whether it is set. */
static inline unsigned seg_bit(uint32_t seg)
{
	return (seg * 0x9e3779b1u) >> 22;
}

static inline bool seg_late(const struct parser *p, uint32_t seg)
{
	return p->late_segs[seg_bit(seg) / 64] >> seg_bit(seg) % 64 & 1;
}

static void set_scope(struct parser *p, size_t base, const struct name *nm)
{
	for (size_t i = 0; i < nm->nseg; i++) {
		memcpy(&p->seg[base + i], nm->segs + 4 * i, 4);
		p->hs[base + i + 1] = ns_hash_seg(p->hs[base + i], p->seg[base + i]);
	}
	p->nseg = (uint8_t)(base + nm->nseg);
}

/* What a name in argument position turned out to be. */
struct lookup {
	const struct ns_entry *local;	/* defined by this AML (or predefined) */
	int argc;			/* arguments to parse */
	size_t level;			/* scope prefix the name was found under */
	uint64_t hash;			/* of the path found */
	bool found;
	bool method;			/* invoking it runs a method */
	bool ambiguous;
};

/*
 * In parser.local an object's argc carries ARGC_RUNTIME when a method body
 * creates it, which it does only once that code has run, and ARGC_COND
 * when it does so in If, Else or While, which it may not run.  ARGC_LATER
 * marks a load-time object pass 1 added and pass 2 has not yet met: the
 * load-time code before its definition runs before it exists.
 */
#define ARGC_RUNTIME 0x80
#define ARGC_COND 0x40
#define ARGC_LATER 0x20
#define ARGC(e) ((e)->argc & 7)

/* -1: not a method; -2: unknown (External of unknown type); else argc. */
static int method_argc(const struct ns_entry *e, bool from_ext)
{
	if (e->type == AML_OBJ_METHOD)
		return ARGC(e);
	if (from_ext && e->argc == 0)
		return -2;
	return -1;
}

/*
 * One walk: the hashes of the paths load-time code probed (see the top).
 * A later definition of one makes the walk diverge, but where only a data
 * element of a table probed it: a name there is never invoked, what its
 * lookup finds matters only when it is a method taking arguments (the
 * element is then ambiguous), and the reference is looked at again once
 * the AML is known (pending, finish_refs) with the same outcome as pass 2.
 */
enum { MISS_NONE, MISS_SOFT, MISS_HARD = 2 };

static inline uint64_t miss_key(uint64_t h)
{
	return (h | 1) & ~(uint64_t)MISS_HARD;
}

static size_t missed_slot(const struct parser *p, uint64_t key)
{
	size_t i = (size_t)(key >> 32) & (p->missedcap - 1);

	while (p->missed[i] && (p->missed[i] & ~(uint64_t)MISS_HARD) != key)
		i = (i + 1) & (p->missedcap - 1);
	return i;
}

static void note_missed(struct parser *p, uint64_t h)
{
	uint64_t key = miss_key(h);
	size_t i;

	if ((p->nmissed + 1) * 2 > p->missedcap) {
		size_t ocap = p->missedcap, ncap = ocap ? ocap * 2 : 64;
		uint64_t *old = p->missed, *v = calloc(ncap, sizeof(*v));

		if (!v) {
			p->diverged = true;	/* cannot tell: two passes decide */
			return;
		}
		p->missed = v;
		p->missedcap = ncap;
		for (size_t j = 0; j < ocap; j++)
			if (old[j])
				v[missed_slot(p, old[j] & ~(uint64_t)MISS_HARD)] = old[j];
		free(old);
	}
	i = missed_slot(p, key);
	if (!p->missed[i])
		p->nmissed++;
	p->missed[i] |= key | (p->soft ? 0 : MISS_HARD);
}

/* Would two passes have decided otherwise, had the path with this hash
 * existed when the walk probed it, as a method taking argc arguments (0
 * when not a method)? */
static inline bool was_missed(const struct parser *p, uint64_t h, unsigned argc)
{
	uint64_t v;

	if (!p->missedcap || !(v = p->missed[missed_slot(p, miss_key(h))]))
		return false;
	return (v & MISS_HARD) || argc;
}

/* What an invocation of the entries found parses as, when an External
 * (ext) was found too: they may disagree on the arguments. */
static void probe_ext(struct lookup *lk, const struct ns_entry *local,
		      const struct ns_entry *known, const struct ns_entry *ext)
{
	const struct ns_entry *e[3] = { local, known, ext };
	int m = -2;

	for (int i = 0; i < 3; i++) {
		int a;

		if (!e[i])
			continue;
		a = method_argc(e[i], i == 2);
		if (a == -2)
			continue;
		if (m != -2 && a != m)
			lk->ambiguous = true;
		if (m == -2)
			m = a;
	}
	lk->method = m >= 0;
	lk->argc = m < 0 ? 0 : m;
}

static inline __attribute__((always_inline)) bool
probe(struct parser *p, uint64_t h, size_t lvl, const struct name *nm, struct lookup *lk,
      bool local_only)
{
	const struct ns_entry *local, *known = NULL, *ext = NULL, *one;

	local = ns_find(p->local, h, p->seg, lvl, nm->segs, nm->nseg);
	if (!local_only) {
		if (p->known && !local)
			known = ns_find(p->known, h, p->seg, lvl, nm->segs, nm->nseg);
		if (p->ext)
			ext = ns_find(p->ext, h, p->seg, lvl, nm->segs, nm->nseg);
	}
	/* A later definition or External here would have answered pass 2. */
	if (p->single && !p->in_method && (!local || !ext))
		note_missed(p, h);
	one = local ? local : known;
	if (!one && !ext)
		return false;
	lk->found = true;
	lk->hash = h;
	lk->local = local;
	lk->level = lvl;
	if (ext) {
		probe_ext(lk, local, known, ext);
		return true;
	}
	/* The usual case: one entry (Xen's is looked at only when the AML
	 * does not define the name), nothing to disagree with. */
	lk->method = one->type == AML_OBJ_METHOD;
	lk->argc = lk->method ? ARGC(one) : 0;
	return true;
}

/* ACPI name search (ACPI 6.5 section 5.3) from the current scope. */
static inline __attribute__((always_inline)) int
lookup(struct parser *p, const struct name *nm, struct lookup *lk, bool local_only)
{
	size_t base;

	memset(lk, 0, sizeof(*lk));
	if (!nm->root && !nm->carets && nm->nseg == 1) {
		uint32_t s;

		memcpy(&s, nm->segs, 4);
		for (size_t lvl = p->nseg + 1; lvl-- > 0;)
			if (probe(p, ns_hash_seg(p->hs[lvl], s), lvl, nm, lk, local_only))
				return 0;
		return 0;
	}
	if ((base = name_base(p, nm)) == FAIL)
		return -1;
	probe(p, hash_bytes(p->hs[base], nm->segs, nm->nseg), base, nm, lk, local_only);
	if (!lk->found)
		lk->level = base;
	return 0;
}

/* Append the current scope's segments to rscopes. */
static int save_scope(struct parser *p, size_t off)
{
	if (p->rscap - p->nrscopes < p->nseg) {
		size_t n = p->rscap ? p->rscap * 2 : 256;
		void *v;

		while (n - p->nrscopes < p->nseg)
			n *= 2;
		v = realloc(p->rscopes, n * sizeof(*p->rscopes));
		if (!v)
			return no_memory(p, off);
		p->rscopes = v;
		p->rscap = n;
	}
	/* Segment by segment (see enter_scope()). */
	for (size_t i = 0, n = p->nseg, at = p->nrscopes; i < n; i++)
		p->rscopes[at + i] = p->seg[i];
	p->nrscopes += p->nseg;
	return 0;
}

/*
 * Enter the scope of segs[0..n), the hashes of its prefixes with it.  What
 * it shares with the current scope is kept: the bodies and references of
 * a scope come one after the other.  Segment by segment: a memcpy of a
 * few bytes is done in overlapping words, which the loads of one segment
 * that follow then wait for.
 */
static void enter_scope(struct parser *p, const uint32_t *segs, size_t n)
{
	size_t same = 0;

	while (same < n && same < p->nseg && p->seg[same] == segs[same])
		same++;
	for (size_t i = same; i < n; i++) {
		p->seg[i] = segs[i];
		p->hs[i + 1] = ns_hash_seg(p->hs[i], segs[i]);
	}
	p->nseg = (uint8_t)n;
}

static void load_scope(struct parser *p, size_t off, size_t n)
{
	enter_scope(p, n ? p->rscopes + off : NULL, n);	/* none saved: NULL */
}

/*
 * Room for one more element in the array *v holding n, with *cap
 * allocated (first when empty) of size bytes each; -1 when out of memory.
 */
static int room(struct parser *p, void **v, size_t n, size_t *cap, size_t size, size_t first,
		size_t off)
{
	size_t c;
	void *nv;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : first;
	nv = realloc(*v, c * size);
	if (!nv)
		return no_memory(p, off);
	*v = nv;
	*cap = c;
	return 0;
}

static int add_pending(struct parser *p, const struct name *nm, enum use use, unsigned opcode,
		       bool invoked, int argc)
{
	struct pending_ref *r;

	if (p->nrefs >= AML_MAX_REFS)
		return bad(p, "aml-limit", nm->off, "more than %d unresolved references",
			   AML_MAX_REFS);
	if (room(p, (void **)&p->refs, p->nrefs, &p->refcap, sizeof(*p->refs), 16, nm->off))
		return -1;
	if (save_scope(p, nm->off))
		return -1;
	r = &p->refs[p->nrefs++];
	r->name_off = (uint32_t)nm->off;
	r->scope_off = (uint32_t)(p->nrscopes - p->nseg);
	r->scope_nseg = p->nseg;
	r->use = (uint8_t)use;
	r->invoked = invoked;
	r->argc = (uint8_t)argc;
	r->opcode = (uint16_t)opcode;
	return 0;
}

/* Is the name lk found (or, not found, would be placed at) the device or in it? */
static bool inside_device(const struct parser *p, const struct lookup *lk, const struct name *nm)
{
	uint32_t s[2];
	size_t n = 0;

	for (size_t i = 0; i < lk->level && n < 2; i++)
		s[n++] = p->seg[i];
	for (size_t i = 0; i < nm->nseg && n < 2; i++)
		memcpy(&s[n++], nm->segs + 4 * i, 4);
	return n == 2 && s[0] == p->dev[0] && s[1] == p->dev[1];
}

/*
 * Must the use of a name be looked at again once the whole AML is known?
 * When it does not resolve here; and in a device body, every use but
 * USE_NAME of a name that resolves outside the device.
 */
static bool pending(const struct parser *p, const struct lookup *lk, const struct name *nm,
		    enum use use)
{
	if (!lk->local)
		return true;
	return p->device && use != USE_NAME && !inside_device(p, lk, nm);
}

static void path_text(char *out, const uint32_t *a, size_t na, const uint8_t *b, size_t nb)
{
	char *o = out;

	*o++ = '\\';
	for (size_t i = 0; i < na + nb; i++) {
		if (i)
			*o++ = '.';
		if (i < na)
			memcpy(o, &a[i], 4);
		else
			memcpy(o, b + 4 * (i - na), 4);
		o += 4;
	}
	*o = '\0';
}

/* Display form (aml_path_display) of the path a[0..na) + b[0..nb). */
static const char *shown(char out[AML_PATH_MAX], const uint32_t *a, size_t na, const uint8_t *b,
			 size_t nb)
{
	char t[AML_PATH_MAX];

	path_text(t, a, na, b, nb);
	aml_path_display(t, out, AML_PATH_MAX);
	return out;
}

/* Display form of the current scope, for messages. */
static const char *here(const struct parser *p, char out[AML_PATH_MAX])
{
	return shown(out, p->seg, p->nseg, NULL, 0);
}

/* Is seg[0..base) + nm the device's own _HID? */
static inline bool own_hid(const struct parser *p, size_t base, const struct name *nm)
{
	static const uint8_t hid[4] = { '_', 'H', 'I', 'D' };
	uint32_t s[3], h, last;
	size_t n = 0;

	if (!p->device || base + nm->nseg != 3)
		return false;
	memcpy(&last, nm->segs + 4 * (nm->nseg - 1), 4);
	memcpy(&h, hid, 4);
	if (last != h)
		return false;
	for (size_t i = 0; i < base; i++)
		s[n++] = p->seg[i];
	for (size_t i = 0; i < nm->nseg; i++)
		memcpy(&s[n++], nm->segs + 4 * i, 4);
	return s[0] == p->dev[0] && s[1] == p->dev[1];
}

/*
 * Does the object e, which a device body's name was found as when the walk
 * got to it, exist whenever that code runs?  A device body runs no code at
 * load time (load_code), so its methods run once the load is complete: an
 * object the load created is there by then, and load-time operands see
 * only the objects before them, which is what the one walk knows there
 * (the two passes know more).  A method body walked in order creates its
 * objects in that order, so one the walk met before the use exists when
 * the use runs, if it was created outside If, Else and While or in one of
 * those the use is in.  (A method creates objects only in its own scope,
 * so no other method's are found here.)  The two passes know the same by
 * ARGC_LATER.  hash is that of e's path.
 */
static bool certain(const struct parser *p, const struct ns_entry *e, uint64_t hash)
{
	if (!(e->argc & ARGC_RUNTIME))
		return p->in_method || !(e->argc & ARGC_LATER);
	if (!(e->argc & ARGC_COND))
		return true;
	for (size_t i = p->ncdefs; i-- > 0;)
		if (p->cdefs[i].hash == hash) {
			for (unsigned b = p->nblocks; b-- > 0;)
				if (p->blocks[b] == p->cdefs[i].block)
					return true;
			return false;
		}
	return false;
}

/* The arguments an invocation of e takes: a method's, none for the rest. */
static int invoked_argc(const struct ns_entry *e)
{
	return e->type == AML_OBJ_METHOD ? ARGC(e) : 0;
}

/*
 * The object the upward search for the bare NameSeg s finds at a level
 * below *lvl (the root is 0), in this AML, Xen's namespace or an External;
 * *lvl is set to its level, *hash to its path's.  NULL when there is none.
 */
static const struct ns_entry *search_above(struct parser *p, uint32_t s, size_t *lvl,
					    uint64_t *hash)
{
	while (*lvl > 0) {
		uint64_t h = *hash = ns_hash_seg(p->hs[--*lvl], s);
		const uint8_t *b = (const uint8_t *)&s;
		const struct ns_entry *e = ns_find(p->local, h, p->seg, *lvl, b, 1);

		/* Xen's namespace is outside the device (levels 0 and 1). */
		if (!e && p->known && *lvl < 2)
			e = ns_find(p->known, h, p->seg, *lvl, b, 1);
		if (!e && p->ext)
			e = ns_find(p->ext, h, p->seg, *lvl, b, 1);
		if (e)
			return e;
	}
	return NULL;
}

/*
 * A bare NameSeg is searched for upward (ACPI 6.5 section 5.3), and the
 * device's own object that the search finds here need not exist when the
 * AML runs: it may be created by a method body not yet run, or later in
 * the method that uses it (ACPICA creates objects as it executes).  The
 * search then goes on to the next object of that name above it, which may
 * be outside the device, at \_SB or the root.  So in a device body a name
 * written, referenced or invoked must not also name an object outside it,
 * nor, when invoked, one that takes another number of arguments (the
 * bytes after it would parse otherwise).  lk found the name inside the
 * device; invoked: its arguments were parsed.  Returns -1 on aml-ambiguous.
 */
static int twin_search(struct parser *p, const struct name *nm, const struct lookup *lk,
		       enum use use, unsigned opcode, bool invoked)
{
	char in[AML_PATH_MAX], out[AML_PATH_MAX], at[AML_PATH_MAX];
	const struct ns_entry *e;
	uint32_t s;
	size_t l = lk->level;
	uint64_t h;

	memcpy(&s, nm->segs, 4);
	while ((e = search_above(p, s, &l, &h))) {
		bool outside = l < 2;

		if (l == 1 && s == p->dev[1])
			return 0;	/* \_SB.NAME, the device itself: always there */
		if (!outside && (!invoked || invoked_argc(e) == invoked_argc(lk->local))) {
			if (certain(p, e, h))
				return 0;	/* the search stops there */
			continue;
		}
		shown(in, p->seg, lk->level, nm->segs, 1);
		shown(out, p->seg, l, nm->segs, 1);
		here(p, at);
		if (invoked && invoked_argc(e) != invoked_argc(lk->local))
			return bad(p, "aml-ambiguous", nm->off,
				   "%.4s in %s takes %d arguments as %s and %d as %s, "
				   "found whenever %s does not exist yet",
				   (const char *)nm->segs, at, invoked_argc(lk->local), in,
				   invoked_argc(e), out, in);
		if (use == USE_WRITE || use == USE_REF)
			forbid(p, use == USE_WRITE ? "aml-outside-write" : "aml-outside-ref", nm->off,
			       "%s in %s %s %.4s, which is %s outside the device whenever %s "
			       "does not exist yet",
			       aml_opcode_name(opcode), at,
			       use == USE_WRITE ? "writes" : "takes a reference to",
			       (const char *)nm->segs, out, in);
		else if (invoked && e->type == AML_OBJ_METHOD)
			forbid(p, "aml-outside-call", nm->off,
			       "%.4s in %s calls the method %s outside the device whenever %s "
			       "does not exist yet",
			       (const char *)nm->segs, at, out, in);
		return 0;
	}
	/* Nothing above in what the checks know; another approved blob, or a
	 * table of Xen's the policy does not name, may define it there. */
	if (use == USE_WRITE || use == USE_REF || invoked) {
		shown(in, p->seg, lk->level, nm->segs, 1);
		here(p, at);
		forbid(p, use == USE_WRITE ? "aml-outside-write" :
			  use == USE_REF ? "aml-outside-ref" : "aml-outside-call", nm->off,
		       "%s in %s %s %.4s, which is searched for outside the device whenever %s "
		       "does not exist yet", invoked && use != USE_WRITE && use != USE_REF ?
		       "a name evaluated" : aml_opcode_name(opcode), at,
		       use == USE_WRITE ? "writes" : use == USE_REF ? "takes a reference to" : "evaluates",
		       (const char *)nm->segs, in);
	}
	return 0;
}

/* twin_search when it may matter; late: the name was found once the walk
 * was over, defined after the use. */
static inline __attribute__((always_inline)) int
twin_check(struct parser *p, const struct name *nm, const struct lookup *lk,
	   enum use use, unsigned opcode, bool invoked, bool late)
{
	if (!p->device || !lk->local)
		return 0;
	/* The policy's hid condition trusts _HID: a write would change it. */
	if ((use == USE_WRITE || use == USE_REF) && own_hid(p, lk->level, nm))
		p->hid_written = true;
	if (p->pass != 2 || (use == USE_NAME && !invoked) || nm->root || nm->carets ||
	    nm->nseg != 1 || lk->level < 2 || (!late && certain(p, lk->local, lk->hash)))
		return 0;
	return twin_search(p, nm, lk, use, opcode, invoked);
}

/*
 * A method made data, by CopyObject into its name or by a write through a
 * reference to it (ACPICA writes through an Arg), takes no arguments any
 * more, and the bytes after its calls parse otherwise: a device body
 * copies into no method and takes no reference to one.  (An expression
 * may still give a method, to be copied into a name: see copy_source().)
 * Returns -1 on aml-ambiguous.
 */
static int ref_to_method(struct parser *p, const struct name *nm, const struct ns_entry *e,
			 unsigned opcode)
{
	if (!p->device || e->type != AML_OBJ_METHOD)
		return 0;
	if (opcode == 0x71 || opcode == 0x5b12)
		forbid(p, "aml-outside-ref", nm->off,
		       "%s of a method: a write through the reference would make it data, "
		       "whose calls would then parse otherwise", aml_opcode_name(opcode));
	if (opcode == 0x9d && ARGC(e))
		return bad(p, "aml-ambiguous", nm->off,
			   "CopyObject into a method taking arguments: its calls would then "
			   "parse without them");
	return 0;
}

/* A name used, not invoked (but for data elements, which ACPICA parses as
 * possible calls with no arguments here): remember it when it must be
 * looked at again. */
static int note_use_as(struct parser *p, const struct name *nm, enum use use, unsigned opcode,
		       bool invoked)
{
	struct lookup lk;

	if (p->pass != 2 || !nm->nseg)
		return 0;
	if (lookup(p, nm, &lk, true))
		return -1;
	if (lk.local && ref_to_method(p, nm, lk.local, opcode))
		return -1;
	if (pending(p, &lk, nm, use))
		return add_pending(p, nm, use, opcode, invoked, 0);
	return lk.local ? twin_check(p, nm, &lk, use, opcode, invoked, false) : 0;
}

static int note_use(struct parser *p, const struct name *nm, enum use use, unsigned opcode)
{
	return note_use_as(p, nm, use, opcode, false);
}

static int note_ref(struct parser *p, const struct name *nm)
{
	return note_use(p, nm, USE_NAME, 0);
}

/* A device body's own scope: uses that take a reference (USE_REF). */
static int note_dev_ref(struct parser *p, const struct name *nm, unsigned opcode)
{
	return note_use(p, nm, p->device ? USE_REF : USE_NAME, opcode);
}


void aml_path_text(const uint32_t *seg, size_t n, char *out)
{
	path_text(out, seg, n, NULL, 0);
}

static bool under_device(const uint32_t *segs, size_t n, const uint32_t dev[2])
{
	return n >= 2 && segs[0] == dev[0] && segs[1] == dev[1];
}

/* emit()'s record, out of line. */
static int emit_object(struct parser *p, size_t base, const struct name *nm, uint64_t hash,
		       uint8_t type, uint8_t argc, size_t opoff)
{
	struct aml_object *o;

	if (p->out->nobjs == p->objcap) {
		size_t n = p->objcap ? p->objcap * 2 : 64;
		void *v;

		if (p->out->nobjs >= AML_MAX_OBJECTS)
			return bad(p, "aml-limit", opoff, "more than %d named objects",
				   AML_MAX_OBJECTS);
		v = realloc(p->out->objs, n * sizeof(*p->out->objs));
		if (!v)
			return no_memory(p, opoff);
		p->out->objs = v;
		p->objcap = n;
	}
	o = &p->out->objs[p->out->nobjs++];
	/* A few segments: a loop beats two calls to memcpy. */
	for (size_t i = 0; i < base; i++)
		o->seg[i] = p->seg[i];
	for (size_t i = 0; i < nm->nseg; i++)
		memcpy(&o->seg[base + i], nm->segs + 4 * i, 4);
	o->nseg = (uint8_t)(base + nm->nseg);
	o->in_known = type != AML_OBJ_EXTERNAL && p->known &&
		      ns_find(p->known, hash, p->seg, base, nm->segs, nm->nseg);
	o->type = type;
	o->argc = argc;
	o->offset = p->base + opoff;
	return 0;
}

/* Record a load-time object in the result (pass 2, outside method bodies);
 * hash is that of its path.  Inline: half the objects are a method's,
 * which need no record. */
static inline int emit(struct parser *p, size_t base, const struct name *nm, uint64_t hash,
		       uint8_t type, uint8_t argc, size_t opoff)
{
	if (p->pass != 2 || p->in_method)
		return 0;
	return emit_object(p, base, nm, hash, type, argc, opoff);
}

/* A named object created where nm says, relative to the current scope. */
static int define(struct parser *p, const struct name *nm, uint8_t type, uint8_t argc,
		  size_t opoff)
{
	uint64_t hash;
	size_t base;
	int rc;

	if (!nm->nseg)
		return bad(p, "aml-namestring", nm->off, "object defined with a NullName");
	if ((base = name_base(p, nm)) == FAIL)
		return -1;
	if (p->device && (nm->root || nm->carets)) {
		char t[AML_PATH_MAX];

		path_text(t, p->seg, base, nm->segs, nm->nseg);
		forbid(p, "aml-escape", nm->off,
		       "definition of %s uses a '%c' prefix outside the device's scope", t,
		       nm->root ? '\\' : '^');
	}
	if (p->pass == 2 && own_hid(p, base, nm)) {
		p->hid_defs++;
		p->hid_unsure |= type != AML_OBJ_NAME || p->in_method;
	}
	hash = hash_bytes(p->hs[base], nm->segs, nm->nseg);
	/* Pass 1 has added the load-time objects already, unless it failed. */
	if (p->pass == 2 && !p->in_method && !p->pass1_failed) {
		struct ns_entry *e =
			ns_get_parts_mut(p->local, hash, p->seg, base, nm->segs, nm->nseg);

		if (e)
			e->argc &= (uint8_t)~ARGC_LATER;
		return emit(p, base, nm, hash, type, argc, opoff);
	}
	/* One walk: load-time code looked this path up before it existed. */
	if (p->single && was_missed(p, hash, type == AML_OBJ_METHOD ? argc : 0))
		p->diverged = true;
	if (ns_count(p->local) >= AML_MAX_LOCAL)
		return bad(p, "aml-limit", opoff, "more than %d named objects", AML_MAX_LOCAL);
	rc = ns_add_parts(p->local, hash, p->seg, base, nm->segs, nm->nseg, type,
			  argc | (p->in_method ? ARGC_RUNTIME : 0) |
				  (p->in_method && p->nblocks ? ARGC_COND : 0) |
				  (p->pass == 1 ? ARGC_LATER : 0));
	if (rc < 0)
		return no_memory(p, opoff);
	if (rc > 0 && p->nrechecks) {
		uint32_t last;

		memcpy(&last, nm->segs + 4 * (nm->nseg - 1), 4);
		p->late_segs[seg_bit(last) / 64] |= 1ull << seg_bit(last) % 64;
	}
	if (rc > 0 && p->in_method && p->nblocks) {
		if (room(p, (void **)&p->cdefs, p->ncdefs, &p->cdefcap, sizeof(*p->cdefs), 16,
			 opoff))
			return -1;
		p->cdefs[p->ncdefs++] = (struct cond_def){ hash, p->blocks[p->nblocks - 1] };
	}
	if (rc == 0) {
		/* Defined again: an invocation must parse alike whichever exists. */
		const struct ns_entry *e =
			ns_get_parts(p->local, hash, p->seg, base, nm->segs, nm->nseg);

		if (e && invoked_argc(e) != (type == AML_OBJ_METHOD ? argc : 0)) {
			char disp[AML_PATH_MAX];

			return bad(p, "aml-ambiguous", nm->off,
				   "%s is defined twice, taking %d and %d arguments",
				   shown(disp, p->seg, base, nm->segs, nm->nseg),
				   invoked_argc(e), type == AML_OBJ_METHOD ? argc : 0);
		}
	}
	return emit(p, base, nm, hash, type, argc, opoff);
}

/* ------------------------------------------------------------------ */

static int term_list(struct parser *p, size_t pos, size_t end, unsigned depth);
static size_t op(struct parser *p, size_t pos, size_t end, unsigned depth, bool in_arg);

static inline size_t term_arg(struct parser *p, size_t pos, size_t end, unsigned depth)
{
	uint8_t n;

	/* Leaves (see leaf1) here, without op()'s frame; op() reports the
	 * same findings for one that is truncated or too deep. */
	if (pos < end && (n = leaf1[p->d[pos]]) && n <= end - pos && depth < AML_MAX_DEPTH)
		return pos + n;
	return op(p, pos, end, depth, true);
}

static size_t name_term(struct parser *p, size_t pos, size_t end, unsigned depth, enum use use,
			unsigned opcode);

/* super_name()'s NameString, out of line: most targets are none, a Local
 * or an Arg, which then pay for no frame that a name needs. */
static size_t super_name_string(struct parser *p, size_t pos, size_t end, bool record,
				enum use use, unsigned opcode)
{
	struct name nm;

	pos = namestring(p, pos, end, &nm);
	return pos == FAIL || (record && note_use(p, &nm, use, opcode)) ? FAIL : pos;
}

/* SuperName, Target, SimpleName: a NameString here is never invoked. */
static inline size_t super_name(struct parser *p, size_t pos, size_t end, unsigned depth,
				bool record, enum use use, unsigned opcode)
{
	if (need(p, pos, 1, end))
		return FAIL;
	if (p->d[pos] == 0x00)	/* NullName: no target */
		return pos + 1;
	if (name_lead(p->d[pos]))
		return super_name_string(p, pos, end, record, use, opcode);
	return term_arg(p, pos, end, depth);
}

/*
 * DerefOf of a String is a name looked up at run time (ACPICA resolves it
 * with the upward search), so what DerefOf gives may be any object, Xen's
 * included.  In a device body it may be written, operated on as a sync
 * object, indexed, have fields created over it, be passed to a method or
 * returned (a reference reaches the object in each case) only when its
 * operand is a reference made right there: RefOf or Index, whose own
 * operands are held to the rules.  A Local, an Arg, a name, a nested
 * DerefOf or a call may hold a String (CondRefOf gives a Boolean).  at is the DerefOf opcode;
 * the finding is made with use saying which rule it breaks.
 */
static void deref_use(struct parser *p, size_t at, size_t end, enum use use, unsigned opcode)
{
	char disp[AML_PATH_MAX];
	uint8_t c = at + 1 < end ? p->d[at + 1] : 0;

	if (c == 0x71 || c == 0x88)
		return;
	here(p, disp);
	forbid(p, use == USE_WRITE ? "aml-outside-write" : "aml-outside-ref", at,
	       "%s in %s %s DerefOf of %s, which can name any object at run time",
	       aml_opcode_name(opcode), disp, use == USE_WRITE ? "writes through" : "takes a reference through",
	       c == 0x0d ? "a String" : c >= 0x60 && c <= 0x6e ? "a Local or an Arg" :
	       name_lead(c) ? "a name" : "an expression");
}

/*
 * A SuperName written by opcode (a Target, Store's and CopyObject's
 * destination, Increment's operand, a sync object).  In a device body it
 * must be a Local, an Arg, Debug or a name in the device (checked once
 * every name is known), or DerefOf of a reference made there (deref_use).
 * Index, RefOf and CondRefOf as targets take their references under their
 * own rules.
 */
static size_t write_target(struct parser *p, size_t pos, size_t end, unsigned depth,
			   unsigned opcode)
{
	if (need(p, pos, 1, end))
		return FAIL;
	if (p->d[pos] == 0x83 && p->device)
		deref_use(p, pos, end, USE_WRITE, opcode);
	return super_name(p, pos, end, depth, true, p->device ? USE_WRITE : USE_NAME, opcode);
}

/* An operand a reference is taken into (see deref_use for DerefOf). */
static inline size_t ref_operand(struct parser *p, size_t pos, size_t end, unsigned depth,
				 unsigned opcode)
{
	if (need(p, pos, 1, end))
		return FAIL;
	if (name_lead(p->d[pos]))
		return name_term(p, pos, end, depth, p->device ? USE_REF : USE_READ, opcode);
	if (p->d[pos] == 0x83 && p->device)
		deref_use(p, pos, end, USE_REF, opcode);
	return term_arg(p, pos, end, depth);
}

/* Name's object and package elements: DataRefObject or a NameString, which
 * ACPICA turns into a reference to the object named. */
static size_t data_ref(struct parser *p, size_t pos, size_t end, unsigned depth, unsigned opcode)
{
	struct name nm;

	if (need(p, pos, 1, end))
		return FAIL;
	if (name_lead(p->d[pos])) {
		struct lookup lk;
		int rc;

		p->soft = !p->device;	/* see note_missed() */
		if ((pos = namestring(p, pos, end, &nm)) == FAIL || lookup(p, &nm, &lk, false))
			rc = -1;
		else if (lk.method && lk.argc)
			/* ACPICA parses a method named here as a call, and reads its
			 * arguments from the bytes after it, past the package's end. */
			rc = bad(p, "aml-ambiguous", nm.off,
				 "a method taking %d arguments named as a data element: ACPICA "
				 "would read its arguments from the bytes after it", lk.argc);
		else
			rc = note_use_as(p, &nm, p->device ? USE_REF : USE_NAME, opcode, true);
		p->soft = false;
		return rc ? FAIL : pos;
	}
	return term_arg(p, pos, end, depth);
}

/*
 * A data object written in the AML itself: Zero, One, Ones, an integer,
 * a String, a Buffer, a Package or Revision.
 */
static bool literal_at(const struct parser *p, size_t at, size_t end)
{
	uint8_t c = p->d[at];

	return c == 0x00 || c == 0x01 || c == 0xff || (c >= 0x0a && c <= 0x0e) ||
	       (c >= 0x11 && c <= 0x13) || (c == 0x5b && at + 1 < end && p->d[at + 1] == 0x30);
}

/*
 * ACPICA's DerefOf of a String naming a method gives the method's node
 * itself, which CopyObject then copies as if it were an object: the name
 * copied into becomes a method, with an argument count read from bytes of
 * the source's name, and its uses after that parse as calls.  Store into
 * an Arg that holds a reference (RefOf of a name of the device's) writes
 * through it the same way, without conversion.  So in a device body, what
 * CopyObject copies, and what is stored into an Arg, must be a literal.
 */
static int copy_source(struct parser *p, unsigned code, size_t src, size_t dst, size_t end)
{
	if (dst >= end)
		return 0;	/* no destination: write_target() says so */
	if (code == 0x9d ? literal_at(p, src, end)
			 : p->d[dst] < 0x68 || p->d[dst] > 0x6e || literal_at(p, src, end))
		return 0;
	return bad(p, "aml-ambiguous", src,
		   "%s of anything but a literal%s: DerefOf or a call may give a method, "
		   "and the name written would then be one, whose uses parse as calls",
		   aml_opcode_name(code), code == 0x9d ? "" : " into an Arg");
}

static size_t operands(struct parser *p, const struct opdesc *d, unsigned code, size_t pos,
		       size_t end, unsigned depth, size_t opoff)
{
	const size_t first = pos;

	for (const char *a = d->args; *a; a++) {
		struct name nm;
		size_t n = 0;

		switch (*a) {
		case 't':
			pos = term_arg(p, pos, end, depth);
			break;
		case 's':
			pos = super_name(p, pos, end, depth, true, USE_NAME, 0);
			break;
		case 'R':
		case 'c':
			/* CondRefOf may name nothing: only a device body's is noted. */
			if (p->device && pos < end && p->d[pos] == 0x83)
				deref_use(p, pos, end, USE_REF, code);
			pos = super_name(p, pos, end, depth, *a == 'R' || p->device,
					 p->device ? USE_REF : USE_NAME, code);
			break;
		case 'r':
			pos = ref_operand(p, pos, end, depth, code);
			break;
		case 'W':
			if (p->device && (code == 0x70 || code == 0x9d) &&
			    copy_source(p, code, first, pos, end))
				return FAIL;
			/* fall through */
		case 'T':
			pos = write_target(p, pos, end, depth, code);
			break;
		case 'n':
			if ((pos = namestring(p, pos, end, &nm)) != FAIL && note_ref(p, &nm))
				return FAIL;
			break;
		case 'N':
			if ((pos = namestring(p, pos, end, &nm)) != FAIL &&
			    define(p, &nm, d->objtype, 0, opoff))
				return FAIL;
			break;
		case 'b':
			n = 1;
			break;
		case 'w':
			n = 2;
			break;
		case 'd':
			n = 4;
			break;
		case 'q':
			n = 8;
			break;
		}
		if (pos == FAIL)
			return FAIL;
		if (n) {
			if (need(p, pos, n, end))
				return FAIL;
			pos += n;
		}
	}
	return pos;
}

/* Enter the scope named by a definition or Scope(); saved receives the old one. */
struct saved_scope {
	uint32_t seg[MAX_SEGS];
	uint8_t nseg;
};

static void scope_save(struct parser *p, struct saved_scope *s)
{
	for (size_t i = 0; i < p->nseg; i++)	/* see enter_scope() */
		s->seg[i] = p->seg[i];
	s->nseg = p->nseg;
}

static void scope_restore(struct parser *p, const struct saved_scope *s)
{
	enter_scope(p, s->seg, s->nseg);
}

static int enter_def(struct parser *p, const struct name *nm)
{
	size_t base = name_base(p, nm);

	if (base == FAIL)
		return -1;
	set_scope(p, base, nm);
	return 0;
}

static int field_list(struct parser *p, size_t pos, size_t end, unsigned depth)
{
	while (pos < end) {
		uint8_t c = p->d[pos];
		size_t v;

		switch (c) {
		case 0x00:	/* ReservedField */
			if ((pos = pkglength(p, pos + 1, end, false, &v)) == FAIL)
				return -1;
			break;
		case 0x01:	/* AccessField */
			if (need(p, pos, 3, end))
				return -1;
			pos += 3;
			break;
		case 0x03:	/* ExtendedAccessField */
			if (need(p, pos, 4, end))
				return -1;
			pos += 4;
			break;
		case 0x02:	/* ConnectField */
			pos++;
			if (need(p, pos, 1, end))
				return -1;
			if (p->d[pos] == 0x11) {
				if ((pos = term_arg(p, pos, end, depth)) == FAIL)
					return -1;
			} else {
				struct name nm;

				if ((pos = namestring(p, pos, end, &nm)) == FAIL || note_ref(p, &nm))
					return -1;
			}
			break;
		default: {	/* NamedField */
			struct name nm;
			size_t at = pos;

			if (need(p, pos, 4, end))
				return -1;
			if (!seg_ok(p->d + pos)) {
				char t[24];

				text_escape(t, sizeof(t), p->d + pos, 4);
				return bad(p, "aml-nameseg", pos, "invalid field name \"%s\"", t);
			}
			nm.off = pos;
			nm.segs = p->d + pos;
			nm.nseg = 1;
			nm.carets = 0;
			nm.root = false;
			if ((pos = pkglength(p, pos + 4, end, false, &v)) == FAIL ||
			    define(p, &nm, AML_OBJ_FIELD, 0, at))
				return -1;
			break;
		}
		}
	}
	return 0;
}

static void decode_hid(struct parser *p, size_t pos, size_t end)
{
	uint8_t c = p->d[pos];
	uint32_t v;

	if (c == 0x0d) {
		const uint8_t *s = p->d + pos + 1;
		const uint8_t *z = memchr(s, 0, end - pos - 1);

		if (z)
			text_escape(p->out->hid, sizeof(p->out->hid), s, (size_t)(z - s));
		return;
	}
	if (c == 0x0c && end - pos >= 5)
		v = le32(p->d + pos + 1);
	else if (c == 0x0b && end - pos >= 3)
		v = le16(p->d + pos + 1);
	else if (c == 0x0a && end - pos >= 2)
		v = p->d[pos + 1];
	else
		return;
	/* EISA id: three 5-bit letters and four hex digits, stored big-endian. */
	v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
	snprintf(p->out->hid, sizeof(p->out->hid), "%c%c%c%04X",
		 (char)('@' + ((v >> 26) & 0x1f)), (char)('@' + ((v >> 21) & 0x1f)),
		 (char)('@' + ((v >> 16) & 0x1f)), (unsigned)(v & 0xffff));
}

static bool is_own_hid(struct parser *p, const struct name *nm)
{
	return p->device && p->pass == 2 && !p->in_method && !nm->root && !nm->carets &&
	       nm->nseg == 1 && !memcmp(nm->segs, "_HID", 4) && p->nseg == 2 &&
	       p->seg[0] == p->dev[0] && p->seg[1] == p->dev[1];
}

/*
 * Scope (NAME) searches for a bare NAME upward, as any reference does
 * (twin_check): is there an object of that name outside the device that
 * it opens whenever the device's own does not exist yet?  saved is the
 * scope Scope appears in, lk what NAME was found as.
 */
static bool scope_twin(struct parser *p, const struct name *nm, const struct saved_scope *saved,
		       const struct lookup *lk)
{
	struct saved_scope now;
	size_t lvl = lk->level;
	uint64_t h;
	uint32_t s;
	bool twin = false;

	if (nm->root || nm->carets || nm->nseg != 1 || lvl < 2 || certain(p, lk->local, lk->hash))
		return false;
	memcpy(&s, nm->segs, 4);
	scope_save(p, &now);
	scope_restore(p, saved);
	while (search_above(p, s, &lvl, &h))
		if (lvl < 2) {
			twin = !(lvl == 1 && s == p->dev[1]);
			break;
		}
	scope_restore(p, &now);
	return twin;
}

/*
 * An Alias in a device body must not change what the checks see: a call
 * through an alias of a method takes the method's arguments, and a path
 * through an alias of a scope goes where the alias points.  Its source must
 * be a data object of the device (not a method, a device or a scope) that
 * exists when the Alias runs.
 */
static bool alias_unsure(struct parser *p, const struct name *src)
{
	struct lookup lk;

	if (!src->nseg || lookup(p, src, &lk, true))
		return true;
	if (!lk.local || !inside_device(p, &lk, src))	/* outside: note_use reports it */
		return lk.local == NULL && inside_device(p, &lk, src);
	if (!certain(p, lk.local, lk.hash))
		return true;
	switch (lk.local->type) {
	case AML_OBJ_NAME: case AML_OBJ_FIELD: case AML_OBJ_BUFFER_FIELD: case AML_OBJ_REGION:
	case AML_OBJ_MUTEX: case AML_OBJ_EVENT:
		return false;
	}
	return true;
}

/* One walk: set the body of a method aside, to walk in its scope later. */
static int defer_body(struct parser *p, size_t start, size_t end, unsigned depth)
{
	struct deferred_body *b;

	if (room(p, (void **)&p->bodies, p->nbodies, &p->bodycap, sizeof(*p->bodies), 16, start) ||
	    save_scope(p, start))
		return -1;
	b = &p->bodies[p->nbodies++];
	b->start = (uint32_t)start;
	b->end = (uint32_t)end;
	b->scope_off = (uint32_t)(p->nrscopes - p->nseg);
	b->scope_nseg = p->nseg;
	b->depth = (uint8_t)depth;
	return 0;
}

/* Opcodes with their own layout. */
static size_t special(struct parser *p, unsigned code, size_t pos, size_t end, unsigned depth,
		      size_t opoff)
{
	struct name nm, src;
	struct saved_scope saved;
	size_t pend = 0;	/* set by pkglength; gcc -O2 cannot tell */
	int rc;

	switch (code) {
	case 0x06:	/* Alias source alias */
		if ((pos = namestring(p, pos, end, &src)) == FAIL || note_dev_ref(p, &src, code) ||
		    (pos = namestring(p, pos, end, &nm)) == FAIL)
			return FAIL;
		if (p->device && alias_unsure(p, &src)) {
			char disp[AML_PATH_MAX];

			forbid(p, "aml-outside-ref", src.off,
			       "Alias in %s: a device body may alias only a data object of its own "
			       "defined before it (ACPICA follows an alias in paths, and calls it "
			       "when it names a method)", here(p, disp));
		}
		return define(p, &nm, AML_OBJ_ALIAS, 0, opoff) ? FAIL : pos;
	case 0x08:	/* Name */
		if ((pos = namestring(p, pos, end, &nm)) == FAIL ||
		    define(p, &nm, AML_OBJ_NAME, 0, opoff) || need(p, pos, 1, end))
			return FAIL;
		if (is_own_hid(p, &nm))
			decode_hid(p, pos, end);
		return data_ref(p, pos, end, depth, code);
	case 0x0d: {	/* String */
		const uint8_t *z = memchr(p->d + pos, 0, end - pos);

		if (!z)
			return fail(p, "aml-truncated", opoff, "String without its NUL");
		return (size_t)(z - p->d) + 1;
	}
	case 0x10: {	/* Scope */
		struct lookup lk;

		if ((pos = pkglength(p, pos, end, true, &pend)) == FAIL ||
		    (pos = namestring(p, pos, pend, &nm)) == FAIL || lookup(p, &nm, &lk, false) ||
		    (!lk.local && note_ref(p, &nm)))
			return FAIL;
		scope_save(p, &saved);
		if (lk.found) {
			set_scope(p, lk.level, &nm);
		} else if (enter_def(p, &nm)) {
			return FAIL;
		}
		if (p->device && !under_device(p->seg, p->nseg, p->dev)) {
			char t[AML_PATH_MAX];

			path_text(t, p->seg, p->nseg, NULL, 0);
			forbid(p, "aml-escape", opoff, "Scope (%s) leaves the device", t);
		} else if (p->device && p->in_method) {
			char t[AML_PATH_MAX];

			path_text(t, p->seg, p->nseg, NULL, 0);
			forbid(p, "aml-escape", opoff,
			       "Scope (%s) in a method: a method of a device creates objects only "
			       "in its own scope, where the checks can tell when they exist", t);
		} else if (p->device && !lk.local) {
			char t[AML_PATH_MAX];

			path_text(t, p->seg, p->nseg, NULL, 0);
			forbid(p, "aml-escape", opoff,
			       "Scope (%s) opens nothing the device has defined: ACPICA searches "
			       "for it outside the device", t);
		} else if (p->device && lk.local && scope_twin(p, &nm, &saved, &lk)) {
			char t[AML_PATH_MAX];

			path_text(t, p->seg, p->nseg, NULL, 0);
			forbid(p, "aml-escape", opoff,
			       "Scope (%s) leaves the device whenever %s does not exist yet: "
			       "the search for %.4s goes on outside it", t, t,
			       (const char *)nm.segs);
		}
		rc = term_list(p, pos, pend, depth);
		scope_restore(p, &saved);
		return rc ? FAIL : pend;
	}
	case 0x11:	/* Buffer: size then bytes */
		if ((pos = pkglength(p, pos, end, true, &pend)) == FAIL ||
		    term_arg(p, pos, pend, depth) == FAIL)
			return FAIL;
		return pend;
	case 0x12:	/* Package */
	case 0x13:	/* VarPackage */
		if ((pos = pkglength(p, pos, end, true, &pend)) == FAIL)
			return FAIL;
		if (code == 0x12)
			pos = need(p, pos, 1, pend) ? FAIL : pos + 1;
		else
			pos = term_arg(p, pos, pend, depth);
		while (pos < pend)
			pos = data_ref(p, pos, pend, depth, code);
		return pos;
	case 0x14: {	/* Method */
		uint8_t flags;

		if ((pos = pkglength(p, pos, end, true, &pend)) == FAIL ||
		    (pos = namestring(p, pos, pend, &nm)) == FAIL || need(p, pos, 1, pend))
			return FAIL;
		flags = p->d[pos++];
		if (define(p, &nm, AML_OBJ_METHOD, flags & 7, opoff))
			return FAIL;
		if (p->pass == 1)
			return pend;
		scope_save(p, &saved);
		if (enter_def(p, &nm))
			return FAIL;
		if (p->single && !p->in_method) {
			rc = defer_body(p, pos, pend, depth);
		} else {
			p->in_method++;
			rc = term_list(p, pos, pend, depth);
			p->in_method--;
		}
		scope_restore(p, &saved);
		return rc ? FAIL : pend;
	}
	case 0x15: {	/* External name type argc */
		uint8_t type, argc;
		uint64_t hash;
		size_t base;

		if ((pos = namestring(p, pos, end, &nm)) == FAIL || need(p, pos, 2, end))
			return FAIL;
		type = p->d[pos];
		argc = p->d[pos + 1];
		pos += 2;
		if (!nm.nseg)
			return fail(p, "aml-namestring", nm.off, "External of a NullName");
		if (type == 8 && argc > 7)
			return fail(p, "aml-ambiguous", opoff,
				    "External method with %u arguments (at most 7)", argc);
		if ((base = name_base(p, &nm)) == FAIL)
			return FAIL;
		hash = hash_bytes(p->hs[base], nm.segs, nm.nseg);
		/* ACPICA creates a node for an External that names nothing. */
		if (p->device && (nm.root || nm.carets) && p->pass == 2 &&
		    !inside_device(p, &(struct lookup){ .level = base }, &nm) &&
		    !(p->known && ns_get_parts(p->known, hash, p->seg, base, nm.segs, nm.nseg))) {
			char disp[AML_PATH_MAX];

			forbid(p, "aml-escape", nm.off,
			       "External (%s) names nothing in Xen's namespace and would create "
			       "it outside the device", shown(disp, p->seg, base, nm.segs, nm.nseg));
		}
		/*
		 * Whether ACPICA creates an object for an External depends on its
		 * version and on whether the code declaring it runs: in a device
		 * body it is no proof that anything exists, and the names the body
		 * uses are looked up without it.
		 */
		if (p->device)
			return emit(p, base, &nm, hash, AML_OBJ_EXTERNAL, type == 8 ? argc : 0,
				    opoff) ? FAIL : pos;
		if (!p->ext)
			p->ext = ns_new_pathless(0);
		/* One walk: pass 2 knew every load-time External from the start. */
		if (p->single && was_missed(p, hash, type == 8 ? argc : 0))
			p->diverged = true;
		if (!p->ext ||
		    ns_add_parts(p->ext, hash, p->seg, base, nm.segs, nm.nseg,
				 type == 8 ? AML_OBJ_METHOD : AML_OBJ_EXTERNAL,
				 type == 8 ? argc : type) < 0) {
			no_memory(p, opoff);
			return FAIL;
		}
		/* Listed (not a definition) so callers can see what it expects. */
		return emit(p, base, &nm, hash, AML_OBJ_EXTERNAL, type == 8 ? argc : 0,
			    opoff) ? FAIL : pos;
	}
	case 0xa0:	/* If */
	case 0xa1:	/* Else */
	case 0xa2:	/* While */
		if ((pos = pkglength(p, pos, end, true, &pend)) == FAIL ||
		    (code != 0xa1 && (pos = term_arg(p, pos, pend, depth)) == FAIL))
			return FAIL;
		/* op()'s depth bound keeps nblocks below AML_MAX_DEPTH */
		p->blocks[p->nblocks++] = ++p->block_serial;
		rc = term_list(p, pos, pend, depth);
		p->nblocks--;
		return rc ? FAIL : pend;
	case 0x5b81:	/* Field region flags list */
	case 0x5b86:	/* IndexField index data flags list */
	case 0x5b87:	/* BankField region bank value flags list */
		/* A field over an outside region, index or bank writes it. */
		if ((pos = pkglength(p, pos, end, true, &pend)) == FAIL ||
		    (pos = namestring(p, pos, pend, &nm)) == FAIL || note_dev_ref(p, &nm, code))
			return FAIL;
		if (code != 0x5b81 &&
		    ((pos = namestring(p, pos, pend, &src)) == FAIL || note_dev_ref(p, &src, code)))
			return FAIL;
		if (code == 0x5b87 && (pos = term_arg(p, pos, pend, depth)) == FAIL)
			return FAIL;
		if (need(p, pos, 1, pend))
			return FAIL;
		return field_list(p, pos + 1, pend, depth) ? FAIL : pend;
	case 0x5b82:	/* Device */
	case 0x5b83:	/* Processor id pblk-addr pblk-len */
	case 0x5b84:	/* PowerResource level order */
	case 0x5b85: {	/* ThermalZone */
		static const uint8_t types[4] = { AML_OBJ_DEVICE, AML_OBJ_PROCESSOR,
						   AML_OBJ_POWER, AML_OBJ_THERMAL };
		static const uint8_t fixed[4] = { 0, 6, 3, 0 };

		if ((pos = pkglength(p, pos, end, true, &pend)) == FAIL ||
		    (pos = namestring(p, pos, pend, &nm)) == FAIL ||
		    need(p, pos, fixed[code - 0x5b82], pend))
			return FAIL;
		pos += fixed[code - 0x5b82];
		if (define(p, &nm, types[code - 0x5b82], 0, opoff))
			return FAIL;
		scope_save(p, &saved);
		if (enter_def(p, &nm))
			return FAIL;
		rc = term_list(p, pos, pend, depth);
		scope_restore(p, &saved);
		return rc ? FAIL : pend;
	}
	}
	return fail(p, "aml-opcode", opoff, "internal: unhandled opcode 0x%x", code);
}

static int add_recheck(struct parser *p, const struct name *nm, const struct lookup *lk)
{
	struct recheck *r;

	if (room(p, (void **)&p->rechecks, p->nrechecks, &p->recheckcap, sizeof(*p->rechecks), 32,
		 nm->off) ||
	    save_scope(p, nm->off))
		return -1;
	r = &p->rechecks[p->nrechecks++];
	r->name_off = (uint32_t)nm->off;
	r->scope_off = (uint32_t)(p->nrscopes - p->nseg);
	r->scope_nseg = p->nseg;
	r->level = (uint8_t)lk->level;
	r->argc = (uint8_t)lk->argc;
	return 0;
}

/*
 * Once the walk is over every object the methods create is known: a call
 * that found an object above its scope finds instead, whenever it runs
 * after that, one a method created in between (later in an enclosing
 * method, on a loop's next pass, in a recursive call).  Both must take the
 * same arguments, or the bytes after the call parse two ways.
 */
static int recheck_calls(struct parser *p)
{
	for (size_t i = 0; i < p->nrechecks; i++) {
		const struct recheck *r = &p->rechecks[i];
		struct lookup lk;
		struct name nm;
		size_t pos = r->name_off;
		uint32_t seg;

		memcpy(&seg, p->d + pos, 4);	/* a bare NameSeg (name_term) */
		if (!seg_late(p, seg))
			continue;
		load_scope(p, r->scope_off, r->scope_nseg);
		if (namestring(p, pos, p->len, &nm) == FAIL || lookup(p, &nm, &lk, true))
			return -1;
		if (lk.local && lk.level != r->level && invoked_argc(lk.local) != r->argc) {
			char disp[AML_PATH_MAX];

			return bad(p, "aml-ambiguous", r->name_off,
				   "%.4s is called with %d arguments, but a method creates %s, "
				   "taking %d, which the call finds whenever that has run",
				   (const char *)nm.segs, r->argc,
				   shown(disp, p->seg, lk.level, nm.segs, nm.nseg),
				   invoked_argc(lk.local));
		}
	}
	return 0;
}

/*
 * ACPICA runs a table's code as it loads it, creating each object when it
 * gets to it: code in a device body that ran at load time would see only
 * the objects defined before it, take another branch than the checks
 * assume, or run a method whose names do not exist yet.  A device body
 * defines objects at load time and runs nothing; what runs is in methods.
 */
static void load_code(struct parser *p, size_t off, const char *what)
{
	char disp[AML_PATH_MAX];

	if (!p->device || p->in_method || p->pass != 2)
		return;
	here(p, disp);
	forbid(p, "aml-load-code", off,
	       "%s in %s, outside a method, runs while the table loads: a device defines "
	       "objects there and runs nothing", what, disp);
}

/* A method invocation or a reference by name in argument position. */
static size_t name_term(struct parser *p, size_t pos, size_t end, unsigned depth, enum use use,
			unsigned opcode)
{
	struct name nm;
	struct lookup lk;

	if ((pos = namestring(p, pos, end, &nm)) == FAIL || lookup(p, &nm, &lk, false))
		return FAIL;
	if (lk.ambiguous)
		return fail(p, "aml-ambiguous", nm.off,
			    "definitions and declarations of this name disagree on its arguments");
	if (lk.method)
		load_code(p, nm.off, "a method call");
	if (p->pass == 2 && p->device && p->in_method && lk.local && !nm.root && !nm.carets &&
	    nm.nseg == 1 && lk.level < p->nseg && add_recheck(p, &nm, &lk))
		return FAIL;
	if (p->pass == 2 && nm.nseg &&
	    (pending(p, &lk, &nm, use) ? add_pending(p, &nm, use, opcode, true, lk.argc)
				       : lk.local && twin_check(p, &nm, &lk, use, opcode, true, false)))
		return FAIL;
	/* A named Buffer or Package is passed by reference (ACPICA does):
	 * in a device body, an argument is one of its own names or no name. */
	for (int i = 0; i < lk.argc && pos != FAIL; i++)
		pos = p->device ? ref_operand(p, pos, end, depth, 0x14)
				: term_arg(p, pos, end, depth);
	return pos;
}

/* What the walk checks of an opcode besides its class (op()): a device
 * body's load-time code, Load and its family, DataTableRegion. */
static void op_rules(struct parser *p, const struct opdesc *d, unsigned code, size_t opoff,
		     bool in_arg)
{
	if (d->load)
		forbid(p, "aml-load", opoff, "%s loads or unloads a table at run time",
		       code == 0x5b1f ? "LoadTable" : code == 0x5b20 ? "Load" : "Unload");
	if (p->device && !p->in_method && !in_arg && d->cls != C_OBJ && code != 0x06 &&
	    code != 0x08 && code != 0x10 && code != 0x14 && code != 0x15 &&
	    (code < 0x5b81 || code > 0x5b87)) {
		char what[24];

		snprintf(what, sizeof(what), "opcode 0x%x", code);
		load_code(p, opoff, strcmp(aml_opcode_name(code), "an opcode") ?
					    aml_opcode_name(code) : what);
	}
	if (code == 0x5b88 && p->device) {
		char disp[AML_PATH_MAX];

		forbid(p, "aml-outside-ref", opoff,
		       "DataTableRegion in %s maps the bytes of a table, outside the device",
		       here(p, disp));
	}
}

/* depth: the opcodes this one is nested in, kept in a register as pos is. */
static size_t op(struct parser *p, size_t pos, size_t end, unsigned depth, bool in_arg)
{
	const size_t opoff = pos;
	const struct opdesc *d;
	unsigned code;
	uint8_t c;

	if (need(p, opoff, 1, end))
		return FAIL;
	if (depth++ >= AML_MAX_DEPTH)
		return fail(p, "aml-depth", opoff, "nested deeper than %d", AML_MAX_DEPTH);
	c = p->d[pos];
	if (name_lead(c))
		return name_term(p, pos, end, depth, USE_READ, 0);
	pos++;
	if (c == 0x5b) {
		if (need(p, pos, 1, end))
			return FAIL;
		code = 0x5b00 | p->d[pos];
		d = &ops2[p->d[pos++]];
	} else {
		code = c;
		d = &ops1[c];
	}
	/* Being strict about where an opcode stands is what exposes a wrong
	 * argument count. */
	if (!cls_fits[in_arg][d->cls]) {
		if (d->cls == C_NONE)
			bad(p, "aml-opcode", opoff, "unknown opcode 0x%x", code);
		else
			bad(p, "aml-opcode", opoff, "opcode 0x%x cannot be %s", code,
			    in_arg ? "an operand" : "a statement");
		return FAIL;
	}
	if (d->load || (p->device && (!p->in_method || code == 0x5b88)))
		op_rules(p, d, code, opoff, in_arg);
	return d->cls >= C_SPECIAL ? special(p, code, pos, end, depth, opoff)
				   : operands(p, d, code, pos, end, depth, opoff);
}

static int term_list(struct parser *p, size_t pos, size_t end, unsigned depth)
{
	while (pos < end)
		if ((pos = op(p, pos, end, depth, false)) == FAIL)
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */

static const struct {
	char path[5];
	uint8_t type, argc;
} predefined[] = {
	{ "_GPE", AML_OBJ_SCOPE, 0 }, { "_PR_", AML_OBJ_SCOPE, 0 },
	{ "_SB_", AML_OBJ_SCOPE, 0 }, { "_SI_", AML_OBJ_SCOPE, 0 },
	{ "_TZ_", AML_OBJ_SCOPE, 0 }, { "_GL_", AML_OBJ_MUTEX, 0 },
	{ "_OS_", AML_OBJ_NAME, 0 },  { "_OSI", AML_OBJ_METHOD, 1 },
	{ "_REV", AML_OBJ_NAME, 0 },
};

static void reset_scope(struct parser *p, bool device)
{
	p->hs[0] = NS_HASH_ROOT;
	p->nseg = 0;
	if (device) {
		p->seg[0] = p->dev[0];
		p->seg[1] = p->dev[1];
		p->hs[1] = ns_hash_seg(p->hs[0], p->seg[0]);
		p->hs[2] = ns_hash_seg(p->hs[1], p->seg[1]);
		p->nseg = 2;
	}
	p->in_method = 0;
}

/* A device body writing or taking a reference outside the device. */
static void outside_use(struct parser *p, const struct pending_ref *r, const struct aml_ref *o)
{
	char name[AML_PATH_MAX], scope[AML_PATH_MAX];

	aml_path_display(o->name, name, sizeof(name));
	aml_path_display(o->scope, scope, sizeof(scope));
	if (r->use == USE_WRITE)
		forbid(p, "aml-outside-write", r->name_off, "%s in %s writes %s, outside the device",
		       aml_opcode_name(r->opcode), scope, name);
	else
		forbid(p, "aml-outside-ref", r->name_off,
		       "%s in %s takes a reference to %s, outside the device",
		       aml_opcode_name(r->opcode), scope, name);
}

static int finish_refs(struct parser *p)
{
	size_t kept = 0;

	if (!p->nrefs)
		return 0;
	p->out->refs = malloc(p->nrefs * sizeof(*p->out->refs));
	if (!p->out->refs)
		return no_memory(p, 0);
	for (size_t i = 0; i < p->nrefs; i++) {
		const struct pending_ref *r = &p->refs[i];
		struct aml_ref *o = &p->out->refs[kept];
		struct lookup lk;
		struct name nm;
		size_t pos = r->name_off;
		char *t;

		load_scope(p, r->scope_off, r->scope_nseg);
		if (namestring(p, pos, p->len, &nm) == FAIL || lookup(p, &nm, &lk, true))
			return -1;
		memset(o, 0, sizeof(*o));
		path_text(o->scope, p->seg, p->nseg, NULL, 0);
		if (lk.local && r->invoked && invoked_argc(lk.local) != r->argc) {
			/* Defined after the use (later in a method body, in a loop):
			 * the bytes after it were parsed for another count. */
			char disp[AML_PATH_MAX];

			return bad(p, "aml-ambiguous", r->name_off,
				   "%s, defined after this use, takes %d arguments: the use was "
				   "parsed with %d", shown(disp, p->seg, lk.level, nm.segs, nm.nseg),
				   invoked_argc(lk.local), r->argc);
		}
		if (lk.local) {
			if (ref_to_method(p, &nm, lk.local, r->opcode))
				return -1;
			/* Defined here (perhaps later in a method body); in a
			 * device body, only its uses outside the device matter:
			 * a predefined name, a call to \_OSI. */
			if (!pending(p, &lk, &nm, r->use)) {
				if (twin_check(p, &nm, &lk, r->use, r->opcode, r->invoked, true))
					return -1;
				continue;
			}
			if (r->use == USE_READ && lk.local->type != AML_OBJ_METHOD)
				continue;
			path_text(o->name, p->seg, lk.level, nm.segs, nm.nseg);
			if (r->use != USE_READ) {
				outside_use(p, r, o);
				continue;
			}
			o->resolved = true;
			o->call = true;
			o->offset = p->base + r->name_off;
			kept++;
			continue;
		}
		t = o->name;
		if (nm.root)
			*t++ = '\\';
		for (unsigned k = 0; k < nm.carets; k++)
			*t++ = '^';
		for (unsigned k = 0; k < nm.nseg; k++) {
			if (k)
				*t++ = '.';
			memcpy(t, nm.segs + 4 * k, 4);
			t += 4;
		}
		*t = '\0';
		o->offset = p->base + r->name_off;
		if (p->device && (r->use == USE_WRITE || r->use == USE_REF)) {
			/* Not the device's: outside it, wherever it resolves (and
			 * kept as a reference all the same, for carve.c). */
			if (!inside_device(p, &lk, &nm))
				outside_use(p, r, o);
			if (r->opcode == 0x5b12)
				continue;	/* CondRefOf: it may name nothing */
		}
		o->call = p->device && r->use == USE_READ;
		kept++;
	}
	p->out->nrefs = kept;
	return 0;
}

/* One walk: the method bodies set aside, in their order (see the top). */
static int walk_bodies(struct parser *p)
{
	for (size_t i = 0; i < p->nbodies; i++) {
		const struct deferred_body *b = &p->bodies[i];
		int rc;

		load_scope(p, b->scope_off, b->scope_nseg);
		p->in_method = 1;
		rc = term_list(p, b->start, b->end, b->depth);
		p->in_method = 0;
		if (rc)
			return -1;
	}
	return 0;
}

static int by_name_off(const void *x, const void *y)
{
	const struct pending_ref *a = x, *b = y;

	return a->name_off < b->name_off ? -1 : a->name_off > b->name_off;
}

#define NPREDEFINED (sizeof(predefined) / sizeof(predefined[0]) + 1)	/* and the root */

/* A parser's own namespace: the predefined scopes and objects, and the root. */
static struct ns *new_local(void)
{
	struct ns *ns = ns_new_pathless(0);
	uint32_t s;

	if (!ns)
		return NULL;
	for (size_t i = 0; i < NPREDEFINED - 1; i++) {
		memcpy(&s, predefined[i].path, 4);
		if (ns_add_parts(ns, ns_hash_seg(NS_HASH_ROOT, s), &s, 1, NULL, 0,
				 predefined[i].type, predefined[i].argc) < 0)
			goto fail;
	}
	if (ns_add_parts(ns, NS_HASH_ROOT, NULL, 0, NULL, 0, AML_OBJ_SCOPE, 0) < 0)
		goto fail;
	return ns;
fail:
	ns_free(ns);
	return NULL;
}

/*
 * The parser of the last parse, kept for the next: most blobs are small,
 * and allocating its arrays and namespace, then adding the predefined
 * names, cost as much as parsing a few hundred bytes.  What a large blob
 * made larger than a small one needs is freed.  Held until exit.  No
 * lock: nothing here runs threads.
 */
#define SPARE_MAX 256		/* entries kept of each array */
#define SPARE_NAMES 4096	/* objects kept room for in the namespace */
static struct parser *spare;

static struct parser *parser_take(void)
{
	struct parser *p = spare;

	spare = NULL;
	if (p)
		return p;
	if (!(p = calloc(1, sizeof(*p))))
		return NULL;
	if (!(p->local = new_local())) {
		free(p);
		return NULL;
	}
	return p;
}

static void parser_drop(struct parser *p)
{
	ns_free(p->local);
	ns_free(p->ext);
	free(p->missed);
	free(p->bodies);
	free(p->cdefs);
	free(p->rechecks);
	free(p->refs);
	free(p->rscopes);
	free(p);
}

/* Free an array that grew past max entries. */
#define SHRINK(v, cap, max) do {	\
		if ((cap) > (max)) {	\
			free(v);	\
			(v) = NULL;	\
			(cap) = 0;	\
		}			\
	} while (0)

/* Back to as parser_take() found it, or freed. */
static void parser_give(struct parser *p)
{
	struct parser keep;

	ns_free(p->ext);
	SHRINK(p->missed, p->missedcap, SPARE_MAX);
	SHRINK(p->bodies, p->bodycap, SPARE_MAX);
	SHRINK(p->cdefs, p->cdefcap, SPARE_MAX);
	SHRINK(p->rechecks, p->recheckcap, SPARE_MAX);
	SHRINK(p->refs, p->refcap, SPARE_MAX);
	SHRINK(p->rscopes, p->rscap, 4 * SPARE_MAX);
	if (ns_count(p->local) <= SPARE_NAMES) {
		ns_truncate(p->local, NPREDEFINED);
	} else {
		ns_free(p->local);
		p->local = new_local();
	}
	if (spare || !p->local) {
		p->ext = NULL;
		parser_drop(p);
		return;
	}
	if (p->nmissed && p->missed)
		memset(p->missed, 0, p->missedcap * sizeof(*p->missed));
	keep = (struct parser){
		.local = p->local, .missed = p->missed, .missedcap = p->missedcap,
		.bodies = p->bodies, .bodycap = p->bodycap, .cdefs = p->cdefs,
		.cdefcap = p->cdefcap, .rechecks = p->rechecks, .recheckcap = p->recheckcap,
		.refs = p->refs, .refcap = p->refcap, .rscopes = p->rscopes, .rscap = p->rscap,
	};
	*p = keep;
	spare = p;
}

void aml_release(void)
{
	if (spare)
		parser_drop(spare);
	spare = NULL;
}

/*
 * single: one walk (see the top), which returns 1 when it cannot tell that
 * two passes would decide the same; otherwise the two passes.  Returns 0
 * when the AML parsed, -1 when not.  mark: f before the parse.
 */
static int parse_run(const uint8_t *d, size_t len, size_t base, size_t start,
		     const struct ns *known, const uint8_t *devname, struct aml_info *out,
		     struct findings *f, struct findings_mark mark, bool single)
{
	struct parser *p = parser_take();
	int rc = -1;

	if (!p) {
		findings_no_memory(f, "aml-limit", base);
		return -1;
	}
	p->d = d;
	p->len = len;
	p->base = base;
	p->known = known;
	p->out = out;
	p->f = f;
	p->device = devname != NULL;
	p->single = single;
	p->pass = 2;
	if (devname) {
		memcpy(&p->dev[0], "_SB_", 4);
		memcpy(&p->dev[1], devname, 4);
	}
	/* One walk is pass 2 adding load-time objects as it meets them. */
	p->pass1_failed = single;
	for (p->pass = single ? 2 : 1; p->pass <= 2; p->pass++) {
		reset_scope(p, false);
		if (p->pass == 2) {
			/* Pass 1 counted the load-time objects; one walk guesses
			 * from the length (a named object takes 6 bytes and up). */
			size_t n = single ? len / 48 + 8 : ns_count(p->local) + 1;

			if (n > AML_MAX_OBJECTS)
				n = AML_MAX_OBJECTS;
			out->nobjs = 0;
			free(out->objs);
			out->objs = malloc(n * sizeof(*out->objs));
			p->objcap = out->objs ? n : 0;
		}
		if (devname) {
			struct name nm = { .off = 0, .segs = devname, .nseg = 1 };
			uint32_t sb = p->dev[0];

			/* As if written Scope (\_SB) { Device (NAME) { body } }. */
			p->seg[0] = sb;
			p->hs[1] = ns_hash_seg(p->hs[0], sb);
			p->nseg = 1;
			if (define(p, &nm, AML_OBJ_DEVICE, 0, 0)) {
				rc = -1;
				goto done;
			}
			reset_scope(p, true);
		}
		rc = term_list(p, start, len, 0);
		if (p->pass == 1)
			p->pass1_failed = rc != 0;
	}
	p->pass = 2;
	if (single && !rc && !(rc = walk_bodies(p)) && p->nrefs)	/* refs may be NULL */
		qsort(p->refs, p->nrefs, sizeof(*p->refs), by_name_off);
	if (!rc)
		rc = finish_refs(p);
	if (!rc)
		rc = recheck_calls(p);
	if (!rc && p->device && (p->hid_defs > 1 || p->hid_unsure || p->hid_written)) {
		/* The HID the guest sees is not known from the bytes. */
		if (p->hid_defs > 1 || p->hid_written)
			forbid(p, "aml-hid", 0,
			       "the device's _HID is %s: the HID the guest sees cannot be known",
			       p->hid_written ? "written or referenced" : "defined more than once");
		p->out->hid[0] = '\0';
	}
	/* In the order of the bytes: the first is the one a decision reports. */
	findings_sort(f, mark);
done:
	if (single && (rc || p->diverged || f->lost != mark.lost))
		rc = 1;
	parser_give(p);
	return rc;
}

static int parse(const uint8_t *d, size_t len, size_t base, size_t start, const struct ns *known,
		 const uint8_t *devname, bool one_walk, struct aml_info *out, struct findings *f)
{
	struct findings_mark mark = findings_mark(f);
	int rc = 1;

	aml_info_free(out);
	if (one_walk)
		rc = parse_run(d, len, base, start, known, devname, out, f, mark, true);
	if (rc > 0) {
		findings_rewind(f, mark);
		aml_info_free(out);
		rc = parse_run(d, len, base, start, known, devname, out, f, mark, false);
	}
	if (rc && !findings_have(f, FINDING_MALFORMED))
		findings_add(f, FINDING_MALFORMED, "aml-limit", base, "AML could not be parsed");
	if (rc)
		aml_info_free(out);	/* nothing half-parsed is trusted */
	return rc ? -1 : 0;
}

static int parse_blob(const uint8_t *p, size_t len, size_t base, const struct ns *known,
		      bool device, bool one_walk, struct aml_info *out, struct findings *f)
{
	aml_info_free(out);
	if (!device && len < 36) {
		findings_add(f, FINDING_MALFORMED, "aml-truncated", base,
			     "a table of %zu bytes has no room for its header", len);
		return -1;
	}
	if (!device)
		return parse(p, len, base, 36, known, NULL, one_walk, out, f);
	if (len < 4) {
		findings_add(f, FINDING_MALFORMED, "aml-truncated", base,
			     "a device blob of %zu bytes has no room for its name", len);
		return -1;
	}
	if (!aml_nameseg_valid(p)) {
		char t[24];

		text_escape(t, sizeof(t), p, 4);
		findings_add(f, FINDING_MALFORMED, "aml-nameseg", base,
			     "invalid device name \"%s\"", t);
		return -1;
	}
	return parse(p, len, base, 4, known, p, one_walk, out, f);
}

int aml_parse_table(const uint8_t *p, size_t len, size_t base, const struct ns *known,
		    struct aml_info *out, struct findings *f)
{
	return parse_blob(p, len, base, known, false, true, out, f);
}

int aml_parse_device(const uint8_t *p, size_t len, size_t base, const struct ns *known,
		     struct aml_info *out, struct findings *f)
{
	return parse_blob(p, len, base, known, true, true, out, f);
}

int aml_parse_two_passes(const uint8_t *p, size_t len, size_t base, const struct ns *known,
			 bool device, struct aml_info *out, struct findings *f)
{
	return parse_blob(p, len, base, known, device, false, out, f);
}

int aml_term_end(const uint8_t *p, size_t len, size_t off, size_t *end)
{
	struct findings quiet;	/* pass 1 adds none, but may run out of memory */
	struct parser *ps;
	size_t pos = FAIL;
	int rc = -2;

	if (off >= len)
		return -1;
	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return -2;
	findings_init(&quiet);
	ps->d = p;
	ps->len = len;
	ps->f = &quiet;
	ps->pass = 1;	/* quiet, method bodies skipped by their length */
	ps->local = ns_new_pathless(0);
	if (ps->local) {
		reset_scope(ps, false);
		if ((pos = op(ps, off, len, 0, false)) != FAIL)
			rc = 0;
		else if (!quiet.no_memory)
			rc = -1;
	}
	ns_free(ps->local);
	ns_free(ps->ext);
	free(ps);
	findings_free(&quiet);
	if (!rc)
		*end = pos;
	return rc;
}
