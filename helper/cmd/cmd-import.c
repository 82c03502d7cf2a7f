/* SPDX-License-Identifier: MIT */
/* hs-token import: credentials from a .env file or the HubSpot CLI's config
 * into the stores, verified, and with --scrub the file rewritten without
 * them.  Nothing is stored unless every credential verified, and nothing is
 * scrubbed unless everything was stored.  What a file holds to import is
 * migrate/import-items.c's to say; this is the command's flow. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "cmd/new-profile.h"
#include "cmd/options.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hubspot-dates.h"
#include "core/kind.h"
#include "core/profile-name.h"
#include "core/record.h"
#include "core/secure.h"
#include "core/stores.h"
#include "hubspot/api.h"
#include "hubspot/cache.h"
#include "migrate/cli-config.h"
#include "migrate/dotenv.h"
#include "migrate/import-items.h"
#include "migrate/scrub.h"

/* Bigger than any .env or CLI config; bounds what a mistaken FILE costs. */
#define IMPORT_MAX_FILE (1024 * 1024)

/* ---- the file ---- */

/* The whole file in wiped memory (transfer full: hs_secure_free_len(…,
 * *ret_len + 1)). */
static char *read_file(const char *path, gsize *ret_len, GError **error) {
  struct stat st;
  gsize len = 0;
  char *buf = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), e;

  if (fd < 0 || fstat(fd, &st) != 0) goto fail;
  if (!S_ISREG(st.st_mode) || st.st_size > IMPORT_MAX_FILE) {
    close(fd);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "import: %s is not a regular file of at most 1 MiB; give a "
                ".env file or the HubSpot CLI's config",
                path);
    return NULL;
  }
  buf = g_malloc((gsize)st.st_size + 1);
  while (len < (gsize)st.st_size) {
    ssize_t r = read(fd, buf + len, (gsize)st.st_size - len);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) goto fail;
    if (r == 0) break;
    len += (gsize)r;
  }
  buf[len] = '\0';
  close(fd);
  *ret_len = len;
  return buf;
fail:
  e = errno;
  if (fd >= 0) close(fd);
  if (buf) hs_secure_free_len(buf, (gsize)st.st_size + 1);
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "import: cannot read %s (%s); give a readable file", path,
              g_strerror(e));
  return NULL;
}

static gboolean is_yaml(const char *path, const char *format, GError **error) {
  if (format == NULL)
    return g_str_has_suffix(path, ".yml") || g_str_has_suffix(path, ".yaml");
  if (strcmp(format, "yaml") == 0) return TRUE;
  if (strcmp(format, "env") == 0) return FALSE;
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "import: --format is env or yaml, not '%s'", format);
  return FALSE;
}

static void warn_api_key(const HsImportItem *item) {
  const char *p = item->record->profile;

  fflush(stdout); /* after the "Imported" line it is about */
  fprintf(stderr,
          "hs-token: WARNING: profile %s holds a legacy HubSpot API key "
          "(from %s).\n"
          "hs-token: WARNING: HubSpot ended API keys on " HS_DATE_API_KEYS_ENDED
          "; every call made with it fails.\n"
          "hs-token: WARNING: Replace it with a service key (private apps "
          "can no longer be created since " HS_DATE_PRIVATE_APPS_CLOSED
          "):\n"
          "hs-token: WARNING: in HubSpot open " HS_SERVICE_KEY_WHERE
          ", create a key with the scopes you need,\n"
          "hs-token: WARNING: copy it, then run\n"
          "hs-token: WARNING:   hs-token add %s --kind service-key --force\n",
          p, item->source, p);
}

gboolean hs_cmd_import(int argc, char **argv, GError **error) {
  g_autofree char *profile = NULL, *account = NULL, *format = NULL,
                  *store = NULL;
  gboolean scrub = FALSE, dry_run = FALSE, no_verify = FALSE, force = FALSE;
  GOptionEntry entries[] = {
      {"profile", 0, 0, G_OPTION_ARG_STRING, &profile,
       "Profile name (a .env file; a CLI config's account with --account)",
       "NAME"},
      {"account", 0, 0, G_OPTION_ARG_STRING, &account,
       "Import only this account of a HubSpot CLI config", "NAME"},
      {"scrub", 0, 0, G_OPTION_ARG_NONE, &scrub,
       "Then rewrite FILE without the secrets", NULL},
      {"dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
       "Say what would be imported; store and change nothing", NULL},
      {"no-verify", 0, 0, G_OPTION_ARG_NONE, &no_verify,
       "Store without asking HubSpot whether the credentials work", NULL},
      {"force", 0, 0, G_OPTION_ARG_NONE, &force,
       "Replace existing profiles of those names", NULL},
      {"format", 0, 0, G_OPTION_ARG_STRING, &format,
       "env or yaml (default: yaml for *.yml, *.yaml)", "FORMAT"},
      {"store", 0, 0, G_OPTION_ARG_STRING, &store,
       "Save to this store (default: the first available)", "NAME"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(GPtrArray) items = NULL; /* HsImportItem* */
  g_autoptr(HsDotenv) env = NULL;
  g_autoptr(HsCliConfig) cli = NULL;
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(GError) local = NULL;
  const char *path;
  char *buf = NULL, *clean = NULL;
  gsize len = 0, clean_len = 0;
  guint n_scrub = 0, stored = 0;
  gboolean yaml, ok = FALSE;

  if (!hs_options_parse("import", "FILE", entries, 1, &argc, &argv, error))
    return FALSE;
  path = argv[1];
  yaml = is_yaml(path, format, &local);
  if (local != NULL) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  if (profile != NULL && !hs_profile_name_validate(profile, error))
    return FALSE;
  if (!yaml && account != NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "import: --account picks an account of a HubSpot CLI config; "
                "for a .env file give --profile NAME");
    return FALSE;
  }
  buf = read_file(path, &len, error);
  if (buf == NULL) return FALSE;

  if (yaml) {
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);

    cli = hs_cli_config_parse(buf, len, error);
    if (cli != NULL)
      items = hs_import_items_from_cli_config(cli, account, profile, scrub,
                                              path, notes, error);
    for (guint i = 0; i < notes->len; i++)
      fprintf(stderr, "hs-token: note: %s\n",
              (const char *)g_ptr_array_index(notes, i));
  } else {
    env = hs_dotenv_parse(buf, len, error);
    if (env == NULL)
      g_prefix_error(error, "import: %s: ", path);
    else
      items = hs_import_items_from_dotenv(env, profile, path, error);
  }
  if (items == NULL) goto out;
  if (scrub) {
    /* Everything that could stop the scrub is found before storing. */
    /* The accounts --account leaves out keep their secrets on purpose. */
    g_autoptr(GArray) kept =
        cli ? hs_import_items_kept_lines(cli, account) : NULL;

    clean = hs_import_items_scrub(buf, len, items, kept, &clean_len, &n_scrub,
                                  error);
    if (clean == NULL) {
      g_prefix_error(error, "import: %s: ", path);
      goto out;
    }
    if (!hs_scrub_check_writable(path, error)) goto out;
  }

  /* The stores: refuse to overwrite before asking HubSpot anything. */
  config = hs_config_load(error);
  if (config == NULL) goto out;
  stores = hs_stores_open(config, error);
  if (stores == NULL) goto out;
  for (guint i = 0; i < items->len; i++) {
    HsImportItem *item = g_ptr_array_index(items, i);
    if (!hs_new_profile_may_write(
            stores, item->record->profile, force, "import",
            "nothing was imported; use --force to replace it, or "
            "--profile/--account to import under another name",
            NULL, error))
      goto out;
  }
  if (!hs_stores_can_save(stores, store, FALSE, error)) goto out;

  if (dry_run) {
    for (guint i = 0; i < items->len; i++) {
      HsImportItem *item = g_ptr_array_index(items, i);
      printf("Would import profile %s (%s%s%s) from %s.\n",
             item->record->profile, hs_kind_name(item->record->kind),
             item->record->hub_id ? ", hub " : "",
             item->record->hub_id ? item->record->hub_id : "", item->source);
    }
    if (scrub)
      printf("Would scrub %u value%s from %s.\n", n_scrub,
             n_scrub == 1 ? "" : "s", path);
    printf("Dry run: nothing was stored or changed.\n");
    ok = TRUE;
    goto out;
  }

  /* Verify all, then store all: a refusal stores nothing. */
  if (!no_verify) {
    api = hs_options_api_new(config, error);
    if (api == NULL) goto out;
    for (guint i = 0; i < items->len; i++) {
      HsImportItem *item = g_ptr_array_index(items, i);
      if (item->record->kind == HS_KIND_API_KEY) continue; /* nothing to ask */
      if (!hs_new_profile_verify(api, item->record, "import", "the file",
                                 error)) {
        g_prefix_error(error,
                       "import: profile %s from %s: nothing was imported and "
                       "%s is unchanged: ",
                       item->record->profile, item->source, path);
        goto out;
      }
    }
  }
  for (guint i = 0; i < items->len; i++) {
    HsImportItem *item = g_ptr_array_index(items, i);
    HsRecord *r = item->record;
    const char *saved_in = NULL;

    if (!hs_new_profile_store(stores, r, store, "import", &saved_in, error)) {
      g_prefix_error(error,
                     "import: profile %s (%u of %u stored before it; %s is "
                     "unchanged): ",
                     r->profile, stored, items->len, path);
      goto out;
    }
    stored++;
    printf("Imported profile %s (%s%s%s) from %s to store %s; %s.\n",
           r->profile, hs_kind_name(r->kind), r->hub_id ? ", hub " : "",
           r->hub_id ? r->hub_id : "", item->source, saved_in,
           r->verified ? "HubSpot accepted it" : "not verified with HubSpot");
    if (r->kind == HS_KIND_API_KEY) warn_api_key(item);
    hs_new_profile_note_sharing(stores, r);
  }
  if (scrub) {
    if (!hs_scrub_replace_file(path, buf, len, clean, clean_len, error)) {
      g_prefix_error(error, "import: every profile was stored, but: ");
      goto out;
    }
    printf("Scrubbed %u value%s from %s (mode and owner kept).\n", n_scrub,
           n_scrub == 1 ? "" : "s", path);
  }
  ok = TRUE;
out:
  /* Verification cached access tokens under the new names; a profile that
   * was not stored (or an older one of that name) must not use them. */
  if (!ok && api != NULL)
    for (guint i = stored; i < items->len; i++)
      hs_cache_drop(
          ((HsImportItem *)g_ptr_array_index(items, i))->record->profile);
  if (clean) hs_secure_free_len(clean, clean_len + 1);
  hs_secure_free_len(buf, len + 1);
  return ok;
}
