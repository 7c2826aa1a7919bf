// SPDX-License-Identifier: GPL-2.0-or-later
/* Journal or stderr logging with the same facts on both (see log.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

#include "log.h"
#include "text.h"

static enum log_target target = LOG_TARGET_STDERR;

int log_parse_target(const char *s, enum log_target *t)
{
	if (!strcmp(s, "auto"))
		*t = LOG_TARGET_AUTO;
	else if (!strcmp(s, "journal"))
		*t = LOG_TARGET_JOURNAL;
	else if (!strcmp(s, "stderr"))
		*t = LOG_TARGET_STDERR;
	else
		return -1;
	return 0;
}

/* systemd sets JOURNAL_STREAM=dev:ino when stderr is its journal stream. */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_setup(enum log_target t)
{
	if (t == LOG_TARGET_AUTO)
		t = stderr_is_journal() ? LOG_TARGET_JOURNAL : LOG_TARGET_STDERR;
	target = t;
}

bool log_to_journal(void)
{
	return target == LOG_TARGET_JOURNAL;
}

#define MAX_FIELDS 14

/* The journal's NAME=value fields, copied into one buffer (no allocation
 * per field: a decision logs a line per blob). */
struct fields {
	struct iovec iov[MAX_FIELDS];
	size_t n, used;
	char buf[8192];
};

static void add_field(struct fields *fs, const char *name, const char *value)
{
	size_t ln, lv;
	char *s;

	if (!value || fs->n >= MAX_FIELDS)
		return;
	ln = strlen(name);
	lv = strlen(value);
	if (ln + 1 + lv > sizeof(fs->buf) - fs->used)
		return;		/* the fields are bounded well below this */
	s = fs->buf + fs->used;
	memcpy(s, name, ln);
	s[ln] = '=';
	memcpy(s + ln + 1, value, lv);
	fs->iov[fs->n].iov_base = s;
	fs->iov[fs->n].iov_len = ln + 1 + lv;
	fs->n++;
	fs->used += ln + 1 + lv;
}

static void add_number(struct fields *fs, const char *name, long v)
{
	char num[24];

	num[0] = '-';
	text_dec(num + (v < 0), v < 0 ? -(uint64_t)v : (uint64_t)v);
	add_field(fs, name, num);
}

static void journal_send(const struct log_facts *f, const char *message)
{
	struct fields fs;

	fs.n = fs.used = 0;
	add_field(&fs, "MESSAGE", message);
	add_number(&fs, "PRIORITY", f->priority);
	add_field(&fs, "MESSAGE_ID", f->message_id);
	if (f->domid >= 0)
		add_number(&fs, "DMACPID_DOMID", f->domid);
	/* Empty values are sent, not left out: journalctl -x shows a field's
	 * name where the catalog's text names a field the entry lacks. */
	add_field(&fs, "DMACPID_DOMAIN", f->domain);
	if (f->blob >= 0)
		add_number(&fs, "DMACPID_BLOB", f->blob);
	add_field(&fs, "DMACPID_KIND", f->kind);
	add_field(&fs, "DMACPID_OBJECT", f->object);
	add_field(&fs, "DMACPID_ACTION", f->action);
	add_field(&fs, "DMACPID_RULE", f->rule);
	add_field(&fs, "DMACPID_REASON", f->reason);
	add_field(&fs, "DMACPID_STATE", f->state);
	if (sd_journal_sendv(fs.iov, (int)fs.n) < 0)
		fprintf(stderr, "%s\n", message);
}

__attribute__((format(printf, 2, 0)))
static void vlog_event(const struct log_facts *f, const char *fmt, va_list ap)
{
	char message[1024], line[sizeof(message) + 8];
	size_t n, m;

	vsnprintf(message, sizeof(message), fmt, ap);
	if (target == LOG_TARGET_JOURNAL) {
		journal_send(f, message);
		return;
	}
	/* One write, as one fprintf() would make, without its format pass. */
	n = f->priority <= LOG_ERR ? 7 : 0;
	memcpy(line, "error: ", n);
	m = strlen(message);
	memcpy(line + n, message, m);
	line[n + m] = '\n';
	fwrite(line, 1, n + m + 1, stderr);
}

void log_event(const struct log_facts *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_event(f, fmt, ap);
	va_end(ap);
}

void log_msg(int priority, const char *fmt, ...)
{
	struct log_facts f = LOG_FACTS(NULL, priority);
	va_list ap;

	va_start(ap, fmt);
	vlog_event(&f, fmt, ap);
	va_end(ap);
}
