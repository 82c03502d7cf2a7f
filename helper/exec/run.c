/* SPDX-License-Identifier: MIT */
/* run.c — replacing the process with COMMAND. */
#include "config.h"

#include "core/error.h"
#include "exec/run.h"

int hs_run_command(char *const argv[], char *const envp[], GError **error) {
  char message[1024];
  int code = hs_command_exec(argv, envp, message, sizeof message);

  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s", message);
  return code;
}
