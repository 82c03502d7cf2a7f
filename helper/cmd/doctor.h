/* SPDX-License-Identifier: MIT */
/* doctor.h — `hs-token doctor`: what works, what does not, and the fix. */
#ifndef HS_DOCTOR_H
#define HS_DOCTOR_H

#include <glib.h>

typedef struct {
  char *area; /* "config", "store", "cache", "runtime", "hubspot" */
  gboolean ok;
  char *detail; /* what was found */
  char *fix;    /* what to do, or NULL when ok */
  int code;     /* the exit code this problem maps to, 0 when ok */
} HsCheck;

/* Run every check (transfer full: an array of HsCheck*, freed with it). */
GPtrArray *hs_doctor_run(void);

/* The exit status for a run: 0 when all is well, else the most severe
 * problem's code (config 6 > store 3 > HubSpot 5). */
int hs_doctor_exit_code(GPtrArray *checks);

#endif
