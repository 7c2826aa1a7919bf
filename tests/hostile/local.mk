# SPDX-License-Identifier: GPL-2.0-or-later
# A hostile device model against dmacpid on the simulated host (tests/sim):
# guest memory rewritten while it is validated, an input flood, and a
# generated corpus of malformed areas.  The programs talk to xenstore as
# dom0 and map guest RAM files the way the simulated hypervisor does.
HOSTILE_HX_ = tests/hostile/hostile.h tests/hostile/hx-common.c tests/hostile/hx-ram.c \
	tests/hostile/hx-xs.c
HOSTILE_CFLAGS_ = $(AM_CFLAGS) $(XENSTORE_CFLAGS) $(ZLIB_CFLAGS) -pthread
HOSTILE_LIBS_ = $(CORE_LIBS) $(XENSTORE_LIBS) -lpthread

check_PROGRAMS += tests/hostile/flip-check tests/hostile/flood tests/hostile/latency \
	tests/hostile/corpus tests/hostile/corpus-daemon

tests_hostile_flip_check_SOURCES = tests/hostile/flip-check.c $(HOSTILE_HX_)
tests_hostile_flip_check_CFLAGS = $(HOSTILE_CFLAGS_)
tests_hostile_flip_check_LDADD = $(HOSTILE_LIBS_)

tests_hostile_flood_SOURCES = tests/hostile/flood.c $(HOSTILE_HX_)
tests_hostile_flood_CFLAGS = $(HOSTILE_CFLAGS_)
tests_hostile_flood_LDADD = $(HOSTILE_LIBS_)

tests_hostile_latency_SOURCES = tests/hostile/latency.c $(HOSTILE_HX_)
tests_hostile_latency_CFLAGS = $(HOSTILE_CFLAGS_)
tests_hostile_latency_LDADD = $(HOSTILE_LIBS_)

tests_hostile_corpus_SOURCES = tests/hostile/corpus.c tests/hostile/mutate.c \
	tests/hostile/mutate.h $(HOSTILE_HX_)
tests_hostile_corpus_CFLAGS = $(HOSTILE_CFLAGS_)
tests_hostile_corpus_LDADD = $(HOSTILE_LIBS_)

tests_hostile_corpus_daemon_SOURCES = tests/hostile/corpus-daemon.c $(HOSTILE_HX_)
tests_hostile_corpus_daemon_CFLAGS = $(HOSTILE_CFLAGS_)
tests_hostile_corpus_daemon_LDADD = $(HOSTILE_LIBS_)

HOSTILE_TESTS = \
	tests/hostile/byte-flipper.sh \
	tests/hostile/crc-forgery.sh \
	tests/hostile/flood.sh \
	tests/hostile/log-limit.sh \
	tests/hostile/malformed-corpus.sh \
	tests/hostile/outside-writes.sh
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/hostile/loader-check.sh
