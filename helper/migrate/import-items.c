/* SPDX-License-Identifier: MIT */
/* import-items.c — see import-items.h. */
#include "config.h"

#include <string.h>

#include "core/error.h"
#include "core/kind.h"
#include "core/profile-name.h"
#include "core/secure.h"
#include "migrate/import-items.h"
#include "migrate/scrub.h"

/* One secret's place in the file. */
typedef struct {
  gsize start, end;
  char *field;      /* the variable or YAML field */
  gboolean dropped; /* removed but not imported: see replacement_for() */
} Span;

/* An HsImportItem and what only this module reads. */
typedef struct {
  HsImportItem pub; /* first: an Item* is an HsImportItem* */
  char *source;     /* owns pub.source */
  char *name;       /* the YAML account's name, or NULL */
  GArray *spans;    /* Span: where its secrets sit in the file */
  gboolean yaml;
} Item;

static void span_clear(gpointer data) { g_free(((Span *)data)->field); }

static Item *item_new(HsKind kind, char *source) {
  Item *item = g_new0(Item, 1);
  item->pub.record = hs_record_new("unnamed", kind);
  item->pub.source = item->source = source;
  item->spans = g_array_new(FALSE, FALSE, sizeof(Span));
  g_array_set_clear_func(item->spans, span_clear);
  return item;
}

static void item_free(gpointer data) {
  Item *item = data;
  hs_record_free(item->pub.record);
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

static Item *item_at(GPtrArray *items, guint i) {
  return g_ptr_array_index(items, i);
}

/* The rule of `hs-token add --hub-id`: 1–20 digits. */
static gboolean name_taken(GPtrArray *items, guint upto, const char *name) {
  for (guint i = 0; i < upto; i++)
    if (strcmp(item_at(items, i)->pub.record->profile, name) == 0) return TRUE;
  return FALSE;
}

/* What every item gets once named: read from its token, or the time. */
static void finish_items(GPtrArray *items) {
  for (guint i = 0; i < items->len; i++) {
    HsRecord *r = item_at(items, i)->pub.record;
    r->hublet = hs_kind_hublet_from_token(r->kind, r->token);
    r->created = g_get_real_time() / G_USEC_PER_SEC;
  }
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
    Item *it = item_at(items, i);
    if (it->pub.record->kind == kind && it->pub.record->token != NULL &&
        strcmp(it->pub.record->token, e->value) == 0)
      item = it;
  }
  if (item == NULL) {
    item = item_new(kind, env_source(e));
    item->pub.record->token = hs_secure_dup(e->value);
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
    item->pub.record->client_id = g_strdup(oauth[0]->value);
    item->pub.record->client_secret = hs_secure_dup(oauth[1]->value);
    item->pub.record->refresh_token = hs_secure_dup(oauth[2]->value);
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
  if (hub_id != NULL && hs_record_valid_hub_id(hub_id))
    for (guint i = 0; i < items->len; i++)
      item_at(items, i)->pub.record->hub_id = g_strdup(hub_id);
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
  return kind_rank(ia->pub.record->kind) - kind_rank(ib->pub.record->kind);
}

/* Several credentials in one .env: the first by rank (a static token, then
 * a personal access key, OAuth, an API key) gets NAME, each other one
 * NAME-<kind> (and -2, -3… for a second of a kind). */
static void name_env_items(GPtrArray *items, const char *profile) {
  g_ptr_array_sort(items, compare_items); /* stable: keeps file order */
  for (guint i = 0; i < items->len; i++) {
    HsRecord *r = item_at(items, i)->pub.record;
    g_autofree char *base =
        i == 0 ? g_strdup(profile)
               : g_strdup_printf("%s-%s", profile, hs_kind_name(r->kind));
    char *name = g_strdup(base);

    for (int n = 2; name_taken(items, i, name); n++) {
      g_free(name);
      name = g_strdup_printf("%s-%d", base, n);
    }
    g_free(r->profile);
    r->profile = name;
  }
}

/* The error when a file holds nothing to import. */
static void set_no_credentials(const char *path, gboolean yaml,
                               GError **error) {
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
}

GPtrArray *hs_import_items_from_dotenv(const HsDotenv *env, const char *profile,
                                       const char *path, GError **error) {
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(item_free);

  if (!env_items(env, items, error)) return NULL;
  if (items->len == 0) {
    set_no_credentials(path, FALSE, error);
    return NULL;
  }
  if (profile == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "import: give --profile NAME: the profile to hold the "
                "credentials of %s",
                path);
    return NULL;
  }
  name_env_items(items, profile);
  finish_items(items);
  return g_steal_pointer(&items);
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
                           gboolean scrub, GPtrArray *items, GPtrArray *notes,
                           GError **error) {
  for (guint i = 0; i < config->accounts->len; i++) {
    HsCliAccount *a = g_ptr_array_index(config->accounts, i);
    const char *label = a->name ? a->name : "(no name)";
    HsKind kind;
    Item *item;
    HsRecord *r;
    gboolean complete;

    if (only != NULL && g_strcmp0(a->name, only) != 0) continue;
    if (!yaml_kind(a, &kind)) {
      g_ptr_array_add(
          notes,
          g_strdup_printf("account '%s' (line %u) has authType '%s', "
                          "which holds nothing to import; skipped",
                          label, a->line, a->auth_type ? a->auth_type : ""));
      continue;
    }
    complete = kind == HS_KIND_PERSONAL_ACCESS_KEY
                   ? a->personal_access_key != NULL
               : kind == HS_KIND_API_KEY
                   ? a->api_key != NULL
                   : a->client_id && a->client_secret && a->refresh_token;
    if (!complete) {
      g_ptr_array_add(
          notes, g_strdup_printf("account '%s' (line %u) is %s but lacks its "
                                 "secret (run 'hs auth' for it first); "
                                 "skipped",
                                 label, a->line, hs_kind_name(kind)));
      continue;
    }
    item = item_new(kind,
                    g_strdup_printf("account '%s' (line %u)", label, a->line));
    item->yaml = TRUE;
    item->name = g_strdup(a->name);
    g_ptr_array_add(items, item);
    r = item->pub.record;
    if (a->account_id != NULL && hs_record_valid_hub_id(a->account_id))
      r->hub_id = g_strdup(a->account_id);
    if (kind == HS_KIND_OAUTH) {
      r->client_id = g_strdup(a->client_id);
      r->client_secret = g_steal_pointer(&a->client_secret);
      r->refresh_token = g_steal_pointer(&a->refresh_token);
    } else {
      char **from =
          kind == HS_KIND_API_KEY ? &a->api_key : &a->personal_access_key;
      r->token = g_steal_pointer(from);
      if (!hs_kind_check_token(kind, r->token, error)) {
        g_prefix_error(error, "import: account '%s' (line %u): ", label,
                       a->line);
        return FALSE;
      }
    }
    for (guint k = 0; k < a->ranges->len; k++) {
      const HsYamlRange *range = &g_array_index(a->ranges, HsYamlRange, k);
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
    Item *item = item_at(items, i);
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
    g_free(item->pub.record->profile);
    item->pub.record->profile = g_strdup(name);
  }
  return TRUE;
}

GPtrArray *hs_import_items_from_cli_config(HsCliConfig *config,
                                           const char *account,
                                           const char *profile, gboolean scrub,
                                           const char *path, GPtrArray *notes,
                                           GError **error) {
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(item_free);

  if (!yaml_items(config, account, scrub, items, notes, error)) return NULL;
  if (account != NULL && items->len == 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NOT_FOUND,
                "import: %s has no importable account named '%s'; see "
                "'hs accounts list'",
                path, account);
    return NULL;
  }
  if (!name_yaml_items(items, profile, path, error)) return NULL;
  if (items->len == 0) {
    set_no_credentials(path, TRUE, error);
    return NULL;
  }
  finish_items(items);
  return g_steal_pointer(&items);
}

/* ---- the scrub ---- */

/* What goes where a secret was. */
static char *replacement_for(const Item *item, const Span *span) {
  const char *p = item->pub.record->profile;

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

GArray *hs_import_items_kept_lines(const HsCliConfig *config,
                                   const char *account) {
  GArray *kept = g_array_new(FALSE, FALSE, sizeof(guint));

  for (guint i = 0; account != NULL && i < config->accounts->len; i++) {
    const HsCliAccount *a = g_ptr_array_index(config->accounts, i);
    const HsCliAccount *next = i + 1 < config->accounts->len
                                   ? g_ptr_array_index(config->accounts, i + 1)
                                   : NULL;
    guint last = next ? next->line - 1 : G_MAXUINT;

    if (g_strcmp0(a->name, account) == 0) continue;
    g_array_append_val(kept, a->line);
    g_array_append_val(kept, last);
  }
  return kept;
}

static gboolean line_kept(const GArray *kept, guint line) {
  for (guint i = 0; kept != NULL && i + 1 < kept->len; i += 2)
    if (line >= g_array_index(kept, guint, i) &&
        line <= g_array_index(kept, guint, i + 1))
      return TRUE;
  return FALSE;
}

char *hs_import_items_scrub(const char *buf, gsize len, GPtrArray *items,
                            const GArray *kept, gsize *ret_len, guint *ret_n,
                            GError **error) {
  g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(HsScrubRange));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) left = NULL;
  char *out;

  for (guint i = 0; i < items->len; i++) {
    const Item *item = item_at(items, i);
    for (guint s = 0; s < item->spans->len; s++) {
      const Span *span = &g_array_index(item->spans, Span, s);
      char *text = replacement_for(item, span);
      HsScrubRange r = {span->start, span->end, text};
      g_ptr_array_add(texts, text);
      g_array_append_val(ranges, r);
    }
  }
  *ret_n = ranges->len;
  out = hs_scrub_apply(buf, len, (HsScrubRange *)(void *)ranges->data,
                       ranges->len, ret_len, error);
  if (out == NULL) return NULL;
  /* `hs-token scan` right after must find nothing: refuse rather than
   * guess what else to cut out of a file we did not write. */
  left = hs_scrub_leftover_lines(buf, len, (HsScrubRange *)(void *)ranges->data,
                                 ranges->len, out, *ret_len);
  for (guint i = left->len; i > 0; i--)
    if (line_kept(kept, g_array_index(left, guint, i - 1)))
      g_array_remove_index(left, i - 1);
  if (left->len > 0) {
    g_autoptr(GString) where = g_string_new(NULL);
    for (guint i = 0; i < left->len; i++)
      g_string_append_printf(where, "%s%u", i ? ", " : "",
                             g_array_index(left, guint, i));
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--scrub would leave a credential that import does not take "
                "on line%s %s (commented out, set twice, or in another "
                "field); nothing was imported and the file is unchanged: "
                "delete %s by hand ('hs-token scan' shows %s) and run again, "
                "or import without --scrub",
                left->len == 1 ? "" : "s", where->str,
                left->len == 1 ? "it" : "them", left->len == 1 ? "it" : "them");
    hs_secure_free_len(out, *ret_len + 1);
    return NULL;
  }
  return out;
}
