/* SPDX-License-Identifier: MIT */
/* scan.c — one PCRE pattern (GRegex, JIT) for every credential shape,
 * then a check of what the pattern cannot say (a personal access key's
 * decoded prefix). */
#include "config.h"

#include <string.h>

#include "migrate/scan.h"

/* Variables whose value is a credential (docs/design.md, "HubSpot", the CLI's
 * --use-env, HubSpot's serverless functions). */
#define KEY_NAMES                                                         \
  "HUBSPOT_(?:ACCESS_TOKEN|PRIVATE_APP_TOKEN|PRIVATE_APP_ACCESS_TOKEN|"   \
  "API_KEY|CLIENT_SECRET|REFRESH_TOKEN|PERSONAL_ACCESS_KEY|SERVICE_KEY)|" \
  "PRIVATE_APP_ACCESS_TOKEN|personalAccessKey"

#define UUID                                                     \
  "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-" \
  "[0-9a-fA-F]{12}"

/* A value worth reporting: 16+ characters of what tokens are made of, so
 * that placeholders (`${TOKEN}`, `<token>`, `changeme`, empty) are not. */
static const char pattern[] =
    "(?<pat>\\bpat-[a-z]{2,4}[0-9]{1,2}-" UUID
    "\\b)"
    "|(?<pak>\\bCiR[A-Za-z0-9+/_-]{40,}={0,2})"
    "|(?<rt>\\b[a-z]{2}[0-9]-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
    "[0-9a-f]{12}\\b)"
    "|(?:^[ \\t]*(?:export[ \\t]+)?[\"']?(?<key>" KEY_NAMES
    ")[\"']?[ \\t]*[=:][ \\t]*[\"']?(?<val>[A-Za-z0-9._+/=-]{16,}))";

static GRegex *scan_regex(void) {
  static GRegex *regex;

  if (g_once_init_enter(&regex)) {
    g_autoptr(GError) error = NULL;
    /* RAW: bytes, not UTF-8.  Files need not be UTF-8, and GLib 2.74 runs
     * the JIT on them without checking (a Latin-1 byte next to a token
     * crashed it); every token shape is ASCII anyway. */
    GRegex *r =
        g_regex_new(pattern, G_REGEX_OPTIMIZE | G_REGEX_MULTILINE | G_REGEX_RAW,
                    G_REGEX_MATCH_NOTEMPTY, &error);
    g_assert_no_error(error);
    g_once_init_leave(&regex, r);
  }
  return regex;
}

/* A personal access key is base64 of a message starting "\n$<hublet>-". */
static gboolean looks_like_pak(const char *s, gsize len) {
  char head[13];
  g_autofree guchar *raw = NULL;
  gsize n, i = 2;

  if (len < 12) return FALSE;
  memcpy(head, s, 12);
  head[12] = '\0';
  for (char *p = head; *p; p++) *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  raw = g_base64_decode(head, &n);
  if (n < 6 || raw[0] != '\n' || raw[1] != '$') return FALSE;
  while (i < n && raw[i] >= 'a' && raw[i] <= 'z') i++;
  if (i == 2 || i >= n || !g_ascii_isdigit(raw[i])) return FALSE;
  while (i < n && g_ascii_isdigit(raw[i])) i++;
  return i < n && raw[i] == '-';
}

/* What a value given to a credential variable is, by its shape. */
static const char *classify(const char *s, gsize len, const char *key) {
  static const char *const keys[] = {"HUBSPOT_ACCESS_TOKEN",
                                     "HUBSPOT_PRIVATE_APP_TOKEN",
                                     "HUBSPOT_PRIVATE_APP_ACCESS_TOKEN",
                                     "HUBSPOT_API_KEY",
                                     "HUBSPOT_CLIENT_SECRET",
                                     "HUBSPOT_REFRESH_TOKEN",
                                     "HUBSPOT_PERSONAL_ACCESS_KEY",
                                     "HUBSPOT_SERVICE_KEY",
                                     "PRIVATE_APP_ACCESS_TOKEN",
                                     "personalAccessKey"};

  if (len > 4 && strncmp(s, "pat-", 4) == 0) return "private-app";
  if (looks_like_pak(s, len)) return "personal-access-key";
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
    if (strcmp(keys[i], key) == 0) return keys[i];
  return "credential";
}

/* Could `buf` hold a hit at all?  A superset test, cheap enough to run on
 * every file: each alternative of the pattern needs one of these literals,
 * or (a refresh token) "<a-z><a-z><digit>-<4 hex>-" around some '-'.  Most
 * files have none, and the regex, which has no literal prefix to skip
 * ahead on, never runs on them. */
static gboolean maybe_has_token(const char *buf, gsize len) {
  static const char *const literals[] = {"pat-", "CiR", "HUBSPOT_",
                                         "PRIVATE_APP_ACCESS_TOKEN",
                                         "personalAccessKey"};
  const char *p = buf, *end = buf + len;

  for (gsize i = 0; i < G_N_ELEMENTS(literals); i++)
    if (memmem(buf, len, literals[i], strlen(literals[i])) != NULL) return TRUE;
  while ((p = memchr(p, '-', (gsize)(end - p))) != NULL) {
    if (p - buf >= 3 && end - p > 5 && g_ascii_islower(p[-3]) &&
        g_ascii_islower(p[-2]) && g_ascii_isdigit(p[-1]) &&
        g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2]) &&
        g_ascii_isxdigit(p[3]) && g_ascii_isxdigit(p[4]) && p[5] == '-')
      return TRUE;
    p++;
  }
  return FALSE;
}

guint hs_scan_text(const char *buf, gsize len, guint first_line, HsScanFn fn,
                   void *user_data) {
  GRegex *regex = scan_regex();
  g_autoptr(GMatchInfo) match = NULL;
  gsize counted = 0;
  guint line = first_line, hits = 0;

  if (len == 0 || !maybe_has_token(buf, len)) return 0;
  g_regex_match_full(regex, buf, (gssize)len, 0, 0, &match, NULL);
  while (g_match_info_matches(match)) {
    HsScanHit hit = {0};
    int s, e;

    if (g_match_info_fetch_named_pos(match, "val", &s, &e) && s >= 0) {
      g_autofree char *key = g_match_info_fetch_named(match, "key");
      hit.kind = classify(buf + s, (gsize)(e - s), key);
    } else if (g_match_info_fetch_named_pos(match, "pat", &s, &e) && s >= 0) {
      hit.kind = "private-app";
    } else if (g_match_info_fetch_named_pos(match, "pak", &s, &e) && s >= 0) {
      hit.kind = looks_like_pak(buf + s, (gsize)(e - s)) ? "personal-access-key"
                                                         : NULL;
    } else if (g_match_info_fetch_named_pos(match, "rt", &s, &e) && s >= 0) {
      hit.kind = "oauth-refresh-token";
    }
    if (hit.kind != NULL) {
      for (; counted < (gsize)s; counted++)
        if (buf[counted] == '\n') line++;
      hit.line = line;
      hit.start = (gsize)s;
      hit.len = (gsize)(e - s);
      hits++;
      if (fn) fn(&hit, user_data);
    }
    g_match_info_next(match, NULL);
  }
  return hits;
}

typedef struct {
  const char *path, *text;
  HsDiffScanFn fn;
  void *user_data;
} DiffLine;

static void diff_hit(const HsScanHit *hit, void *user_data) {
  DiffLine *d = user_data;
  if (d->fn) d->fn(d->path, hit, d->text, d->user_data);
}

/* "@@ -a[,b] +c[,d] @@": the new side's first line and count. */
static gboolean parse_hunk(const char *line, guint *ret_start,
                           guint *ret_count) {
  const char *plus = strstr(line, " +");
  char *end;

  if (plus == NULL) return FALSE;
  *ret_start = (guint)g_ascii_strtoull(plus + 2, &end, 10);
  *ret_count = *end == ',' ? (guint)g_ascii_strtoull(end + 1, NULL, 10) : 1;
  return TRUE;
}

guint hs_scan_diff(const char *buf, gsize len, HsDiffScanFn fn,
                   void *user_data) {
  g_autofree char *path = NULL;
  guint new_line = 0, remaining = 0, hits = 0;
  gsize at = 0;

  while (at < len) {
    const char *nl = memchr(buf + at, '\n', len - at);
    gsize end = nl ? (gsize)(nl - buf) : len;
    g_autofree char *line = g_strndup(buf + at, end - at);

    at = end + 1;
    if (remaining > 0 && (line[0] == '+' || line[0] == ' ')) {
      if (line[0] == '+' && path != NULL) {
        DiffLine d = {path, line + 1, fn, user_data};
        hits +=
            hs_scan_text(line + 1, strlen(line + 1), new_line, diff_hit, &d);
      }
      new_line++;
      remaining--;
    } else if (remaining > 0 && line[0] == '-') {
      continue;
    } else if (g_str_has_prefix(line, "+++ ")) {
      g_free(path);
      path = g_str_has_prefix(line, "+++ b/") ? g_strdup(line + 6) : NULL;
      /* git ends the header with a tab when the name has a blank */
      if (path != NULL && g_str_has_suffix(path, "\t"))
        path[strlen(path) - 1] = '\0';
    } else if (g_str_has_prefix(line, "@@ ")) {
      if (!parse_hunk(line, &new_line, &remaining)) remaining = 0;
    } else if (g_str_has_prefix(line, "diff ")) {
      remaining = 0;
    }
  }
  return hits;
}

char *hs_scan_mask(const char *token, gsize len) {
  return g_strdup_printf("%.*s…", (int)MIN(len, 8), token);
}
