/* SPDX-License-Identifier: MIT */
/* secret-input.c — reading a secret from standard input or a no-echo
 * prompt. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "core/secret-input.h"
#include "core/secure.h"

char *hs_secret_read_fd(int fd, gsize *ret_len, GError **error) {
  /* One byte more than allowed, to tell "exactly the limit" from "over". */
  gsize cap = HS_SECRET_INPUT_MAX + 1, len = 0;
  char *buf = g_malloc(cap + 1);
  char *checked;

  while (len < cap) {
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      hs_secure_free_len(buf, cap + 1);
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "could not read the secret from standard input: %s",
                  g_strerror(saved));
      return NULL;
    }
    if (n == 0) break;
    len += (gsize)n;
  }
  checked = hs_secret_check_input(buf, len, error);
  hs_secure_free_len(buf, cap + 1);
  if (checked != NULL && ret_len != NULL) *ret_len = len;
  return checked;
}

char *hs_secret_check_input(const char *data, gsize len, GError **error) {
  const char *bad_utf8;
  char *exact;

  if (len > HS_SECRET_INPUT_MAX) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the input on standard input is larger than %d KiB; give "
                "only the secret",
                HS_SECRET_INPUT_MAX / 1024);
    return NULL;
  }
  if (memchr(data, '\0', len) != NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the input on standard input contains a NUL byte; give the "
                "secret as plain text");
    return NULL;
  }
  if (!g_utf8_validate(data, (gssize)len, &bad_utf8)) {
    gsize at = (gsize)(bad_utf8 - data);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the input on standard input is not valid UTF-8 (at byte "
                "%" G_GSIZE_FORMAT "); give the secret as plain text",
                at + 1);
    return NULL;
  }
  exact = g_malloc(len + 1);
  memcpy(exact, data, len);
  exact[len] = '\0';
  return exact;
}

static gboolean is_blank(char c) { return c == ' ' || c == '\t'; }

char *hs_secret_parse_token(const char *input, gsize len, HsKind kind,
                            GError **error) {
  gsize start = 0, end = len, rest;
  char *token;

  /* One line: drop one final LF (or CRLF), then any blank lines after it. */
  while (end > 0 && (input[end - 1] == '\n' || input[end - 1] == '\r')) end--;
  while (start < end && is_blank(input[start])) start++;
  while (end > start && is_blank(input[end - 1])) end--;
  if (end == start) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "no %s was given on standard input; pipe it in or type it at "
                "the prompt",
                hs_kind_name(kind));
    return NULL;
  }
  for (rest = start; rest < end; rest++) {
    if (input[rest] == '\n' || input[rest] == '\r') {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "standard input has more than one line; a %s is given as "
                  "one line",
                  hs_kind_name(kind));
      return NULL;
    }
  }
  token = g_strndup(input + start, end - start);
  if (!hs_kind_check_token(kind, token, error)) {
    hs_secure_free(token);
    return NULL;
  }
  return token;
}

/* Read one line from the terminal with echo off, restoring the terminal
 * afterwards.  The prompt goes to the terminal, not to stdout. */
static char *read_no_echo(int fd, const char *prompt, gsize *ret_len,
                          GError **error) {
  struct termios saved, quiet;
  gsize cap = HS_SECRET_INPUT_MAX + 1, len = 0;
  char *buf;
  hs_autofd tty_out = -1;

  if (tcgetattr(fd, &saved) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "could not set up the terminal for the prompt: %s",
                g_strerror(errno));
    return NULL;
  }
  tty_out = open("/dev/tty", O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (tty_out >= 0) {
    (void)!write(tty_out, prompt, strlen(prompt));
  }
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
  quiet.c_lflag |= ICANON;
  (void)tcsetattr(fd, TCSAFLUSH, &quiet);

  buf = g_malloc(cap + 1);
  while (len < cap) {
    ssize_t n = read(fd, buf + len, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || buf[len] == '\n') break;
    len++;
  }
  buf[len] = '\0';
  (void)tcsetattr(fd, TCSAFLUSH, &saved);
  if (tty_out >= 0) (void)!write(tty_out, "\n", 1);
  *ret_len = len;
  return buf;
}

char *hs_secret_read_token(int fd, HsKind kind, const char *prompt,
                           GError **error) {
  gsize len = 0;
  char *input, *token;

  if (isatty(fd)) {
    input = read_no_echo(fd, prompt, &len, error);
    if (input != NULL && (memchr(input, '\0', len) != NULL ||
                          !g_utf8_validate(input, (gssize)len, NULL))) {
      hs_secure_free_len(input, HS_SECRET_INPUT_MAX + 2);
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "the typed %s has a NUL byte or is not valid UTF-8",
                  hs_kind_name(kind));
      return NULL;
    }
    if (input == NULL) return NULL;
    token = hs_secret_parse_token(input, len, kind, error);
    hs_secure_free_len(input, HS_SECRET_INPUT_MAX + 2);
    return token;
  }
  input = hs_secret_read_fd(fd, &len, error);
  if (input == NULL) return NULL;
  token = hs_secret_parse_token(input, len, kind, error);
  hs_secure_free_len(input, len);
  return token;
}

void hs_secret_strv_free(char **values) {
  if (values == NULL) return;
  for (char **v = values; *v; v++) hs_secure_free(*v);
  g_free(values);
}

char **hs_secret_parse_pairs(const char *input, gsize len,
                             const char *const *keys, GError **error) {
  guint n = g_strv_length((char **)keys);
  char **values = g_new0(char *, n + 1);
  g_autofree char *expected = g_strjoinv("=VALUE and ", (char **)keys);
  gsize pos = 0;
  guint line = 0;

  /* Messages give the line's number and what was expected, never its
   * text: a malformed line may be the secret itself. */
  while (pos < len) {
    gsize end = pos, k_end, v_start, v_end;
    guint i;

    line++;
    while (end < len && input[end] != '\n') end++;
    v_end = end;
    if (v_end > pos && input[v_end - 1] == '\r') v_end--;
    while (pos < v_end && is_blank(input[pos])) pos++;
    while (v_end > pos && is_blank(input[v_end - 1])) v_end--;
    if (pos == v_end) { /* blank line */
      pos = end + 1;
      continue;
    }
    for (k_end = pos; k_end < v_end && input[k_end] != '='; k_end++)
      ;
    if (k_end == v_end) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "line %u of standard input is not KEY=VALUE; give one "
                  "line each: %s=VALUE",
                  line, expected);
      goto fail;
    }
    {
      gsize key_end = k_end; /* "client_secret = x" names client_secret */
      while (key_end > pos && is_blank(input[key_end - 1])) key_end--;
      for (i = 0; i < n; i++)
        if (strlen(keys[i]) == key_end - pos &&
            strncmp(input + pos, keys[i], key_end - pos) == 0)
          break;
    }
    if (i == n) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "line %u of standard input has an unknown key (not shown); "
                  "give one line each: %s=VALUE",
                  line, expected);
      goto fail;
    }
    if (values[i] != NULL) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "%s= is given twice on standard input (again on line %u)",
                  keys[i], line);
      goto fail;
    }
    v_start = k_end + 1;
    while (v_start < v_end && is_blank(input[v_start])) v_start++;
    if (v_start == v_end) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "%s= on line %u of standard input is empty", keys[i], line);
      goto fail;
    }
    values[i] = g_strndup(input + v_start, v_end - v_start);
    if (!hs_kind_check_token(HS_KIND_OAUTH, values[i], error)) {
      g_prefix_error(error, "%s= on line %u of standard input: ", keys[i],
                     line);
      goto fail;
    }
    pos = end + 1;
  }
  for (guint i = 0; i < n; i++) {
    if (values[i] == NULL) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "%s= is missing on standard input", keys[i]);
      goto fail;
    }
  }
  return values;
fail:
  for (guint i = 0; i < n; i++) hs_secure_free(values[i]);
  g_free(values);
  return NULL;
}

char **hs_secret_read_pairs(int fd, const char *const *keys, GError **error) {
  gsize len = 0;
  char *input;
  char **values;

  if (isatty(fd)) {
    GString *lines = g_string_new(NULL);
    for (const char *const *k = keys; *k; k++) {
      g_autofree char *prompt = g_strdup_printf("%s (input hidden): ", *k);
      gsize n = 0;
      char *line = read_no_echo(fd, prompt, &n, error);
      if (line == NULL) {
        hs_secure_free_len(lines->str, lines->allocated_len);
        g_string_free(lines, FALSE);
        return NULL;
      }
      g_string_append_printf(lines, "%s=%s\n", *k, line);
      hs_secure_free_len(line, HS_SECRET_INPUT_MAX + 2);
    }
    len = lines->len;
    input = g_string_free(lines, FALSE);
  } else {
    input = hs_secret_read_fd(fd, &len, error);
    if (input == NULL) return NULL;
  }
  values = hs_secret_parse_pairs(input, len, keys, error);
  hs_secure_free_len(input, len);
  return values;
}
