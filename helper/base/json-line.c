/* SPDX-License-Identifier: MIT */
/* json-line.c — a JSON object on one line (RFC 8259 strings). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json-line.h"

static void append(HsJsonLine *line, const char *s, size_t n) {
  if (line->failed) return;
  if (line->len + n + 1 > line->size) {
    size_t size = (line->size ? line->size : 128);
    char *text;

    while (size < line->len + n + 1) size *= 2;
    text = realloc(line->text, size);
    if (text == NULL) {
      line->failed = true;
      return;
    }
    line->text = text;
    line->size = size;
  }
  memcpy(line->text + line->len, s, n);
  line->len += n;
  line->text[line->len] = '\0';
}

/* The length of the UTF-8 sequence at `p` (1-4), or 0 when it is not one
 * (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF). */
static size_t utf8_len(const unsigned char *p) {
  unsigned char lo = 0x80, hi = 0xbf;
  size_t n;

  if (p[0] < 0x80) return 1;
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    n = 3;
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    n = 4;
  else
    return 0;
  if (p[0] == 0xe0) lo = 0xa0;
  if (p[0] == 0xed) hi = 0x9f;
  if (p[0] == 0xf0) lo = 0x90;
  if (p[0] == 0xf4) hi = 0x8f;
  if (p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xbf) return 0;
  return n;
}

static void append_string(HsJsonLine *line, const char *value) {
  const unsigned char *p = (const unsigned char *)value;

  append(line, "\"", 1);
  while (*p) {
    char esc[8];
    size_t n = utf8_len(p);

    if (n == 0) {
      append(line, "\xef\xbf\xbd", 3); /* U+FFFD */
      p++;
    } else if (n > 1) {
      append(line, (const char *)p, n);
      p += n;
    } else if (*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p++;
      append(line, esc, 2);
    } else if (*p < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", *p++);
      append(line, esc, 6);
    } else {
      append(line, (const char *)p++, 1);
    }
  }
  append(line, "\"", 1);
}

static void member(HsJsonLine *line, const char *name) {
  if (line->len > 1) append(line, ",", 1);
  append_string(line, name);
  append(line, ":", 1);
}

void hs_json_line_begin(HsJsonLine *line) {
  *line = (HsJsonLine){0};
  append(line, "{", 1);
}

void hs_json_line_add_string(HsJsonLine *line, const char *name,
                             const char *value) {
  if (value == NULL) return;
  member(line, name);
  append_string(line, value);
}

void hs_json_line_add_int(HsJsonLine *line, const char *name, int64_t value) {
  char digits[32];

  member(line, name);
  snprintf(digits, sizeof digits, "%" PRId64, value);
  append(line, digits, strlen(digits));
}

char *hs_json_line_end(HsJsonLine *line, bool newline) {
  append(line, newline ? "}\n" : "}", newline ? 2 : 1);
  if (line->failed) {
    free(line->text);
    *line = (HsJsonLine){0};
    return NULL;
  }
  return line->text;
}
