/* SPDX-License-Identifier: MIT */
/* run.h — replacing the process with COMMAND. */
#ifndef HS_RUN_COMMAND_H
#define HS_RUN_COMMAND_H

#include <glib.h>

#include "base/command.h"

/* execve() `argv` (searching PATH as execvp does) with `envp`.  Returns only
 * on failure: HS_EXIT_NOT_FOUND or HS_EXIT_NOT_EXECUTABLE
 * (hs_command_exec), with *error saying which. */
int hs_run_command(char *const argv[], char *const envp[], GError **error);

#endif
