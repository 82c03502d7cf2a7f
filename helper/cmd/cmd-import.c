/* hs-token import: credentials from a .env file or the HubSpot CLI's config
 * into the stores, verified, and with --scrub the file rewritten without
 * them.  Nothing is stored unless every credential verified, and nothing is
 * scrubbed unless everything was stored. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/audit.h"
#include "migrate/cli-config.h"
#include "cmd/new-profile.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "migrate/dotenv.h"
#include "core/config.h"
#include "core/error.h"
#include "hubspot/auth.h"
#include "core/kind.h"
#include "core/profile-name.h"
#include "core/record.h"
#include "migrate/scrub.h"
#include "core/secure.h"
#include "core/stores.h"
#include "hubspot/cache.h"
#include "cmd/commands.h"

/* Bigger than any .env or CLI config; bounds what a mistaken FILE costs. */
#define IMPORT_MAX_FILE (1024 * 1024)

/* One secret's place in the file. */
typedef struct {
  gsize start, end;
  char *field;      /* the variable or YAML field */
  gboolean dropped; /* removed but not imported: see replacement_for() */
} Span;

/* One profile to be: its record and the spans its secrets came from. */
typedef struct {
  HsRecord *record; /* profile filled in when named */
  char *source;     /* "HUBSPOT_ACCESS_TOKEN (line 3)", "account 'x' …" */
  char *name;       /* the YAML account's name, or NULL */
  GArray *spans;
  gboolean yaml;
} Item;

static void span_clear(gpointer data) { g_free(((Span *)data)->field); }

static Item *item_new(HsKind kind, char *source) {
  Item *item = g_new0(Item, 1);
  item->record = hs_record_new("unnamed", kind);
  item->source = source;
  item->spans = g_array_new(FALSE, FALSE, sizeof(Span));
  g_array_set_clear_func(item->spans, span_clear);
  return item;
}

static void item_free(gpointer data) {
  Item *item = data;
  hs_record_free(item->record);
  g_free(item->source);
  g_free(item->name);
  g_array_unref(item->spans);
  g_free(item);
}

static void add_span(Item *item, gsize start, gsize end, const char *field,
                     gboolean dropped) {
  Span span = {start, end, g_strdup(field), dropped};
  g_array_append_val(item->spans, span);
}

/* ---- .env ---- */

typedef enum {
  ROLE_NONE,
  ROLE_STATIC, /* private-app by shape, else service-key */
  ROLE_SERVICE_KEY,
  ROLE_PAK,
  ROLE_CLIENT_ID,
  ROLE_CLIENT_SECRET,
  ROLE_REFRESH_TOKEN,
  ROLE_API_KEY,
  ROLE_HUB_ID,
} Role;

static const struct {
  const char *key;
  Role role;
} env_keys[] = {
    {"HUBSPOT_ACCESS_TOKEN", ROLE_STATIC},
    {"HUBSPOT_PRIVATE_APP_TOKEN", ROLE_STATIC},
    {"HUBSPOT_PRIVATE_APP_ACCESS_TOKEN", ROLE_STATIC},
    {"PRIVATE_APP_ACCESS_TOKEN", ROLE_STATIC},
    {"HUBSPOT_SERVICE_KEY", ROLE_SERVICE_KEY},
    {"HUBSPOT_PERSONAL_ACCESS_KEY", ROLE_PAK},
    {"HUBSPOT_CLIENT_ID", ROLE_CLIENT_ID},
    {"HUBSPOT_CLIENT_SECRET", ROLE_CLIENT_SECRET},
    {"HUBSPOT_REFRESH_TOKEN", ROLE_REFRESH_TOKEN},
    {"HUBSPOT_API_KEY", ROLE_API_KEY},
    {"HUBSPOT_ACCOUNT_ID", ROLE_HUB_ID},
    {"HUBSPOT_PORTAL_ID", ROLE_HUB_ID},
};

static Role role_of(const HsDotenvEntry *e) {
  for (gsize i = 0; i < G_N_ELEMENTS(env_keys); i++)
    if (strcmp(env_keys[i].key, e->key) == 0) return env_keys[i].role;
  /* Any other variable holding a private-app token, by its shape. */
  if (hs_kind_check_token(HS_KIND_PRIVATE_APP, e->value, NULL))
    return ROLE_STATIC;
  return ROLE_NONE;
}

static char *env_source(const HsDotenvEntry *e) {
  return g_strdup_printf("%s (line %u)", e->key, e->line);
}

/* A static token, key or api key: one item per distinct value. */
static gboolean env_token(GPtrArray *items, GHashTable *by_key,
                          const HsDotenvEntry *e, HsKind kind, GError **error) {
  g_autoptr(GError) local = NULL;
  Item *item = NULL;

  if (!hs_kind_check_token(kind, e->value, &local)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "import: %s on line %u: %s", e->key, e->line, local->message);
    return FALSE;
  }
  for (guint i = 0; i < items->len && item == NULL; i++) {
    Item *it = g_ptr_array_index(items, i);
    if (it->record->kind == kind && it->record->token != NULL &&
        strcmp(it->record->token, e->value) == 0)
      item = it;
  }
  if (item == NULL) {
    item = item_new(kind, env_source(e));
    item->record->token = hs_secure_dup(e->value);
    g_ptr_array_add(items, item);
  }
  add_span(item, e->line_start, e->line_end, e->key, FALSE);
  g_hash_table_insert(by_key, e->key, item);
  return TRUE;
}

static gboolean env_items(const HsDotenv *env, GPtrArray *items,
                          GError **error) {
  g_autoptr(GHashTable) by_key = g_hash_table_new(g_str_hash, g_str_equal);
  const HsDotenvEntry *oauth[3] = {NULL, NULL, NULL}; /* id, secret, rt */
  const char *hub_id = NULL;

  for (gsize i = 0; i < env->n_entries; i++) {
    const HsDotenvEntry *e = &env->entries[i];
    gboolean ok = TRUE;

    if (hs_dotenv_get(env, e->key) != e || e->value[0] == '\0') continue;
    switch (role_of(e)) {
      case ROLE_STATIC:
        ok = env_token(items, by_key, e,
                       g_str_has_prefix(e->value, "pat-") ? HS_KIND_PRIVATE_APP
                                                          : HS_KIND_SERVICE_KEY,
                       error);
        break;
      case ROLE_SERVICE_KEY:
        ok = env_token(items, by_key, e, HS_KIND_SERVICE_KEY, error);
        break;
      case ROLE_PAK:
        ok = env_token(items, by_key, e, HS_KIND_PERSONAL_ACCESS_KEY, error);
        break;
      case ROLE_API_KEY:
        ok = env_token(items, by_key, e, HS_KIND_API_KEY, error);
        break;
      case ROLE_CLIENT_ID:
        oauth[0] = e;
        break;
      case ROLE_CLIENT_SECRET:
        oauth[1] = e;
        break;
      case ROLE_REFRESH_TOKEN:
        oauth[2] = e;
        break;
      case ROLE_HUB_ID:
        hub_id = e->value;
        break;
      case ROLE_NONE:
      default:
        break;
    }
    if (!ok) return FALSE;
  }
  if (oauth[1] != NULL || oauth[2] != NULL) {
    static const char *const names[] = {
        "HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET", "HUBSPOT_REFRESH_TOKEN"};
    Item *item;

    for (int i = 0; i < 3; i++)
      if (oauth[i] == NULL) {
        g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                    "import: the file has OAuth credentials but no %s; an "
                    "OAuth profile needs HUBSPOT_CLIENT_ID, "
                    "HUBSPOT_CLIENT_SECRET and HUBSPOT_REFRESH_TOKEN: add "
                    "the missing one to the file and import again",
                    names[i]);
        return FALSE;
      }
    item = item_new(HS_KIND_OAUTH,
                    g_strdup_printf("HUBSPOT_CLIENT_SECRET and "
                                    "HUBSPOT_REFRESH_TOKEN (lines %u, %u)",
                                    oauth[1]->line, oauth[2]->line));
    item->record->client_id = g_strdup(oauth[0]->value);
    item->record->client_secret = hs_secure_dup(oauth[1]->value);
    item->record->refresh_token = hs_secure_dup(oauth[2]->value);
    for (int i = 1; i < 3; i++) {
      add_span(item, oauth[i]->line_start, oauth[i]->line_end, oauth[i]->key,
               FALSE);
      g_hash_table_insert(by_key, oauth[i]->key, item);
    }
    g_ptr_array_add(items, item);
  }
  /* A key set twice: the shell keeps the last value, which is imported;
   * the earlier ones are secrets nobody uses, and go in a scrub too. */
  for (gsize i = 0; i < env->n_entries; i++) {
    const HsDotenvEntry *e = &env->entries[i];
    Item *item = g_hash_table_lookup(by_key, e->key);
    if (item != NULL && hs_dotenv_get(env, e->key) != e)
      add_span(item, e->line_start, e->line_end, e->key, TRUE);
  }
  if (hub_id != NULL && hs_options_valid_hub_id(hub_id))
    for (guint i = 0; i < items->len; i++) {
      Item *item = g_ptr_array_index(items, i);
      item->record->hub_id = g_strdup(hub_id);
    }
  return TRUE;
}

static int kind_rank(HsKind kind) {
  switch (kind) {
    case HS_KIND_PRIVATE_APP:
    case HS_KIND_SERVICE_KEY:
      return 0;
    case HS_KIND_PERSONAL_ACCESS_KEY:
      return 1;
    case HS_KIND_OAUTH:
      return 2;
    case HS_KIND_API_KEY:
    default:
      return 3;
  }
}

static gint compare_items(gconstpointer a, gconstpointer b) {
  const Item *ia = *(Item *const *)a, *ib = *(Item *const *)b;
  return kind_rank(ia->record->kind) - kind_rank(ib->record->kind);
}

static gboolean name_taken(GPtrArray *items, guint upto, const char *name) {
  for (guint i = 0; i < upto; i++) {
    Item *it = g_ptr_array_index(items, i);
    if (strcmp(it->record->profile, name) == 0) return TRUE;
  }
  return FALSE;
}

/* Several credentials in one .env: the first by rank (a static token, then
 * a personal access key, OAuth, an API key) gets NAME, each other one
 * NAME-<kind> (and -2, -3… for a second of a kind). */
static void name_env_items(GPtrArray *items, const char *profile) {
  g_ptr_array_sort(items, compare_items); /* stable: keeps file order */
  for (guint i = 0; i < items->len; i++) {
    Item *item = g_ptr_array_index(items, i);
    g_autofree char *base =
        i == 0 ? g_strdup(profile)
               : g_strdup_printf("%s-%s", profile,
                                 hs_kind_name(item->record->kind));
    char *name = g_strdup(base);

    for (int n = 2; name_taken(items, i, name); n++) {
      g_free(name);
      name = g_strdup_printf("%s-%d", base, n);
    }
    g_free(item->record->profile);
    item->record->profile = name;
  }
}

/* ---- hubspot.config.yml ---- */

static gboolean yaml_kind(const HsCliAccount *a, HsKind *ret_kind) {
  g_autofree char *type =
      a->auth_type ? g_ascii_strdown(a->auth_type, -1) : NULL;

  if (type != NULL) {
    if (strcmp(type, "personalaccesskey") == 0)
      *ret_kind = HS_KIND_PERSONAL_ACCESS_KEY;
    else if (strcmp(type, "oauth2") == 0)
      *ret_kind = HS_KIND_OAUTH;
    else if (strcmp(type, "apikey") == 0)
      *ret_kind = HS_KIND_API_KEY;
    else
      return FALSE;
    return TRUE;
  }
  /* Old configs without authType: what the account holds says it. */
  if (a->personal_access_key)
    *ret_kind = HS_KIND_PERSONAL_ACCESS_KEY;
  else if (a->client_secret)
    *ret_kind = HS_KIND_OAUTH;
  else if (a->api_key)
    *ret_kind = HS_KIND_API_KEY;
  else
    return FALSE;
  return TRUE;
}

/* The YAML fields an import of `kind` takes away. */
static gboolean field_moves(HsKind kind, const char *field) {
  if (strcmp(field, "auth.tokenInfo.accessToken") == 0) return TRUE;
  switch (kind) {
    case HS_KIND_PERSONAL_ACCESS_KEY:
      return strcmp(field, "personalAccessKey") == 0;
    case HS_KIND_OAUTH:
      return strcmp(field, "auth.clientSecret") == 0 ||
             strcmp(field, "auth.tokenInfo.refreshToken") == 0;
    case HS_KIND_API_KEY:
      return strcmp(field, "apiKey") == 0;
    default:
      return FALSE;
  }
}

static gboolean yaml_items(HsCliConfig *config, const char *only,
                           gboolean scrub, GPtrArray *items, GError **error) {
  for (guint i = 0; i < config->accounts->len; i++) {
    HsCliAccount *a = g_ptr_array_index(config->accounts, i);
    const char *label = a->name ? a->name : "(no name)";
    HsKind kind;
    Item *item;
    gboolean complete;

    if (only != NULL && g_strcmp0(a->name, only) != 0) continue;
    if (!yaml_kind(a, &kind)) {
      fprintf(stderr,
              "hs-token: note: account '%s' (line %u) has authType '%s', "
              "which holds nothing to import; skipped\n",
              label, a->line, a->auth_type ? a->auth_type : "");
      continue;
    }
    complete = kind == HS_KIND_PERSONAL_ACCESS_KEY
                   ? a->personal_access_key != NULL
               : kind == HS_KIND_API_KEY
                   ? a->api_key != NULL
                   : a->client_id && a->client_secret && a->refresh_token;
    if (!complete) {
      fprintf(stderr,
              "hs-token: note: account '%s' (line %u) is %s but lacks its "
              "secret (run 'hs auth' for it first); skipped\n",
              label, a->line, hs_kind_name(kind));
      continue;
    }
    item = item_new(kind,
                    g_strdup_printf("account '%s' (line %u)", label, a->line));
    item->yaml = TRUE;
    item->name = g_strdup(a->name);
    g_ptr_array_add(items, item);
    if (a->account_id != NULL && hs_options_valid_hub_id(a->account_id))
      item->record->hub_id = g_strdup(a->account_id);
    if (kind == HS_KIND_OAUTH) {
      item->record->client_id = g_strdup(a->client_id);
      item->record->client_secret = g_steal_pointer(&a->client_secret);
      item->record->refresh_token = g_steal_pointer(&a->refresh_token);
    } else {
      char **from =
          kind == HS_KIND_API_KEY ? &a->api_key : &a->personal_access_key;
      item->record->token = g_steal_pointer(from);
      if (!hs_kind_check_token(kind, item->record->token, error)) {
        g_prefix_error(error, "import: account '%s' (line %u): ", label,
                       a->line);
        return FALSE;
      }
    }
    for (guint r = 0; r < a->ranges->len; r++) {
      const HsYamlRange *range = &g_array_index(a->ranges, HsYamlRange, r);
      if (!field_moves(kind, range->field)) continue;
      if (scrub && !range->one_line) {
        g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                    "import: cannot scrub %s of account '%s' (line %u): its "
                    "value spans lines or sits in a {…} mapping; write it as "
                    "'%s: VALUE' on one line, or import without --scrub",
                    range->field, label, a->line,
                    strrchr(range->field, '.') ? strrchr(range->field, '.') + 1
                                               : range->field);
        return FALSE;
      }
      add_span(item, range->start, range->end, range->field,
               strcmp(range->field, "auth.tokenInfo.accessToken") == 0);
    }
  }
  return TRUE;
}

static gboolean name_yaml_items(GPtrArray *items, const char *profile,
                                const char *path, GError **error) {
  if (profile != NULL && items->len > 1) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "import: %s has %u accounts; --profile names one: pick it "
                "with --account NAME",
                path, items->len);
    return FALSE;
  }
  for (guint i = 0; i < items->len; i++) {
    Item *item = g_ptr_array_index(items, i);
    const char *name = profile ? profile : item->name;
    g_autoptr(GError) local = NULL;

    if (name == NULL || !hs_profile_name_validate(name, &local)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "import: %s cannot be a profile name (%s); import it alone "
                  "under another name with --account '%s' --profile NAME, or "
                  "rename it with 'hs accounts rename'",
                  item->source, local ? local->message : "it has no name",
                  item->name ? item->name : "");
      return FALSE;
    }
    if (name_taken(items, i, name)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "import: two accounts are named '%s'; import one at a time "
                  "with --account '%s' --profile NAME",
                  name, name);
      return FALSE;
    }
    g_free(item->record->profile);
    item->record->profile = g_strdup(name);
  }
  return TRUE;
}

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

/* What goes where a secret was. */
static char *replacement_for(const Item *item, const Span *span) {
  const char *p = item->record->profile;

  if (!item->yaml)
    return span->dropped
               ? g_strdup_printf(
                     "# %s (an earlier value, overridden below) "
                     "removed by hs-token import",
                     span->field)
               : g_strdup_printf("# %s moved to the keyring: hs-exec %s -- …",
                                 span->field, p);
  return span->dropped
             ? g_strdup_printf(
                   "'' # cached token removed: hs-exec %s -- … "
                   "gets fresh ones",
                   p)
             : g_strdup_printf("'' # moved to the keyring: hs-exec %s -- …", p);
}

/* The file's content without the items' secrets (transfer full:
 * hs_secure_free_len(…, *ret_len + 1)). */
static char *scrubbed(const char *buf, gsize len, GPtrArray *items,
                      gsize *ret_len, guint *ret_n, GError **error) {
  g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(HsScrubRange));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; i < items->len; i++) {
    const Item *item = g_ptr_array_index(items, i);
    for (guint s = 0; s < item->spans->len; s++) {
      const Span *span = &g_array_index(item->spans, Span, s);
      char *text = replacement_for(item, span);
      HsScrubRange r = {span->start, span->end, text};
      g_ptr_array_add(texts, text);
      g_array_append_val(ranges, r);
    }
  }
  *ret_n = ranges->len;
  return hs_scrub_apply(buf, len, (HsScrubRange *)(void *)ranges->data,
                        ranges->len, ret_len, error);
}

static void warn_api_key(const Item *item) {
  const char *p = item->record->profile;

  fflush(stdout); /* after the "Imported" line it is about */
  fprintf(stderr,
          "hs-token: WARNING: profile %s holds a legacy HubSpot API key "
          "(from %s).\n"
          "hs-token: WARNING: HubSpot ended API keys on 2022-11-30; every "
          "call made with it fails.\n"
          "hs-token: WARNING: Replace it with a private app: in HubSpot open "
          "Settings > Integrations > Private Apps,\n"
          "hs-token: WARNING: 'Create a private app', choose its scopes, "
          "create it, copy its access token, then run\n"
          "hs-token: WARNING:   hs-token add %s --kind private-app --force\n",
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
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(item_free);
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
    cli = hs_cli_config_parse(buf, len, error);
    if (cli == NULL || !yaml_items(cli, account, scrub, items, error)) goto out;
    if (account != NULL && items->len == 0) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NOT_FOUND,
                  "import: %s has no importable account named '%s'; see "
                  "'hs accounts list'",
                  path, account);
      goto out;
    }
    if (!name_yaml_items(items, profile, path, error)) goto out;
  } else {
    env = hs_dotenv_parse(buf, len, error);
    if (env == NULL) {
      g_prefix_error(error, "import: %s: ", path);
      goto out;
    }
    if (!env_items(env, items, error)) goto out;
    if (items->len > 0 && profile == NULL) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "import: give --profile NAME: the profile to hold the "
                  "credentials of %s",
                  path);
      goto out;
    }
    if (items->len > 0) name_env_items(items, profile);
  }
  if (items->len == 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "import: no HubSpot credentials in %s (looked for %s); "
                "add tokens with 'hs-token add' instead",
                path,
                yaml ? "accounts with authType personalaccesskey, oauth2 or "
                       "apikey"
                     : "HUBSPOT_ACCESS_TOKEN, HUBSPOT_PRIVATE_APP_TOKEN, "
                       "HUBSPOT_PERSONAL_ACCESS_KEY, HUBSPOT_CLIENT_SECRET + "
                       "HUBSPOT_REFRESH_TOKEN, HUBSPOT_API_KEY and pat-… "
                       "values");
    goto out;
  }
  for (guint i = 0; i < items->len; i++) {
    Item *item = g_ptr_array_index(items, i);
    item->record->hublet =
        hs_kind_hublet_from_token(item->record->kind, item->record->token);
    item->record->created = g_get_real_time() / G_USEC_PER_SEC;
  }
  if (scrub) {
    /* Everything that could stop the scrub is found before storing. */
    clean = scrubbed(buf, len, items, &clean_len, &n_scrub, error);
    if (clean == NULL || !hs_scrub_check_writable(path, error)) goto out;
  }

  /* The stores: refuse to overwrite before asking HubSpot anything. */
  config = hs_config_load(error);
  if (config == NULL) goto out;
  stores = hs_stores_open(config, error);
  if (stores == NULL) goto out;
  for (guint i = 0; i < items->len; i++) {
    Item *item = g_ptr_array_index(items, i);
    if (!hs_new_profile_may_write(
            stores, item->record->profile, force, "import",
            "nothing was imported; use --force to replace it, or "
            "--profile/--account to import under another name",
            NULL, error))
      goto out;
  }
  if (!hs_stores_can_save(stores, store, error)) goto out;

  if (dry_run) {
    for (guint i = 0; i < items->len; i++) {
      Item *item = g_ptr_array_index(items, i);
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
    api = hs_api_new_for_config(config, error);
    if (api == NULL) goto out;
    for (guint i = 0; i < items->len; i++) {
      Item *item = g_ptr_array_index(items, i);
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
    Item *item = g_ptr_array_index(items, i);
    HsRecord *r = item->record;
    const char *saved_in = NULL;
    gboolean verified = api != NULL && r->kind != HS_KIND_API_KEY;

    if (!hs_stores_save(stores, r, store, &saved_in, error)) {
      g_prefix_error(error,
                     "import: profile %s (%u of %u stored before it; %s is "
                     "unchanged): ",
                     r->profile, stored, items->len, path);
      goto out;
    }
    stored++;
    if (!verified || hs_kind_is_static(r->kind)) hs_cache_drop(r->profile);
    hs_audit("import", r->profile, hs_kind_name(r->kind),
             verified ? "ok" : "ok-unverified", NULL);
    printf("Imported profile %s (%s%s%s) from %s to store %s; %s.\n",
           r->profile, hs_kind_name(r->kind), r->hub_id ? ", hub " : "",
           r->hub_id ? r->hub_id : "", item->source, saved_in,
           verified ? "HubSpot accepted it" : "not verified with HubSpot");
    if (r->kind == HS_KIND_API_KEY) warn_api_key(item);
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
      hs_cache_drop(((Item *)g_ptr_array_index(items, i))->record->profile);
  if (clean) hs_secure_free_len(clean, clean_len + 1);
  hs_secure_free_len(buf, len + 1);
  return ok;
}
