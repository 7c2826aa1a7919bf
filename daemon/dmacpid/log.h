/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging: the journal with structured fields and stable MESSAGE_IDs
 * (systemd/dmacpid.catalog explains each), or one readable line per event
 * on stderr.  The MESSAGE text is the same for both.
 */
#ifndef DMACPID_LOG_H
#define DMACPID_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

enum log_target { LOG_TARGET_AUTO = 0, LOG_TARGET_JOURNAL, LOG_TARGET_STDERR };

/* MESSAGE_IDs, one per kind of event; keep in sync with the catalog. */
#define MSGID_STARTED		"0fbe8653c10e4940b126bddb449a3404"
#define MSGID_BLOB		"b11ab81a439a42bf80d51f2e6987a729"
#define MSGID_VERDICT		"53a616f083934502a73e4ad75ccce90d"
#define MSGID_POLICY_LOADED	"d22c898a7eb84918b2f7a6a959f03d34"
#define MSGID_POLICY_REJECTED	"534bbc3f656c4d869223be48a1537843"
#define MSGID_POLICY_WARNING	"7c703168926741b0bdb7fe79f047c7d5"
#define MSGID_DOMAIN_ERROR	"e730e3e6b3a24355b5ce5b7e5b2e8981"
#define MSGID_XS_LOST		"728a6f850f6844fbb20d906506fa59d4"
#define MSGID_XS_RESTORED	"a211812d6eea4083951b0c4c5bda0d4b"
#define MSGID_GATE		"ffaabd937c6a435e97ea19f2737e02a8"
#define MSGID_STOPPING		"5317d2e3717f4a15b118bfee3ae4c0f3"
#define MSGID_LOG_LIMIT		"bd02825f5e674e08bcc5841f7650b12d"

/* The structured facts of one event; NULL / -1 fields are left out. */
struct log_facts {
	const char *message_id;
	int priority;			/* LOG_ERR ... LOG_DEBUG */
	long domid;
	const char *domain;
	long blob;
	const char *kind;
	const char *object;
	const char *action;
	const char *rule;
	const char *reason;
	const char *state;
};

#define LOG_FACTS(id, prio) \
	((struct log_facts){ .message_id = (id), .priority = (prio), .domid = -1, .blob = -1 })

int log_parse_target(const char *s, enum log_target *t);
/* Resolve auto: the journal when stderr is connected to it (JOURNAL_STREAM). */
void log_setup(enum log_target t);
bool log_to_journal(void);

__attribute__((format(printf, 2, 3)))
void log_event(const struct log_facts *f, const char *fmt, ...);
/* A plain message without facts. */
__attribute__((format(printf, 2, 3)))
void log_msg(int priority, const char *fmt, ...);

#endif
