/* SPDX-License-Identifier: MIT */
/* cli-config.h — the HubSpot CLI's config (hubspot.config.yml, and the
 * global ~/.hscli/config.yml of newer CLI versions) read with libyaml: its
 * accounts, their credentials, and the byte range of each secret scalar so
 * that a caller can rewrite the file leaving every other byte as it was. */
#ifndef HS_CLI_CONFIG_YAML_H
#define HS_CLI_CONFIG_YAML_H

#include <glib.h>

/* Where one secret scalar sits in the buffer: [start, end) in bytes. */
typedef struct {
  const char *field; /* "personalAccessKey", "auth.clientSecret", ... */
  gsize start, end;
  gboolean one_line; /* a scalar on one line in block context: scrubbable */
} HsYamlRange;

typedef struct {
  char *name;                /* `name`, or NULL */
  char *account_id;          /* `accountId` (legacy `portalId`), or NULL */
  char *auth_type;           /* `authType` as written, or NULL */
  char *env;                 /* `env` ("prod", "qa"), or NULL */
  guint line;                /* 1-based line where the account starts */
  char *personal_access_key; /* SECRET */
  char *client_id;           /* not secret */
  char *client_secret;       /* SECRET */
  char *refresh_token;       /* SECRET: auth.tokenInfo.refreshToken */
  char *api_key;             /* SECRET */
  GArray *ranges;            /* HsYamlRange: every secret scalar, also
                                auth.tokenInfo.accessToken */
} HsCliAccount;

typedef struct {
  GPtrArray *accounts;   /* HsCliAccount*, in file order */
  char *default_account; /* `defaultAccount` / `defaultPortal`, or NULL */
} HsCliConfig;

/* Parse `len` bytes of `buf` (need not be NUL-terminated) as a CLI config:
 * a mapping with `accounts` (or legacy `portals`), a sequence of mappings.
 * Unknown keys are ignored; a missing field is NULL.  NULL with HS_ERR_USAGE
 * saying where when it is not YAML, not UTF-8, or has no accounts list.
 * Secret scalars are copied into wiped memory and wiped in libyaml's
 * buffers.  (transfer full: free with hs_cli_config_free) */
HsCliConfig *hs_cli_config_parse(const char *buf, gsize len, GError **error);

/* Free, wiping every secret.  NULL is fine. */
void hs_cli_config_free(HsCliConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsCliConfig, hs_cli_config_free)

#endif
