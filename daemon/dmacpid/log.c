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

static void add_field(struct iovec *iov, char **bufs, size_t *n, const char *name,
		      const char *value)
{
	char *s;

	if (!value || *n >= MAX_FIELDS)
		return;
	if (asprintf(&s, "%s=%s", name, value) < 0)
		return;
	bufs[*n] = s;
	iov[*n].iov_base = s;
	iov[*n].iov_len = strlen(s);
	(*n)++;
}

static void journal_send(const struct log_facts *f, const char *message)
{
	struct iovec iov[MAX_FIELDS];
	char *bufs[MAX_FIELDS];
	char num[32];
	size_t n = 0;

	add_field(iov, bufs, &n, "MESSAGE", message);
	snprintf(num, sizeof(num), "%d", f->priority);
	add_field(iov, bufs, &n, "PRIORITY", num);
	add_field(iov, bufs, &n, "MESSAGE_ID", f->message_id);
	if (f->domid >= 0) {
		snprintf(num, sizeof(num), "%ld", f->domid);
		add_field(iov, bufs, &n, "DMACPID_DOMID", num);
	}
	add_field(iov, bufs, &n, "DMACPID_DOMAIN", f->domain && *f->domain ? f->domain : NULL);
	if (f->blob >= 0) {
		snprintf(num, sizeof(num), "%ld", f->blob);
		add_field(iov, bufs, &n, "DMACPID_BLOB", num);
	}
	add_field(iov, bufs, &n, "DMACPID_KIND", f->kind);
	add_field(iov, bufs, &n, "DMACPID_OBJECT", f->object);
	add_field(iov, bufs, &n, "DMACPID_ACTION", f->action);
	add_field(iov, bufs, &n, "DMACPID_RULE", f->rule);
	add_field(iov, bufs, &n, "DMACPID_REASON", f->reason && *f->reason ? f->reason : NULL);
	add_field(iov, bufs, &n, "DMACPID_STATE", f->state);
	if (sd_journal_sendv(iov, (int)n) < 0)
		fprintf(stderr, "%s\n", message);
	for (size_t i = 0; i < n; i++)
		free(bufs[i]);
}

__attribute__((format(printf, 2, 0)))
static void vlog_event(const struct log_facts *f, const char *fmt, va_list ap)
{
	char message[1024];

	vsnprintf(message, sizeof(message), fmt, ap);
	if (target == LOG_TARGET_JOURNAL) {
		journal_send(f, message);
		return;
	}
	fprintf(stderr, "%s%s\n",
		f->priority <= LOG_ERR ? "error: " : "",
		message);
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
