/* SPDX-License-Identifier: MIT */
/* fuzz-project-binding.c — what a directory (a cloned repository) can put
 * in front of hs-exec: the HubSpot CLI's .hs/settings.json and .hsaccount,
 * and, for hs-token add --login, the request target of the redirect that
 * any local program can send to the loopback listener.  An account found is
 * digits; a code is handed out only with the state that was sent. */
#include "config.h"

#include <string.h>

#include "core/error.h"
#include "core/project-binding.h"
#include "core/secure.h"
#include "fuzz-common.h"
#include "hubspot/login.h"

static void check_account(const char *hub) {
  FUZZ_ASSERT(*hub != '\0');
  for (const char *p = hub; *p; p++) FUZZ_ASSERT(g_ascii_isdigit(*p));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly `size` bytes, so that ASan sees any overread. */
  char *buf = g_memdup2(data, size);
  char *target = g_strndup((const char *)data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *all = NULL;
  char *hub = NULL, *code = NULL;
  HsLoginResult result;

  if (hs_binding_parse_settings(buf, size, &hub, &all, &error)) {
    FUZZ_ASSERT(all != NULL);
    if (hub != NULL) check_account(hub);
  } else {
    FUZZ_CHECK_ERROR(error);
    FUZZ_ASSERT(error->code == HS_ERR_CONFIG && hub == NULL);
  }
  g_clear_pointer(&hub, g_free);
  g_clear_error(&error);
  hub = hs_binding_parse_hsaccount(buf, size, &error);
  if (hub != NULL)
    check_account(hub);
  else
    FUZZ_CHECK_ERROR(error);
  g_clear_pointer(&hub, g_free);
  g_clear_error(&error);

  result = hs_login_parse_callback(target, "/callback", "STATE", &code, &error);
  if (result == HS_LOGIN_CODE) {
    FUZZ_ASSERT(code != NULL && *code != '\0' && error == NULL);
    FUZZ_ASSERT(strstr(target, "state=STATE") != NULL);
  } else {
    FUZZ_ASSERT(code == NULL);
    if (result == HS_LOGIN_REJECTED) FUZZ_CHECK_ERROR(error);
  }
  hs_secure_free(code);
  g_free(target);
  g_free(buf);
  return 0;
}
