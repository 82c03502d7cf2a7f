/* SPDX-License-Identifier: MIT */
/* run.c — replacing the process with COMMAND. */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "core/error.h"
#include "exec/run.h"

int hs_run_command(char *const argv[], char *const envp[], GError **error) {
  int saved;

  execvpe(argv[0], argv, envp);
  saved = errno;
  if (saved == ENOENT || saved == ENOTDIR) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "%s: command not found; check its name and PATH", argv[0]);
    return HS_EXIT_NOT_FOUND;
  }
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s: cannot execute: %s",
              argv[0], g_strerror(saved));
  return HS_EXIT_NOT_EXECUTABLE;
}
