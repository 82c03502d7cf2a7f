/* SPDX-License-Identifier: MIT */
/* fuzz-hubspot-json.c — everything HubSpot's answers go through: the OAuth
 * token response, the personal-access-key exchange, account info, token
 * introspection and the error JSON (old and new shapes). */
#include "config.h"

#include "fuzz-common.h"
#include "core/error.h"
#include "hubspot/api.h"
#include "hubspot/auth.h"

#define FUZZ_NOW 1800000000

static void check_grant(HsGrant *grant, GError *error) {
  if (grant == NULL) {
    FUZZ_CHECK_ERROR(error);
    FUZZ_ASSERT(error->code == HS_ERR_NETWORK);
  } else {
    /* The token cache's kernel timeout is the time left: bounded. */
    FUZZ_ASSERT(grant->expires_at - FUZZ_NOW <= HS_AUTH_MAX_LIFETIME);
  }
  hs_auth_grant_free(grant);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *body = (const char *)data;
  GError *error = NULL;
  gboolean active = FALSE;

  check_grant(hs_auth_parse_oauth(body, size, FUZZ_NOW, &error), error);
  g_clear_error(&error);
  check_grant(hs_auth_parse_pak(body, size, FUZZ_NOW, &error), error);
  g_clear_error(&error);
  check_grant(hs_auth_parse_account_info(body, size, &error), error);
  g_clear_error(&error);
  if (!hs_auth_parse_introspect(body, size, &active, &error))
    FUZZ_CHECK_ERROR(error);
  g_clear_error(&error);
  {
    g_autoptr(HsApiError) e = hs_api_error_parse(body, size);
    g_autofree char *text = NULL;

    FUZZ_ASSERT(e != NULL);
    text = hs_api_error_describe(e, 400);
    FUZZ_ASSERT(text != NULL);
  }
  return 0;
}
