// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The instructions a program runs natively between two marks, counted by
 * single-stepping it with ptrace, for tests/bench/run.  callgrind counts
 * what valgrind's CPU runs, and that CPU has no SHA extensions: OpenSSL's
 * SHA-256 runs its portable code there, ~30 instructions a byte, where the
 * host's CPU may take a few.  Hardware counters (perf) are not available
 * on every host (virtual machines often lack them); a trap per instruction
 * is slow (~100 µs a step in a virtual machine) but exact.  x86-64 only.
 *
 * The program marks the start and the end with raise(SIGUSR1), which the
 * tracer swallows; the count includes the instructions of the marks
 * themselves, which a difference of two runs cancels.  Only the thread
 * that raised the first mark is stepped: the program must run one.  A REP
 * string instruction traps after each iteration with the instruction
 * pointer unchanged; it counts once, as one instruction (callgrind counts
 * every iteration, but glibc picks other string functions there: valgrind's
 * CPU has no AVX-512).
 *
 * Usage: stepcount PROGRAM [ARGS...]   prints the count on stdout
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static int st;	/* the tracee's last wait status */

/* Restart the tracee as req asks, delivering sig, and wait for its next
 * stop: the stopping signal, or -1 once it has ended. */
static int resume(pid_t pid, enum __ptrace_request req, int sig)
{
	if (ptrace(req, pid, NULL, (void *)(long)sig) < 0 || waitpid(pid, &st, 0) < 0) {
		perror("stepcount: ptrace");
		exit(2);
	}
	return WIFSTOPPED(st) ? WSTOPSIG(st) : -1;
}

static unsigned long long rip(pid_t pid)
{
	struct user_regs_struct r;

	if (ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0) {
		perror("stepcount: ptrace");
		exit(2);
	}
	return r.rip;
}

int main(int argc, char **argv)
{
	unsigned long long steps = 0, last = 0, at;
	int sig;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "Usage: stepcount PROGRAM [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("stepcount: fork");
		return 2;
	}
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "stepcount: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st)) {	/* stopped at exec */
		fprintf(stderr, "stepcount: %s did not start\n", argv[1]);
		return 2;
	}
	/* Run to the first mark, passing on any other signal. */
	for (sig = 0; (sig = resume(pid, PTRACE_CONT, sig)) != SIGUSR1;)
		if (sig < 0) {
			fprintf(stderr, "stepcount: %s exited before its first mark\n", argv[1]);
			return 2;
		} else if (sig == SIGTRAP) {
			sig = 0;
		}
	/* Step to the second: each step stops with SIGTRAP. */
	for (sig = 0; (sig = resume(pid, PTRACE_SINGLESTEP, sig)) != SIGUSR1;) {
		if (sig < 0) {
			fprintf(stderr, "stepcount: %s exited before its second mark\n", argv[1]);
			return 2;
		}
		if (sig == SIGTRAP)
			sig = 0;
		at = rip(pid);
		steps += at != last;
		last = at;
	}
	/* Let it finish: the count stands only if it succeeds. */
	for (sig = 0; (sig = resume(pid, PTRACE_CONT, sig)) >= 0;)
		if (sig == SIGTRAP || sig == SIGUSR1)
			sig = 0;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "stepcount: %s failed\n", argv[1]);
		return 1;
	}
	printf("%llu\n", steps);
	return 0;
}
