/* SPDX-License-Identifier: MIT */
/* command.c — running COMMAND, and its name. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/command.h"

int hs_command_exit_code(int err) {
  return err == ENOENT || err == ENOTDIR ? HS_EXIT_NOT_FOUND
                                         : HS_EXIT_NOT_EXECUTABLE;
}

int hs_command_failure(const char *argv0, int err, char *message, size_t size) {
  if (hs_command_exit_code(err) == HS_EXIT_NOT_FOUND)
    snprintf(message, size, "%s: command not found; check its name and PATH",
             argv0);
  else
    snprintf(message, size, "%s: cannot execute: %s", argv0, strerror(err));
  return hs_command_exit_code(err);
}

int hs_command_exec(char *const argv[], char *const envp[], char *message,
                    size_t size) {
  execvpe(argv[0], argv, envp);
  return hs_command_failure(argv[0], errno, message, size);
}

void hs_command_name(const char *command, char *out, size_t size) {
  size_t end = strlen(command), start;

  if (size == 0) return;
  while (end > 1 && command[end - 1] == '/') end--;
  start = end;
  while (start > 0 && command[start - 1] != '/') start--;
  if (end == 0 || start == end) { /* "" is ".", and "///" is "/" */
    snprintf(out, size, "%s", end == 0 ? "." : "/");
    return;
  }
  snprintf(out, size, "%.*s", (int)(end - start), command + start);
}
