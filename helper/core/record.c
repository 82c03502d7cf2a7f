/* SPDX-License-Identifier: MIT */
/* record.c — a profile's record as a JSON document, through json-glib. */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "core/error.h"
#include "core/json.h"
#include "core/profile-name.h"
#include "core/record.h"
#include "core/secure.h"

HsRecord *hs_record_new(const char *profile, HsKind kind) {
  HsRecord *record = g_new0(HsRecord, 1);

  record->profile = g_strdup(profile);
  record->kind = kind;
  return record;
}

void hs_record_free(HsRecord *record) {
  if (record == NULL) return;
  g_free(record->profile);
  g_free(record->hub_id);
  g_free(record->hublet);
  g_free(record->client_id);
  g_strfreev(record->scopes);
  hs_secure_free(record->token);
  hs_secure_free(record->client_secret);
  hs_secure_free(record->refresh_token);
  hs_secure_free(record->previous_token);
  g_free(record);
}

static void add_string(JsonBuilder *b, const char *name, const char *value) {
  if (value == NULL) return;
  json_builder_set_member_name(b, name);
  json_builder_add_string_value(b, value);
}

char *hs_record_to_json(const HsRecord *record, gsize *ret_len) {
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) gen = json_generator_new();
  JsonNode *root;
  char *json;

  json_builder_begin_object(b);
  json_builder_set_member_name(b, "version");
  json_builder_add_int_value(b, HS_RECORD_VERSION);
  add_string(b, "profile", record->profile);
  add_string(b, "kind", hs_kind_name(record->kind));
  add_string(b, "hub_id", record->hub_id);
  add_string(b, "hublet", record->hublet);
  add_string(b, "client_id", record->client_id);
  json_builder_set_member_name(b, "created");
  json_builder_add_int_value(b, record->created);
  if (record->rotated != 0) {
    json_builder_set_member_name(b, "rotated");
    json_builder_add_int_value(b, record->rotated);
  }
  if (record->verified != 0) {
    json_builder_set_member_name(b, "verified");
    json_builder_add_int_value(b, record->verified);
  }
  if (record->scopes != NULL) {
    json_builder_set_member_name(b, "scopes");
    json_builder_begin_array(b);
    for (char **sc = record->scopes; *sc; sc++)
      json_builder_add_string_value(b, *sc);
    json_builder_end_array(b);
  }
  add_string(b, "token", record->token);
  add_string(b, "client_secret", record->client_secret);
  add_string(b, "refresh_token", record->refresh_token);
  if (record->previous_token != NULL) {
    add_string(b, "previous_token", record->previous_token);
    json_builder_set_member_name(b, "previous_until");
    json_builder_add_int_value(b, record->previous_until);
    json_builder_set_member_name(b, "previous_since");
    json_builder_add_int_value(b, record->previous_since);
  }
  if (record->generation != 0) {
    json_builder_set_member_name(b, "generation");
    json_builder_add_int_value(b, record->generation);
  }
  if (record->store_until != 0) {
    json_builder_set_member_name(b, "store_until");
    json_builder_add_int_value(b, record->store_until);
  }
  json_builder_end_object(b);

  root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  json = json_generator_to_data(gen, ret_len);
  /* The generator holds a reference to the same tree. */
  hs_json_wipe(root);
  json_node_unref(root);
  return json;
}

static gboolean get_string(JsonObject *obj, const char *name, char **ret,
                           gboolean required, GError **error) {
  JsonNode *node = json_object_get_member(obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL(node)) {
    if (!required) return TRUE;
  } else if (JSON_NODE_HOLDS_VALUE(node) &&
             json_node_get_value_type(node) == G_TYPE_STRING) {
    *ret = g_strdup(json_node_get_string(node));
    return TRUE;
  }
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
              "the stored record has no valid '%s'; remove the profile with "
              "'hs-token remove' and add it again",
              name);
  return FALSE;
}

static gint64 get_int(JsonObject *obj, const char *name) {
  JsonNode *node = json_object_get_member(obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
      json_node_get_value_type(node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int(node);
}

HsRecord *hs_record_from_json(const char *json, gssize len, GError **error) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(HsRecord) record = g_new0(HsRecord, 1);
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *kind = NULL;
  JsonNode *root;
  JsonObject *obj;
  gint64 version;
  gboolean ok;

  if (!json_parser_load_from_data(parser, json, len, &parse_error) ||
      (root = json_parser_get_root(parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT(root)) {
    /* The parser's message may quote the document: never show it. */
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "the stored record is not a JSON object; remove the profile "
                "with 'hs-token remove' and add it again");
    return NULL;
  }
  obj = json_node_get_object(root);
  version = get_int(obj, "version");
  if (version != HS_RECORD_VERSION) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "the stored record has format version %" G_GINT64_FORMAT
                ", this hs-exec reads version %d; upgrade hs-exec",
                version, HS_RECORD_VERSION);
    hs_json_wipe(root);
    return NULL;
  }
  ok = get_string(obj, "profile", &record->profile, TRUE, error) &&
       get_string(obj, "kind", &kind, TRUE, error) &&
       get_string(obj, "hub_id", &record->hub_id, FALSE, error) &&
       get_string(obj, "hublet", &record->hublet, FALSE, error) &&
       get_string(obj, "client_id", &record->client_id, FALSE, error) &&
       get_string(obj, "token", &record->token, FALSE, error) &&
       get_string(obj, "client_secret", &record->client_secret, FALSE, error) &&
       get_string(obj, "refresh_token", &record->refresh_token, FALSE, error) &&
       get_string(obj, "previous_token", &record->previous_token, FALSE, error);
  if (ok && !hs_kind_from_name(kind, &record->kind, NULL)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "the stored record has an unknown kind '%s'; upgrade hs-exec",
                kind);
    ok = FALSE;
  }
  if (ok && !hs_record_has_secrets(record)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "the stored record lacks the secret a %s profile needs; "
                "remove the profile with 'hs-token remove' and add it again",
                hs_kind_name(record->kind));
    ok = FALSE;
  }
  if (ok && !hs_profile_name_validate(record->profile, NULL)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "the stored record has an invalid profile name");
    ok = FALSE;
  }
  record->created = get_int(obj, "created");
  record->rotated = get_int(obj, "rotated");
  record->verified = get_int(obj, "verified");
  record->previous_until = get_int(obj, "previous_until");
  record->previous_since = get_int(obj, "previous_since");
  record->generation = get_int(obj, "generation");
  record->store_until = get_int(obj, "store_until");
  record->scopes = hs_json_strv(obj, "scopes");
  hs_json_wipe(root);
  if (!ok) return NULL;
  return g_steal_pointer(&record);
}

gboolean hs_record_has_secrets(const HsRecord *record) {
  if (record->kind == HS_KIND_OAUTH)
    return record->client_id != NULL && record->client_secret != NULL &&
           record->refresh_token != NULL;
  return record->token != NULL;
}

gboolean hs_record_has_scope(const HsRecord *record, const char *scope) {
  return record->scopes != NULL &&
         g_strv_contains((const char *const *)record->scopes, scope);
}

gint64 hs_record_age_days(const HsRecord *record, gint64 now) {
  gint64 since = record->rotated != 0 ? record->rotated : record->created;

  if (since <= 0 || now <= since) return 0;
  return (now - since) / 86400;
}

gboolean hs_record_valid_hub_id(const char *s) {
  size_t n = s ? strlen(s) : 0;

  return n > 0 && n <= 20 && strspn(s, "0123456789") == n;
}
