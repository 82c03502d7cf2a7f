/* SPDX-License-Identifier: MIT */
/* command.h — COMMAND: replacing the process with it, and its name as the
 * logs keep it.  The C library only (base/). */
#ifndef HS_BASE_COMMAND_H
#define HS_BASE_COMMAND_H

#include <stddef.h>

/* The shell's exit codes for a command that cannot run. */
#define HS_EXIT_NOT_EXECUTABLE 126
#define HS_EXIT_NOT_FOUND 127

/* execvpe(argv[0], argv, envp).  Returns only when that fails: the exit
 * code (HS_EXIT_NOT_FOUND, HS_EXIT_NOT_EXECUTABLE) with what failed and
 * what to do in `message` (`size` bytes). */
int hs_command_exec(char *const argv[], char *const envp[], char *message,
                    size_t size);

/* The exit code for an execve that failed with `err`; async-signal-safe,
 * for a forked child. */
int hs_command_exit_code(int err);

/* What `err` (an errno of execve) means for COMMAND `argv0`: the exit code,
 * with the message in `message` (`size` bytes). */
int hs_command_failure(const char *argv0, int err, char *message, size_t size);

/* The last component of `command` (argv[0]) into `out` (`size` bytes), as
 * basename(1) gives it: "/usr/bin/node" is "node", "dir/" is "dir". */
void hs_command_name(const char *command, char *out, size_t size);

#endif
