/* SPDX-License-Identifier: MIT */
/* secure.c — freeing memory that held a secret. */
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/process.h"
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

void hs_secure_process(void) { hs_process_harden(); }

void hs_secure_lock(const void *secret, gsize len) {
  /* Best effort: RLIMIT_MEMLOCK is small for unprivileged users, and the
   * pages may be shared with other small allocations, so never unlocked. */
  if (secret != NULL && len > 0) (void)mlock(secret, len);
}

gboolean hs_secure_unprivileged(GError **error) {
  char why[512];

  if (hs_process_unprivileged(why, sizeof why)) return TRUE;
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "%s", why);
  return FALSE;
}
