/* SPDX-License-Identifier: MIT */
/* error.h — the error domain shared by hs-exec and hs-token.
 *
 * Each code is the process exit status (docs/design.md, "Exit codes"), so
 * that a main() maps an error to its exit code with error->code and nothing
 * else. */
#ifndef HS_ERROR_H
#define HS_ERROR_H

#include <glib.h>

#define HS_ERROR_DOMAIN (hs_error_quark())

typedef enum {
  HS_ERR_USAGE = 1,       /* bad option or argument */
  HS_ERR_NOT_FOUND = 2,   /* no such profile */
  HS_ERR_UNAVAILABLE = 3, /* store unavailable */
  HS_ERR_REFUSED = 4,     /* HubSpot refused the credential */
  HS_ERR_NETWORK = 5,     /* HubSpot or the network unavailable */
  HS_ERR_CONFIG = 6,      /* configuration error */
  HS_ERR_SYSTEM = 7       /* the system refused: pipe, fork, fd, lock, socket */
} HsErrorCode;

GQuark hs_error_quark(void);

/* The exit status for `error` (transfer none): its code in our domain, 1 for
 * any foreign error. */
int hs_error_exit_code(const GError *error);

#endif
