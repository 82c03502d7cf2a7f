/* SPDX-License-Identifier: MIT */
/* json.h — reading json-glib trees that may hold secrets: typed member
 * access that treats a missing or mistyped member as absent, and wiping the
 * tree's own copies of string values before it is freed. */
#ifndef HS_JSON_UTIL_H
#define HS_JSON_UTIL_H

#include <json-glib/json-glib.h>

/* Wipe every string value in the tree under `node` in place (json-glib keeps
 * its own copies; this clears them before the tree is unreferenced). */
void hs_json_wipe(JsonNode *node);

/* The string member `name` of `obj` (transfer none), or NULL when absent or
 * not a string. */
const char *hs_json_string(JsonObject *obj, const char *name);

/* The integer member `name`, also when sent as a double or a decimal string;
 * FALSE when absent or not a number. */
gboolean hs_json_int(JsonObject *obj, const char *name, gint64 *ret);

/* The string-array member `name` (transfer full; non-strings skipped), or
 * NULL when absent or not an array. */
char **hs_json_strv(JsonObject *obj, const char *name);

#endif
