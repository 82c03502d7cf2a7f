/* SPDX-License-Identifier: MIT */
/* run.h — replacing the process with COMMAND. */
#ifndef HS_RUN_COMMAND_H
#define HS_RUN_COMMAND_H

#include <glib.h>

/* Exit statuses a shell gives when COMMAND cannot run. */
#define HS_EXIT_NOT_EXECUTABLE 126
#define HS_EXIT_NOT_FOUND 127

/* execve() `argv` (searching PATH as execvp does) with `envp`.  Returns only
 * on failure: 127 when the command was not found, 126 when it was found but
 * could not be executed, with *error saying which. */
int hs_run_command(char *const argv[], char *const envp[], GError **error);

#endif
