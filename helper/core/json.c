/* SPDX-License-Identifier: MIT */
/* json.c — reading json-glib trees that may hold secrets. */
#include "config.h"

#include <string.h>

#include "core/json.h"

void hs_json_wipe(JsonNode *node) {
  if (node == NULL) return;
  if (JSON_NODE_HOLDS_OBJECT(node)) {
    JsonObjectIter iter;
    JsonNode *member;
    json_object_iter_init(&iter, json_node_get_object(node));
    while (json_object_iter_next(&iter, NULL, &member)) hs_json_wipe(member);
  } else if (JSON_NODE_HOLDS_ARRAY(node)) {
    JsonArray *a = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(a); i++)
      hs_json_wipe(json_array_get_element(a, i));
  } else if (JSON_NODE_HOLDS_VALUE(node) &&
             json_node_get_value_type(node) == G_TYPE_STRING) {
    char *s = (char *)json_node_get_string(node);
    if (s != NULL) explicit_bzero(s, strlen(s));
  }
}

const char *hs_json_string(JsonObject *obj, const char *name) {
  JsonNode *n = json_object_get_member(obj, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) ||
      json_node_get_value_type(n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string(n);
}

gboolean hs_json_int(JsonObject *obj, const char *name, gint64 *ret) {
  JsonNode *n = json_object_get_member(obj, name);
  GType t;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n)) return FALSE;
  t = json_node_get_value_type(n);
  if (t == G_TYPE_INT64)
    *ret = json_node_get_int(n);
  else if (t == G_TYPE_DOUBLE) {
    /* Converting a double outside gint64's range is undefined (found by
     * tests/fuzz): such a number is as unreadable as a string. */
    double d = json_node_get_double(n);
    if (!(d > -9.2e18 && d < 9.2e18)) return FALSE;
    *ret = (gint64)d;
  } else if (t == G_TYPE_STRING && g_ascii_isdigit(*json_node_get_string(n)))
    *ret = g_ascii_strtoll(json_node_get_string(n), NULL, 10);
  else
    return FALSE;
  return TRUE;
}

char **hs_json_strv(JsonObject *obj, const char *name) {
  JsonNode *n = json_object_get_member(obj, name);
  GPtrArray *out;
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY(n)) return NULL;
  a = json_node_get_array(n);
  out = g_ptr_array_new();
  for (guint i = 0; i < json_array_get_length(a); i++) {
    JsonNode *el = json_array_get_element(a, i);
    if (JSON_NODE_HOLDS_VALUE(el) &&
        json_node_get_value_type(el) == G_TYPE_STRING)
      g_ptr_array_add(out, g_strdup(json_node_get_string(el)));
  }
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}
