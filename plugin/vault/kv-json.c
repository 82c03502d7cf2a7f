/* SPDX-License-Identifier: MIT */
/* kv-json.c — the little JSON the vault store reads and writes, over the
 * caller's buffer, so that no copy of a secret is left unwiped in a
 * library's memory. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "vault/kv-json.h"

const char *kvj_ws(const char *p, const char *end) {
  if (p == NULL) return NULL;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

/* The end of the string starting at p (at its '"'), after the closing quote;
 * NULL when it does not end. */
const char *kvj_skip_string(const char *p, const char *end) {
  for (p++; p < end; p++) {
    if (*p == '\\') {
      p++;
      continue;
    }
    if (*p == '"') return p + 1;
  }
  return NULL;
}

static const char *skip_value(const char *p, const char *end, int depth) {
  p = kvj_ws(p, end);
  if (p >= end || depth > 32) return NULL;
  if (*p == '"') return kvj_skip_string(p, end);
  if (*p == '{' || *p == '[') {
    char close = *p == '{' ? '}' : ']';
    p = kvj_ws(p + 1, end);
    if (p < end && *p == close) return p + 1;
    for (;;) {
      if (close == '}') {
        p = kvj_ws(p, end);
        if (p >= end || *p != '"') return NULL;
        p = kvj_ws(kvj_skip_string(p, end), end);
        if (p == NULL || p >= end || *p != ':') return NULL;
        p++;
      }
      p = skip_value(p, end, depth + 1);
      if (p == NULL) return NULL;
      p = kvj_ws(p, end);
      if (p >= end) return NULL;
      if (*p == close) return p + 1;
      if (*p != ',') return NULL;
      p++;
    }
  }
  while (p < end &&
         (isalnum((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.'))
    p++;
  return p;
}

/* The value of member `key` of the object at p, or NULL. */
const char *kvj_member(const char *p, const char *end, const char *key) {
  size_t klen = strlen(key);

  if (p == NULL) return NULL;
  p = kvj_ws(p, end);
  if (p == NULL || p >= end || *p != '{') return NULL;
  p = kvj_ws(p + 1, end);
  while (p != NULL && p < end && *p == '"') {
    const char *k = p + 1, *after = kvj_skip_string(p, end);
    if (after == NULL) return NULL;
    p = kvj_ws(after, end);
    if (p == NULL || p >= end || *p != ':') return NULL;
    p = kvj_ws(p + 1, end);
    if ((size_t)(after - 1 - k) == klen && memcmp(k, key, klen) == 0) return p;
    p = kvj_ws(skip_value(p, end, 0), end);
    if (p == NULL || p >= end || *p != ',') return NULL;
    p = kvj_ws(p + 1, end);
  }
  return NULL;
}

/* kvj_member() along a path of keys. */
const char *kvj_find(const char *p, const char *end, const char *const *path) {
  for (; p != NULL && *path != NULL; path++) p = kvj_member(p, end, *path);
  return p;
}

static void put_utf8(char *out, size_t *n, unsigned long c) {
  if (c < 0x80) {
    out[(*n)++] = (char)c;
  } else if (c < 0x800) {
    out[(*n)++] = (char)(0xc0 | (c >> 6));
    out[(*n)++] = (char)(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out[(*n)++] = (char)(0xe0 | (c >> 12));
    out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
    out[(*n)++] = (char)(0x80 | (c & 0x3f));
  } else {
    out[(*n)++] = (char)(0xf0 | (c >> 18));
    out[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3f));
    out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
    out[(*n)++] = (char)(0x80 | (c & 0x3f));
  }
}

static int hex4(const char *p, const char *end, unsigned long *ret) {
  unsigned long v = 0;

  if (end - p < 4) return -1;
  for (int i = 0; i < 4; i++) {
    int c = p[i], d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return -1;
    v = v * 16 + (unsigned long)d;
  }
  *ret = v;
  return 0;
}

/* Decode the JSON string at p into out (cap bytes, NUL-terminated): its
 * length, or -1 when p is not a string or it does not fit. */
long kvj_string(const char *p, const char *end, char *out, size_t cap) {
  size_t n = 0;

  if (p == NULL || p >= end || *p != '"') return -1;
  for (p++; p < end && *p != '"'; p++) {
    unsigned long c = (unsigned char)*p;
    if (c < 0x20) return -1;
    if (c == '\\') {
      if (++p >= end) return -1;
      switch (*p) {
        case '"':
          c = '"';
          break;
        case '\\':
          c = '\\';
          break;
        case '/':
          c = '/';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case 't':
          c = '\t';
          break;
        case 'u': {
          unsigned long lo;
          if (hex4(p + 1, end, &c) != 0) return -1;
          p += 4;
          if (c >= 0xd800 && c < 0xdc00 && end - p > 6 && p[1] == '\\' &&
              p[2] == 'u' && hex4(p + 3, end, &lo) == 0 && lo >= 0xdc00 &&
              lo < 0xe000) {
            c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
            p += 6;
          }
          if (c == 0) return -1;
          if (n + 4 >= cap) return -1;
          put_utf8(out, &n, c);
          continue;
        }
        default:
          return -1;
      }
    }
    if (n + 1 >= cap) return -1;
    out[n++] = (char)c;
  }
  if (p >= end) return -1;
  out[n] = '\0';
  return (long)n;
}

/* Append `s` as a JSON string to out (cap bytes) at *n; -1 when full. */
int kvj_append_string(char *out, size_t cap, size_t *n, const char *s,
                      size_t len) {
  static const char hex[] = "0123456789abcdef";

  /* The quotes and the NUL: 3 bytes at least. */
  if (*n + 3 > cap) return -1;
  out[(*n)++] = '"';
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (*n + 7 >= cap) return -1;
    if (c == '"' || c == '\\') {
      out[(*n)++] = '\\';
      out[(*n)++] = (char)c;
    } else if (c < 0x20) {
      out[(*n)++] = '\\';
      out[(*n)++] = 'u';
      out[(*n)++] = '0';
      out[(*n)++] = '0';
      out[(*n)++] = hex[c >> 4];
      out[(*n)++] = hex[c & 15];
    } else {
      out[(*n)++] = (char)c;
    }
  }
  if (*n + 2 > cap) return -1;
  out[(*n)++] = '"';
  out[*n] = '\0';
  return 0;
}
