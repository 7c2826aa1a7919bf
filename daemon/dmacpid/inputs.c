// SPDX-License-Identifier: GPL-2.0-or-later
/* A domain's inputs in xenstore: read, as numbers, as the verdict's text. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>
#include <zlib.h>

#include "inputs.h"
#include "text.h"
#include "xs.h"
#include "xspath.h"

char *domain_key_read(struct daemon *dm, xs_transaction_t t, unsigned domid, const char *rel)
{
	struct xspath p;
	const char *path;
	unsigned len;
	char *v;

	xspath_domain(&p, domid);
	if (!(path = xspath_at(&p, rel))) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	v = xs_read(dm->xs, t, path, &len);
	/* Values are text; a NUL inside one cuts it, which strict parsing refuses. */
	if (v && strlen(v) != len) {
		free(v);
		return strdup("\x01");
	}
	return v;
}

bool inputs_end(struct daemon *dm, struct inputs *in, bool commit)
{
	xs_transaction_t t = in->t;

	in->t = XBT_NULL;
	if (t == XBT_NULL || !dm->xs)
		return t == XBT_NULL;
	return xs_transaction_end(dm->xs, t, !commit) || !commit;
}

void inputs_free(struct daemon *dm, struct inputs *in)
{
	inputs_end(dm, in, false);
	free(in->address);
	free(in->length);
	free(in->count);
}

/* The three inputs in t.  Returns 0, or -1 with errno set (some may be
 * read: inputs_free() them). */
static int read_in(struct daemon *dm, unsigned domid, xs_transaction_t t, struct inputs *in)
{
	static const char *const keys[] = {
		"hvmloader/dm-acpi/address", "hvmloader/dm-acpi/length", "hvmloader/dm-acpi/count",
	};
	char **const values[] = { &in->address, &in->length, &in->count };

	for (size_t k = 0; k < 3; k++)
		if (!(*values[k] = domain_key_read(dm, t, domid, keys[k])) && errno != ENOENT)
			return -1;
	return 0;
}

int inputs_read(struct daemon *dm, struct domain *d, struct inputs *in)
{
	int saved;

	*in = (struct inputs){ .t = XBT_NULL };
	xsconn_inputs_current(dm, d);
	if (!dm->xs) {
		errno = ENOTCONN;
		return -1;
	}
	in->t = xs_transaction_start(dm->xs);
	if (in->t == XBT_NULL)
		return -1;
	if (read_in(dm, d->domid, in->t, in) == 0)
		return 0;
	saved = errno;
	inputs_free(dm, in);
	*in = (struct inputs){ .t = XBT_NULL };
	errno = saved;
	return -1;
}

/*
 * The text of one input for the verdict's `input`, injective where it can
 * change a decision: absent is "", a number as written (digits and hex
 * letters only), anything else (empty included) "?" then its bytes with
 * every one but a letter or digit as %XX.  Such a value decides only
 * "not a number", whatever it holds; one too long to fit ends in "~" and
 * the CRC-32 of all of it.
 */
#define INPUT_FIELD_MAX ((INPUT_TEXT_MAX - 3) / 3)

static void append_value(char *dst, size_t dstlen, const char *v)
{
	char field[INPUT_FIELD_MAX + 1];
	size_t n = 0, vlen;
	uint64_t num;

	if (!v)
		return;
	vlen = strlen(v);
	if (parse_input_number(v, &num)) {
		text_copy(field, sizeof(field), v);
	} else {
		field[n++] = '?';
		for (size_t i = 0; i < vlen; i++) {
			unsigned char c = (unsigned char)v[i];
			size_t need = isalnum(c) ? 1 : 3;

			if (n + need > INPUT_FIELD_MAX - 9) {
				n += (size_t)snprintf(field + n, sizeof(field) - n, "~%08lx",
						      crc32(crc32(0L, Z_NULL, 0), (const Bytef *)v,
							    (uInt)vlen));
				break;
			}
			if (need == 1)
				field[n++] = (char)c;
			else
				n += (size_t)snprintf(field + n, sizeof(field) - n, "%%%02X", c);
		}
		field[n] = '\0';
	}
	if (strlen(dst) + strlen(field) < dstlen)
		strcat(dst, field);
}

void input_text(char *dst, size_t len, const struct inputs *in)
{
	dst[0] = '\0';
	append_value(dst, len, in->address);
	if (strlen(dst) + 1 < len)
		strcat(dst, ":");
	append_value(dst, len, in->length);
	if (strlen(dst) + 1 < len)
		strcat(dst, ":");
	append_value(dst, len, in->count);
}

int inputs_stand(struct daemon *dm, unsigned domid, xs_transaction_t t, const char *text)
{
	struct inputs now = { .t = XBT_NULL };
	char have[INPUT_TEXT_MAX];
	int rc = read_in(dm, domid, t, &now);

	if (rc == 0) {
		input_text(have, sizeof(have), &now);
		rc = !strcmp(have, text);
	}
	inputs_free(dm, &now);
	return rc;
}
