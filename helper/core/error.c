/* SPDX-License-Identifier: MIT */
/* error.c — the error domain shared by hs-exec and hs-token. */
#include "config.h"

#include "core/error.h"

G_DEFINE_QUARK(hs_exec_error_quark, hs_error)

int hs_error_exit_code(const GError *error) {
  if (error == NULL) return 0;
  if (error->domain == HS_ERROR_DOMAIN && error->code >= HS_ERR_USAGE &&
      error->code <= HS_ERR_SYSTEM)
    return error->code;
  return HS_ERR_USAGE;
}
