/* SPDX-License-Identifier: MIT */
/* process.h — what both programs do to their own process first, with the
 * C library only (base/): the cached run of hs-exec does it before
 * anything else, as the full programs do. */
#ifndef HS_BASE_PROCESS_H
#define HS_BASE_PROCESS_H

#include <stdbool.h>
#include <stddef.h>

/* Not dumpable: no core file, and /proc/PID/mem and ptrace are closed to
 * the user's other processes.  execve() resets it for COMMAND, and unlike
 * RLIMIT_CORE it is not inherited, so the child runs as it would alone. */
void hs_process_harden(void);

/* false when the process runs with privileges it must not have: setuid,
 * setgid or file capabilities (AT_SECURE), or real and effective ids
 * apart; then what is wrong and what to do is in `why` (`size` bytes). */
bool hs_process_unprivileged(char *why, size_t size);

/* The name messages start with ("hs-exec", "hs-token"); set by each main
 * (transfer none: a string that outlives the process). */
void hs_process_set_name(const char *name);
const char *hs_process_name(void);

#endif
