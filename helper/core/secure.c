/* SPDX-License-Identifier: MIT */
/* secure.c — freeing memory that held a secret. */
#include "config.h"

#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "core/error.h"
#include "core/secure.h"

void hs_secure_free_len(void *secret, gsize len) {
  if (secret == NULL) return;
  explicit_bzero(secret, len);
  g_free(secret);
}

void hs_secure_free(char *secret) {
  if (secret == NULL) return;
  hs_secure_free_len(secret, strlen(secret));
}

char *hs_secure_dup(const char *secret) { return g_strdup(secret); }

void hs_secure_clear(char **secret_ptr) {
  hs_secure_free(*secret_ptr);
  *secret_ptr = NULL;
}

void hs_secure_process(void) {
  /* Not dumpable: no core file, and /proc/PID/mem and ptrace are closed to
   * the user's other processes.  execve() resets it for COMMAND, and unlike
   * RLIMIT_CORE it is not inherited, so the child runs as it would alone. */
  (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void hs_secure_lock(const void *secret, gsize len) {
  /* Best effort: RLIMIT_MEMLOCK is small for unprivileged users, and the
   * pages may be shared with other small allocations, so never unlocked. */
  if (secret != NULL && len > 0) (void)mlock(secret, len);
}

gboolean hs_secure_check_ids(GError **error) {
  /* Installed setuid or setgid, or started by a process that is, the
   * programs would act for one user with another's secrets and trust an
   * environment they were not given. */
  if (getauxval(AT_SECURE) != 0 || getuid() != geteuid() ||
      getgid() != getegid()) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "refusing to run setuid or setgid (real and effective user "
                "or group ids differ); run it as yourself, without the setuid "
                "or setgid bit");
    return FALSE;
  }
  return TRUE;
}
