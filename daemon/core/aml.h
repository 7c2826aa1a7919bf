/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bounded AML parser (ACPI 6.5 chapter 20).  It walks the TermList of an
 * AML table or of a device body, method bodies included, and reports what
 * the AML would create in the namespace when loaded, what it references, and
 * every violation of SPEC section 5.  It never executes anything.
 *
 * Names are kept in one normalized absolute form: "\" then 4-character
 * segments joined by '.', e.g. "\_SB_.NVDR.NV00"; the root is "\".
 */
#ifndef DMACPI_AML_H
#define DMACPI_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "findings.h"

#define AML_PATH_MAX 256	/* normalized absolute path, NUL included */
#define AML_MAX_SEGS ((AML_PATH_MAX - 1) / 5)	/* NameSegs in such a path */
#define AML_MAX_DEPTH 48	/* nesting of scopes and expressions */

struct ns;

enum aml_obj_type {
	AML_OBJ_NAME = 1,	/* Name() data object */
	AML_OBJ_METHOD,
	AML_OBJ_DEVICE,
	AML_OBJ_SCOPE,		/* predefined scopes (\_SB_, \_GPE, ...) only */
	AML_OBJ_REGION,
	AML_OBJ_FIELD,
	AML_OBJ_MUTEX,
	AML_OBJ_EVENT,
	AML_OBJ_PROCESSOR,
	AML_OBJ_POWER,
	AML_OBJ_THERMAL,
	AML_OBJ_ALIAS,
	AML_OBJ_BUFFER_FIELD,
	AML_OBJ_EXTERNAL,	/* declared by External(); not a definition */
	AML_OBJ_OTHER,
};

/*
 * An object's absolute path is kept as its NameSegs, each the uint32_t that
 * memcpy() of its 4 bytes gives (the root has none), the form the namespace
 * looks names up in; aml_path_text() gives the normalized text.
 */
struct aml_object {
	uint32_t seg[AML_MAX_SEGS];
	uint8_t nseg;
	uint8_t type;		/* enum aml_obj_type */
	uint8_t argc;		/* methods: argument count */
	bool in_known;		/* the path exists in the parser's known namespace */
	size_t offset;		/* of the defining opcode (+ base) */
};

/*
 * A name the AML uses that it does not define itself; in a device body,
 * also a method outside the device that it calls (call), which may be one
 * the AML knows already (resolved: name is then its absolute path).
 */
struct aml_ref {
	char scope[AML_PATH_MAX];	/* absolute scope where it appears */
	char name[AML_PATH_MAX];	/* as written: optional "\" or "^"s, then segments */
	size_t offset;
	bool call;			/* device body: a call when it names a method */
	bool resolved;			/* name is absolute and exists (predefined) */
};

struct aml_info {
	struct aml_object *objs;	/* created at load time, in AML order */
	size_t nobjs;
	struct aml_ref *refs;		/* unresolved within this AML alone */
	size_t nrefs;
	char hid[16];			/* device blobs: the device's own _HID ("ACPI0012",
					 * EISA ids decoded as "PNP0A03"); "" when none */
};

/*
 * Check names, by kind:
 *   MALFORMED: aml-pkglength (out of bounds), aml-namestring, aml-nameseg,
 *     aml-opcode (unknown), aml-truncated, aml-depth, aml-ambiguous
 *     (a method invocation whose argument count cannot be known, a name
 *     defined twice with different argument counts, a method taking
 *     arguments named as a data element, which ACPICA parses as a call, a
 *     method defined or created after a call parsed with another count,
 *     CopyObject into a device body's method taking arguments).
 *     In a device body External declares nothing: whether ACPICA creates
 *     an object for it depends on its version and on the code running.
 *   FORBIDDEN: aml-load (Load, LoadTable, Unload), aml-escape (a device body
 *     defining outside its scope: "\" or "^" on a definition, Scope to
 *     elsewhere or of a name the device has not defined, Scope in a method
 *     body (what a method creates stays in its scope), an External with a
 *     prefix naming nothing in Xen's namespace, which ACPICA would create,
 *     a name of prefixes alone), aml-load-code (a device body
 *     running code outside its methods: ACPICA runs it as the table loads,
 *     before later names exist), aml-hid (the device's _HID defined twice,
 *     written or referenced: the policy's hid condition cannot trust it),
 *     aml-outside-write (a device body writing a name outside
 *     the device: the target of Store, CopyObject, every Target operand,
 *     Increment/Decrement, a sync object of Acquire/Release/Signal/Reset/
 *     Wait), aml-outside-ref (a device body taking a reference to an
 *     outside object: RefOf, CondRefOf, Index's and Create*Field's source,
 *     Alias of an outside object or of anything but a data object of the
 *     device defined before it, RefOf and CondRefOf of a method (a write
 *     through it would make the method data), DataTableRegion,
 *     Field/IndexField/BankField over outside objects, a name as a
 *     Package element or Name value, a method argument or Return's value,
 *     since a named Buffer or Package is passed by reference); in all of
 *     these places DerefOf is refused unless its operand is RefOf or
 *     Index, since DerefOf of a String (which a Local, an Arg or a name
 *     may hold) names its object only at run time; aml-unresolved and
 *     aml-outside-call
 *     (raised by the evaluator: see aml_ref).  A bare name searched for
 *     upward is held to these rules as every object the search could find:
 *     the device's own may not exist yet when the code runs, and the search
 *     then reaches Xen's at \_SB or the root (when invoked, a twin taking
 *     other arguments is aml-ambiguous).  Notify of an outside object
 *     is none of these: it changes no object, and the OSPM actions it asks
 *     for (a bus check, an eject request) are the ones the device model can
 *     raise anyway through the hardware it emulates.  Reading an outside
 *     object is allowed; Match, Mid, SizeOf, ObjectType, DerefOf as an
 *     operand and the To* conversions read their operands and write only
 *     their Target.
 */

/*
 * Parse the AML of a table: p/len is the whole table, header included; the
 * TermList starts at byte 36.  Definitions are placed relative to "\".
 * known supplies argument counts of methods defined elsewhere (Xen's
 * namespace) and marks the objects that already exist there (in_known); it
 * may be NULL.  base is added to every offset.
 * Returns 0 when the AML parsed (FORBIDDEN findings may still have been
 * added), -1 when it is malformed (out is then left empty).  out needs
 * aml_info_init() once; a later parse reuses it after freeing its contents.
 */
int aml_parse_table(const uint8_t *p, size_t len, size_t base, const struct ns *known,
		    struct aml_info *out, struct findings *f);

/*
 * Parse a device blob's data: a 4-byte NameSeg then the device body's
 * TermList, as if written "Scope (\_SB) { Device (NAME) { body } }".
 * The device itself is the first object in out->objs.
 */
int aml_parse_device(const uint8_t *p, size_t len, size_t base, const struct ns *known,
		     struct aml_info *out, struct findings *f);

/*
 * The same as aml_parse_table() (device false) or aml_parse_device(), in
 * two passes, never in one walk (aml.c): what those two decide by
 * definition, and what the tests hold the one walk to, result and
 * findings alike.
 */
int aml_parse_two_passes(const uint8_t *p, size_t len, size_t base, const struct ns *known,
			 bool device, struct aml_info *out, struct findings *f);

void aml_info_init(struct aml_info *info);
void aml_info_free(struct aml_info *info);

/* Free the parser kept from one parse for the next (aml.c): memory a
 * parse holds after it returns, for a caller that counts what is left. */
void aml_release(void);

/* True when the 4 bytes form a valid NameSeg (A-Z _ then A-Z 0-9 _). */
bool aml_nameseg_valid(const uint8_t seg[4]);

/* The normalized text of the absolute path seg[0..n): AML_PATH_MAX bytes. */
void aml_path_text(const uint32_t *seg, size_t n, char *out);
static inline const char *aml_object_path(const struct aml_object *o, char *out)
{
	aml_path_text(o->seg, o->nseg, out);
	return out;
}

/*
 * Display form of a normalized path, as ACPICA prints external names:
 * trailing '_' padding of each segment trimmed ("\_SB.PCI0.S00").
 */
void aml_path_display(const char *path, char *out, size_t outlen);

/*
 * The end of the one term object at p[off] of an AML byte string (a table,
 * header included, or any TermList), parsed at the root scope without
 * findings.  Returns 0 with *end set, -1 when it does not parse, -2 when
 * memory ran out.
 */
int aml_term_end(const uint8_t *p, size_t len, size_t off, size_t *end);

#endif
