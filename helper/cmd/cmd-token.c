/* SPDX-License-Identifier: MIT */
/* hs-token token: the current access token of a profile on stdout, for a
 * command line (`curl -H "Authorization: Bearer $(hs-token token prod)"`),
 * as `gh auth token` prints its own. */
#include "config.h"

#include <stdio.h>

#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/audit.h"
#include "core/error.h"
#include "core/kind.h"
#include "core/profile-name.h"
#include "hubspot/access.h"

static void print_note(const char *note, gpointer user_data) {
  (void)user_data;
  fprintf(stderr, "hs-token: note: %s\n", note);
}

gboolean hs_cmd_token(int argc, char **argv, GError **error) {
  gint min_ttl = 300;
  GOptionEntry entries[] = {
      {"min-ttl", 0, 0, G_OPTION_ARG_INT, &min_ttl,
       "Refresh first if the token expires within SECONDS (default 300)",
       "SECONDS"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  HsAccessWant want = {.note = print_note};
  g_autoptr(HsAccessSession) access = NULL;
  const HsRecord *record;

  if (!hs_options_parse("token", "PROFILE", entries, 1, &argc, &argv, error))
    return FALSE;
  if (min_ttl < 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "token: --min-ttl must be 0 or more seconds");
    return FALSE;
  }
  if (!hs_profile_name_validate(argv[1], error)) return FALSE;
  want.min_ttl = min_ttl;
  /* The same cache, lock and refresh as hs-exec: a token printed here is
   * the one hs-exec would hand a command. */
  access = hs_access_open(argv[1], &want, error);
  if (access == NULL) return FALSE;
  record = hs_access_record(access);
  /* The secret leaves the program here, as with show --reveal. */
  hs_audit("token", argv[1], record ? hs_kind_name(record->kind) : NULL, "ok",
           NULL);
  printf("%s\n", hs_access_token(access));
  fflush(stdout);
  return !ferror(stdout);
}
