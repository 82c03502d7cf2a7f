/* SPDX-License-Identifier: MIT */
/* cli-config.c — the HubSpot CLI's config through libyaml's event API:
 * a small tree with byte ranges, then the accounts read off it. */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "migrate/cli-config.h"
#include "core/error.h"
#include "core/secure.h"

/* Deeper than any CLI config; bounds the recursion on hostile input. */
#define MAX_DEPTH 64

typedef enum { NODE_NULL, NODE_SCALAR, NODE_MAP, NODE_SEQ } NodeType;

typedef struct Node {
  NodeType type;
  char *value;       /* scalars: wiped on free, as any could be a secret */
  gsize start, end;  /* bytes */
  gboolean in_flow;  /* inside a flow collection ({…} or […]) */
  gboolean plainish; /* plain or quoted: not a block scalar (| or >) */
  guint line;        /* 1-based */
  GPtrArray *kids;   /* maps: key, value, key, value…; sequences: items */
} Node;

static void node_free(gpointer data) {
  Node *n = data;
  if (n == NULL) return;
  hs_secure_free(n->value);
  if (n->kids) g_ptr_array_unref(n->kids);
  g_free(n);
}

typedef struct {
  yaml_parser_t parser;
  const char *buf;
  gsize len;
  gsize char_at, byte_at; /* a cached point of the char→byte mapping */
} Reader;

/* libyaml's marks count characters; the buffer is valid UTF-8. */
static gsize byte_offset(Reader *r, gsize chars) {
  if (chars < r->char_at) r->char_at = r->byte_at = 0;
  while (r->char_at < chars && r->byte_at < r->len) {
    r->byte_at += g_utf8_skip[(guchar)r->buf[r->byte_at]];
    r->char_at++;
  }
  return MIN(r->byte_at, r->len);
}

static gboolean yaml_fail(Reader *r, GError **error) {
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "not a YAML file the HubSpot CLI could read: %s at line %zu, "
              "column %zu; fix the file or give the right one",
              r->parser.problem ? r->parser.problem : "parse error",
              r->parser.problem_mark.line + 1,
              r->parser.problem_mark.column + 1);
  return FALSE;
}

static Node *parse_node(Reader *r, yaml_event_t *ev, gboolean in_flow,
                        int depth, GError **error);

/* Children until the matching end event. */
static gboolean parse_children(Reader *r, Node *n, yaml_event_type_t end,
                               int depth, GError **error) {
  for (;;) {
    yaml_event_t ev;
    Node *kid;

    if (!yaml_parser_parse(&r->parser, &ev)) return yaml_fail(r, error);
    if (ev.type == end) {
      n->end = byte_offset(r, ev.end_mark.index);
      yaml_event_delete(&ev);
      return TRUE;
    }
    kid = parse_node(r, &ev, n->in_flow, depth + 1, error);
    if (kid == NULL) return FALSE;
    g_ptr_array_add(n->kids, kid);
  }
}

/* The node that starts with `ev` (consumed). */
static Node *parse_node(Reader *r, yaml_event_t *ev, gboolean in_flow,
                        int depth, GError **error) {
  Node *n = g_new0(Node, 1);
  yaml_event_type_t end = YAML_NO_EVENT;

  n->start = byte_offset(r, ev->start_mark.index);
  n->end = byte_offset(r, ev->end_mark.index);
  n->line = ev->start_mark.line + 1;
  n->in_flow = in_flow;
  switch (ev->type) {
    case YAML_SCALAR_EVENT:
      n->type = NODE_SCALAR;
      n->value = g_strndup((const char *)ev->data.scalar.value,
                           ev->data.scalar.length);
      explicit_bzero(ev->data.scalar.value, ev->data.scalar.length);
      n->plainish = ev->data.scalar.style != YAML_LITERAL_SCALAR_STYLE &&
                    ev->data.scalar.style != YAML_FOLDED_SCALAR_STYLE;
      break;
    case YAML_MAPPING_START_EVENT:
      n->type = NODE_MAP;
      n->in_flow =
          in_flow || ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
      end = YAML_MAPPING_END_EVENT;
      break;
    case YAML_SEQUENCE_START_EVENT:
      n->type = NODE_SEQ;
      n->in_flow =
          in_flow || ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
      end = YAML_SEQUENCE_END_EVENT;
      break;
    default: /* aliases: not followed; the CLI never writes them */
      n->type = NODE_NULL;
  }
  yaml_event_delete(ev);
  if (end == YAML_NO_EVENT) return n;
  if (depth >= MAX_DEPTH) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the YAML nests deeper than %d levels at line %u; it is not "
                "a HubSpot CLI config",
                MAX_DEPTH, n->line);
    node_free(n);
    return NULL;
  }
  n->kids = g_ptr_array_new_with_free_func(node_free);
  if (!parse_children(r, n, end, depth, error)) {
    node_free(n);
    return NULL;
  }
  return n;
}

/* The first document's root node, or NULL for an empty stream. */
static gboolean parse_root(Reader *r, Node **ret_root, GError **error) {
  *ret_root = NULL;
  for (;;) {
    yaml_event_t ev;

    if (!yaml_parser_parse(&r->parser, &ev)) return yaml_fail(r, error);
    switch (ev.type) {
      case YAML_STREAM_START_EVENT:
      case YAML_DOCUMENT_START_EVENT:
        yaml_event_delete(&ev);
        continue;
      case YAML_STREAM_END_EVENT:
      case YAML_DOCUMENT_END_EVENT:
        yaml_event_delete(&ev);
        return TRUE;
      default:
        *ret_root = parse_node(r, &ev, FALSE, 0, error);
        return *ret_root != NULL;
    }
  }
}

static Node *map_get(const Node *map, const char *key) {
  if (map == NULL || map->type != NODE_MAP) return NULL;
  for (guint i = 0; i + 1 < map->kids->len; i += 2) {
    const Node *k = g_ptr_array_index(map->kids, i);
    if (k->type == NODE_SCALAR && strcmp(k->value, key) == 0)
      return g_ptr_array_index(map->kids, i + 1);
  }
  return NULL;
}

/* A non-empty scalar's value, or NULL. */
static const char *scalar(const Node *n) {
  return n && n->type == NODE_SCALAR && n->value[0] != '\0' ? n->value : NULL;
}

/* Copy a secret scalar and remember where it is. */
static char *take_secret(const Reader *r, HsCliAccount *a, const Node *n,
                         const char *field) {
  HsYamlRange range = {field, 0, 0, FALSE};

  if (scalar(n) == NULL) return NULL;
  range.start = n->start;
  range.end = n->end;
  range.one_line = !n->in_flow && n->plainish &&
                   memchr(r->buf + n->start, '\n', n->end - n->start) == NULL;
  g_array_append_val(a->ranges, range);
  return hs_secure_dup(n->value);
}

static void account_free(gpointer data) {
  HsCliAccount *a = data;
  g_free(a->name);
  g_free(a->account_id);
  g_free(a->auth_type);
  g_free(a->env);
  g_free(a->client_id);
  hs_secure_free(a->personal_access_key);
  hs_secure_free(a->client_secret);
  hs_secure_free(a->refresh_token);
  hs_secure_free(a->api_key);
  g_array_unref(a->ranges);
  g_free(a);
}

static HsCliAccount *read_account(const Reader *r, const Node *n) {
  HsCliAccount *a = g_new0(HsCliAccount, 1);
  const Node *auth = map_get(n, "auth"), *info = map_get(auth, "tokenInfo");
  const Node *id = map_get(n, "accountId");
  char *access;

  a->ranges = g_array_new(FALSE, FALSE, sizeof(HsYamlRange));
  a->line = n->line;
  a->name = g_strdup(scalar(map_get(n, "name")));
  a->account_id = g_strdup(scalar(id != NULL ? id : map_get(n, "portalId")));
  a->auth_type = g_strdup(scalar(map_get(n, "authType")));
  a->env = g_strdup(scalar(map_get(n, "env")));
  a->client_id = g_strdup(scalar(map_get(auth, "clientId")));
  a->personal_access_key =
      take_secret(r, a, map_get(n, "personalAccessKey"), "personalAccessKey");
  a->api_key = take_secret(r, a, map_get(n, "apiKey"), "apiKey");
  a->client_secret =
      take_secret(r, a, map_get(auth, "clientSecret"), "auth.clientSecret");
  a->refresh_token = take_secret(r, a, map_get(info, "refreshToken"),
                                 "auth.tokenInfo.refreshToken");
  /* A cached access token is a secret on disk too: not imported (it lives
   * minutes), but its range is kept so that a scrub removes it. */
  access = take_secret(r, a, map_get(info, "accessToken"),
                       "auth.tokenInfo.accessToken");
  hs_secure_free(access);
  return a;
}

static HsCliConfig *read_config(const Reader *r, const Node *root,
                                GError **error) {
  const Node *list = map_get(root, "accounts"), *def;
  HsCliConfig *config;

  if (list == NULL) list = map_get(root, "portals");
  if (list == NULL || list->type != NODE_SEQ) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the YAML has no 'accounts' (or 'portals') list, so it is not "
                "a HubSpot CLI config; give hubspot.config.yml or "
                "~/.hscli/config.yml");
    return NULL;
  }
  config = g_new0(HsCliConfig, 1);
  config->accounts = g_ptr_array_new_with_free_func(account_free);
  for (guint i = 0; i < list->kids->len; i++) {
    const Node *item = g_ptr_array_index(list->kids, i);
    if (item->type == NODE_MAP)
      g_ptr_array_add(config->accounts, read_account(r, item));
  }
  def = map_get(root, "defaultAccount");
  if (def == NULL) def = map_get(root, "defaultPortal");
  config->default_account = g_strdup(scalar(def));
  return config;
}

/* Wipe libyaml's copies of the input before it frees them. */
static void reader_clear(Reader *r) {
  yaml_parser_t *p = &r->parser;

  if (p->raw_buffer.start)
    explicit_bzero(p->raw_buffer.start,
                   p->raw_buffer.end - p->raw_buffer.start);
  if (p->buffer.start)
    explicit_bzero(p->buffer.start, p->buffer.end - p->buffer.start);
  yaml_parser_delete(p);
}

HsCliConfig *hs_cli_config_parse(const char *buf, gsize len, GError **error) {
  Reader r = {.buf = buf, .len = len};
  Node *root = NULL;
  HsCliConfig *config = NULL;

  g_return_val_if_fail(buf != NULL || len == 0, NULL);
  if (!g_utf8_validate_len(buf, len, NULL) ||
      (len > 0 && memchr(buf, '\0', len) != NULL)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the file is not UTF-8 text, so it is not a HubSpot CLI "
                "config");
    return NULL;
  }
  if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
    /* libyaml's marks skip the byte order mark; ours count from it. */
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the file starts with a byte order mark; remove it (the "
                "HubSpot CLI never writes one) and import again");
    return NULL;
  }
  if (!yaml_parser_initialize(&r.parser)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "could not start the YAML parser (out of memory)");
    return NULL;
  }
  /* libyaml asserts a non-NULL input, also for an empty one. */
  yaml_parser_set_input_string(&r.parser,
                               (const unsigned char *)(buf ? buf : ""), len);
  yaml_parser_set_encoding(&r.parser, YAML_UTF8_ENCODING);
  if (parse_root(&r, &root, error)) config = read_config(&r, root, error);
  node_free(root);
  reader_clear(&r);
  return config;
}

void hs_cli_config_free(HsCliConfig *config) {
  if (config == NULL) return;
  g_ptr_array_unref(config->accounts);
  g_free(config->default_account);
  g_free(config);
}
