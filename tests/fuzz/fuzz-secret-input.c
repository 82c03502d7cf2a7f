/* SPDX-License-Identifier: MIT */
/* fuzz-secret-input.c — the secret reader (hs-token(1)): the checks on raw
 * stdin bytes, then the one-token parser for every kind and the KEY=VALUE
 * parser for oauth.  An error must never quote the input. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "core/error.h"
#include "core/secret-input.h"
#include "core/secure.h"

static const HsKind kinds[] = {HS_KIND_PRIVATE_APP, HS_KIND_SERVICE_KEY,
                               HS_KIND_OAUTH, HS_KIND_PERSONAL_ACCESS_KEY,
                               HS_KIND_API_KEY};

/* An error message may not quote a secret-like input: 12 bytes or more with
 * digits in it (shorter ones, and the key names the messages rightly
 * quote, match ordinary words). */
static void check_no_echo(const GError *error, const char *input, size_t len) {
  int digits = 0;

  for (size_t i = 0; i < len; i++) digits += g_ascii_isdigit(input[i]);
  if (len < 12 || digits < 3) return;
  FUZZ_ASSERT(g_strstr_len(error->message, -1, input) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  g_autoptr(GError) error = NULL;
  static const char *const keys[] = {"client_secret", "refresh_token", NULL};
  char *input = hs_secret_check_input((const char *)data, size, &error);

  if (input == NULL) {
    FUZZ_CHECK_ERROR(error);
    FUZZ_ASSERT(error->code == HS_ERR_USAGE);
    return 0;
  }
  FUZZ_ASSERT(strlen(input) == size);
  for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
    g_autoptr(GError) local = NULL;
    char *token = hs_secret_parse_token(input, size, kinds[i], &local);

    if (token == NULL) {
      FUZZ_CHECK_ERROR(local);
      FUZZ_ASSERT(local->code == HS_ERR_USAGE);
      check_no_echo(local, input, size);
    } else {
      FUZZ_ASSERT(token[0] != '\0' && strchr(token, '\n') == NULL);
    }
    hs_secure_free(token);
  }
  {
    g_autoptr(GError) local = NULL;
    char **values = hs_secret_parse_pairs(input, size, keys, &local);

    if (values == NULL) {
      FUZZ_CHECK_ERROR(local);
      check_no_echo(local, input, size);
    } else {
      FUZZ_ASSERT(values[0] != NULL && values[0][0] != '\0');
      FUZZ_ASSERT(values[1] != NULL && values[1][0] != '\0');
    }
    hs_secret_strv_free(values);
  }
  hs_secure_free(input);
  return 0;
}
