/* SPDX-License-Identifier: MIT */
/* dotenv.c — a .env parser over a buffer: pure, no I/O, secrets wiped. */
#include "config.h"

#include <string.h>

#include "migrate/dotenv.h"
#include "core/error.h"
#include "core/secure.h"

typedef struct {
  const char *buf;
  gsize len, pos;
  guint line;
} Cursor;

static gboolean is_blank(char c) { return c == ' ' || c == '\t'; }

static gboolean at_eol(const Cursor *c) {
  return c->pos >= c->len || c->buf[c->pos] == '\n' ||
         (c->buf[c->pos] == '\r' &&
          (c->pos + 1 >= c->len || c->buf[c->pos + 1] == '\n'));
}

static void skip_blanks(Cursor *c) {
  while (c->pos < c->len && is_blank(c->buf[c->pos])) c->pos++;
}

/* Move past the rest of the line and its terminator. */
static void skip_line(Cursor *c) {
  while (c->pos < c->len && c->buf[c->pos] != '\n') c->pos++;
  if (c->pos < c->len) {
    c->pos++;
    c->line++;
  }
}

/* The offset where the current line's terminator starts. */
static gsize eol_offset(const Cursor *c) {
  gsize p = c->pos;

  while (p < c->len && c->buf[p] != '\n') p++;
  if (p > 0 && p <= c->len && p > c->pos && c->buf[p - 1] == '\r') p--;
  return p;
}

static gboolean line_error(GError **error, guint line, const char *what) {
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "line %u is not a .env line: %s; fix or remove it", line, what);
  return FALSE;
}

/* After a closing quote: only blanks and a comment may follow. */
static gboolean check_rest(Cursor *c, guint line, GError **error) {
  skip_blanks(c);
  if (at_eol(c) || c->buf[c->pos] == '#') return TRUE;
  return line_error(error, line, "text after the closing quote");
}

/* A single-quoted value: literal up to the next quote. */
static char *parse_single(Cursor *c, guint line, GError **error) {
  const char *start = c->buf + c->pos, *end;
  char *value;

  end = memchr(start, '\'', c->len - c->pos);
  if (end == NULL) {
    line_error(error, line, "a single quote is not closed");
    return NULL;
  }
  value = g_strndup(start, end - start);
  for (const char *p = start; p < end; p++)
    if (*p == '\n') c->line++;
  c->pos += (end - start) + 1;
  return value;
}

/* A double-quoted value with backslash escapes. */
static char *parse_double(Cursor *c, guint line, GError **error) {
  gsize end = c->pos, n = 0;
  char *value;

  while (end < c->len && c->buf[end] != '"') end += c->buf[end] == '\\' ? 2 : 1;
  if (end >= c->len) {
    line_error(error, line, "a double quote is not closed");
    return NULL;
  }
  value = g_malloc(end - c->pos + 1);
  while (c->pos < end) {
    char ch = c->buf[c->pos++];
    if (ch == '\n') c->line++;
    if (ch == '\\') {
      char esc = c->buf[c->pos++];
      switch (esc) {
        case 'n':
          ch = '\n';
          break;
        case 'r':
          ch = '\r';
          break;
        case 't':
          ch = '\t';
          break;
        case '"':
        case '\\':
        case '$':
          ch = esc;
          break;
        default:
          /* Unknown escapes stay as written, as docker compose keeps them. */
          value[n++] = '\\';
          ch = esc;
          if (ch == '\n') c->line++;
      }
    }
    value[n++] = ch;
  }
  value[n] = '\0';
  c->pos = end + 1;
  return value;
}

/* An unquoted value: to the end of the line or an inline " #" comment,
 * without surrounding blanks. */
static char *parse_bare(Cursor *c) {
  gsize start = c->pos, end;

  while (!at_eol(c) && !(c->buf[c->pos] == '#' &&
                         (c->pos == start || is_blank(c->buf[c->pos - 1]))))
    c->pos++;
  end = c->pos;
  while (end > start && is_blank(c->buf[end - 1])) end--;
  return g_strndup(c->buf + start, end - start);
}

static gboolean parse_line(Cursor *c, GArray *entries, GError **error) {
  HsDotenvEntry e = {0};
  gsize key_start;

  e.line_start = c->pos;
  e.line = c->line;
  skip_blanks(c);
  if (at_eol(c) || c->buf[c->pos] == '#') {
    skip_line(c);
    return TRUE;
  }
  if (c->len - c->pos > 7 && strncmp(c->buf + c->pos, "export", 6) == 0 &&
      is_blank(c->buf[c->pos + 6])) {
    c->pos += 6;
    skip_blanks(c);
  }
  key_start = c->pos;
  if (c->pos < c->len &&
      (g_ascii_isalpha(c->buf[c->pos]) || c->buf[c->pos] == '_'))
    while (c->pos < c->len &&
           (g_ascii_isalnum(c->buf[c->pos]) || c->buf[c->pos] == '_' ||
            c->buf[c->pos] == '.' || c->buf[c->pos] == '-'))
      c->pos++;
  if (c->pos == key_start)
    return line_error(error, e.line, "no variable name before '='");
  e.key = g_strndup(c->buf + key_start, c->pos - key_start);
  skip_blanks(c);
  if (c->pos >= c->len || c->buf[c->pos] != '=') {
    g_free(e.key);
    return line_error(error, e.line, "no '=' after the variable name");
  }
  c->pos++;
  skip_blanks(c);
  if (c->pos < c->len && (c->buf[c->pos] == '\'' || c->buf[c->pos] == '"')) {
    char quote = c->buf[c->pos++];
    e.value = quote == '\'' ? parse_single(c, e.line, error)
                            : parse_double(c, e.line, error);
    if (e.value == NULL || !check_rest(c, e.line, error)) {
      g_free(e.key);
      hs_secure_free(e.value);
      return FALSE;
    }
  } else {
    e.value = parse_bare(c);
  }
  e.line_end = eol_offset(c);
  g_array_append_val(entries, e);
  skip_line(c);
  return TRUE;
}

static void entry_clear(HsDotenvEntry *e) {
  g_free(e->key);
  hs_secure_free(e->value);
}

HsDotenv *hs_dotenv_parse(const char *buf, gsize len, GError **error) {
  Cursor c = {buf, len, 0, 1};
  g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(HsDotenvEntry));
  HsDotenv *env;

  g_return_val_if_fail(buf != NULL || len == 0, NULL);
  if (len > 0 && memchr(buf, '\0', len) != NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the file holds a NUL byte, so it is not a .env file");
    return NULL;
  }
  if (!g_utf8_validate_len(buf, len, NULL)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the file is not UTF-8 text, so it is not a .env file");
    return NULL;
  }
  while (c.pos < c.len) {
    if (!parse_line(&c, entries, error)) {
      for (guint i = 0; i < entries->len; i++)
        entry_clear(&g_array_index(entries, HsDotenvEntry, i));
      return NULL;
    }
  }
  env = g_new0(HsDotenv, 1);
  env->n_entries = entries->len;
  env->entries =
      (HsDotenvEntry *)g_array_free(g_steal_pointer(&entries), FALSE);
  return env;
}

const HsDotenvEntry *hs_dotenv_get(const HsDotenv *env, const char *key) {
  for (gsize i = env->n_entries; i > 0; i--)
    if (strcmp(env->entries[i - 1].key, key) == 0) return &env->entries[i - 1];
  return NULL;
}

void hs_dotenv_free(HsDotenv *env) {
  if (env == NULL) return;
  for (gsize i = 0; i < env->n_entries; i++) entry_clear(&env->entries[i]);
  g_free(env->entries);
  g_free(env);
}
