/* SPDX-License-Identifier: MIT */
/* process.c — the process's own safety, and its name. */
#include "config.h"

#include <stdio.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "base/process.h"

static const char *name = "hs-exec";

void hs_process_harden(void) { (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

bool hs_process_unprivileged(char *why, size_t size) {
  /* Setuid, setgid or file capabilities would run us for another user with
   * an environment and a home that this user chose: refuse, rather than
   * decide which of them to trust. */
  if (getauxval(AT_SECURE) == 0 && getuid() == geteuid() &&
      getgid() == getegid())
    return true;
  snprintf(why, size,
           "%s runs with privileges it must not have (setuid, setgid or file "
           "capabilities); it is meant to run as you alone: reinstall it, or "
           "remove them with chmod u-s,g-s and setcap -r on the program",
           name);
  return false;
}

void hs_process_set_name(const char *program) { name = program; }

const char *hs_process_name(void) { return name; }
