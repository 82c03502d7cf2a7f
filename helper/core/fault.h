/* SPDX-License-Identifier: MIT */
/* fault.h — named points where the test builds can kill the process, to
 * show that a SIGKILL at any step of a rotation leaves a working profile.
 * Only the test variant of hs-token (hs-token-faults, built for `make
 * check`, never installed) installs a handler; everywhere else a fault
 * point is a call through a NULL check. */
#ifndef HS_FAULT_H
#define HS_FAULT_H

typedef void (*HsFaultFn)(const char *step);

/* Call `fn` at every fault point from now on (NULL: none). */
void hs_fault_install(HsFaultFn fn);

/* A step named `step` (a static string) has just been completed. */
void hs_fault_point(const char *step);

#endif
