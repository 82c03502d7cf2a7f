/* SPDX-License-Identifier: MIT */
/* proxy-request.c — parsing a request head (RFC 9112), strictly. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "exec/proxy-request.h"
#include "core/secure.h"

static void header_free(gpointer data) {
  HsProxyHeader *h = data;
  g_free(h->name);
  hs_secure_free(h->value);
  g_free(h);
}

void hs_proxy_request_free(HsProxyRequest *request) {
  if (request == NULL) return;
  g_free(request->method);
  g_free(request->target);
  if (request->headers != NULL) g_ptr_array_free(request->headers, TRUE);
  g_free(request);
}

const char *hs_proxy_request_header(const HsProxyRequest *request,
                                    const char *name) {
  for (guint i = 0; i < request->headers->len; i++) {
    const HsProxyHeader *h = g_ptr_array_index(request->headers, i);
    if (g_ascii_strcasecmp(h->name, name) == 0) return h->value;
  }
  return NULL;
}

/* RFC 9110 tchar. */
static gboolean is_tchar(char c) {
  return g_ascii_isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static gboolean is_vchar(char c) { return (guchar)c > 0x20 && c != 0x7f; }

/* Field values: VCHAR, SP, HTAB, obs-text; no CR, LF, NUL. */
static gboolean is_value_char(char c) {
  return (guchar)c >= 0x80 || is_vchar(c) || c == ' ' || c == '\t';
}

static gboolean parse_request_line(const char *p, gsize n, HsProxyRequest *req,
                                   int *ret_status) {
  const char *sp1 = memchr(p, ' ', n), *sp2;
  gsize i;

  *ret_status = 400;
  if (sp1 == NULL || sp1 == p || (gsize)(sp1 - p) > HS_PROXY_MAX_METHOD)
    return FALSE;
  for (const char *c = p; c < sp1; c++)
    if (!is_tchar(*c)) return FALSE;
  sp2 = memchr(sp1 + 1, ' ', n - (gsize)(sp1 + 1 - p));
  if (sp2 == NULL || sp2 == sp1 + 1) return FALSE;
  for (const char *c = sp1 + 1; c < sp2; c++)
    if (!is_vchar(*c)) return FALSE;
  i = (gsize)(sp2 + 1 - p);
  if (n - i != 8 || memcmp(p + i, "HTTP/1.", 7) != 0) {
    *ret_status = (n - i == 8 && memcmp(p + i, "HTTP/", 5) == 0) ? 505 : 400;
    return FALSE;
  }
  if (p[i + 7] != '0' && p[i + 7] != '1') {
    *ret_status = 505;
    return FALSE;
  }
  req->method = g_strndup(p, (gsize)(sp1 - p));
  req->target = g_strndup(sp1 + 1, (gsize)(sp2 - sp1 - 1));
  req->minor = p[i + 7] - '0';
  return TRUE;
}

static gboolean parse_content_length(const char *v, gint64 *ret) {
  gint64 x = 0;
  gsize n = strlen(v);

  if (n == 0 || n > 15) return FALSE;
  for (const char *c = v; *c; c++) {
    if (!g_ascii_isdigit(*c)) return FALSE;
    x = x * 10 + (*c - '0');
  }
  *ret = x;
  return TRUE;
}

/* One "name: value" line of `n` bytes (no CRLF). */
static gboolean parse_field(const char *p, gsize n, HsProxyRequest *req,
                            int *ret_status) {
  const char *colon = memchr(p, ':', n), *v, *end = p + n;
  HsProxyHeader *h;

  *ret_status = 400;
  if (colon == NULL || colon == p) return FALSE; /* also obs-fold */
  for (const char *c = p; c < colon; c++)
    if (!is_tchar(*c)) return FALSE;
  for (const char *c = colon + 1; c < end; c++)
    if (!is_value_char(*c)) return FALSE;
  v = colon + 1;
  while (v < end && (*v == ' ' || *v == '\t')) v++;
  while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
  if (req->headers->len >= HS_PROXY_MAX_HEADERS) {
    *ret_status = 431;
    return FALSE;
  }
  h = g_new0(HsProxyHeader, 1);
  h->name = g_strndup(p, (gsize)(colon - p));
  h->value = g_strndup(v, (gsize)(end - v));
  g_ptr_array_add(req->headers, h);

  if (g_ascii_strcasecmp(h->name, "Content-Length") == 0) {
    gint64 cl;
    if (!parse_content_length(h->value, &cl) ||
        (req->content_length >= 0 && req->content_length != cl))
      return FALSE;
    req->content_length = cl;
  } else if (g_ascii_strcasecmp(h->name, "Transfer-Encoding") == 0) {
    const char *last = strrchr(h->value, ',');
    last = last ? last + 1 : h->value;
    while (*last == ' ' || *last == '\t') last++;
    if (g_ascii_strcasecmp(last, "chunked") != 0) {
      *ret_status = 501;
      return FALSE;
    }
    req->chunked = TRUE;
  }
  return TRUE;
}

void hs_proxy_request_parser_init(HsProxyRequestParser *parser) {
  parser->request = g_new0(HsProxyRequest, 1);
  parser->request->headers = g_ptr_array_new_with_free_func(header_free);
  parser->request->content_length = -1;
  parser->line = 0;
  parser->scanned = 0;
}

void hs_proxy_request_parser_clear(HsProxyRequestParser *parser) {
  g_clear_pointer(&parser->request, hs_proxy_request_free);
}

HsProxyParse hs_proxy_request_parser_feed(HsProxyRequestParser *parser,
                                          const char *buf, gsize len,
                                          HsProxyRequest **ret_request,
                                          int *ret_status) {
  HsProxyRequest *req = parser->request;
  gsize limit = MIN(len, (gsize)HS_PROXY_MAX_HEAD);

  *ret_request = NULL;
  *ret_status = 0;
  for (;;) {
    /* buf may be NULL when len is 0: no pointer into it is made before a
     * line's end is found (even NULL + 0 is undefined). */
    const char *lf =
        parser->scanned < limit
            ? memchr(buf + parser->scanned, '\n', limit - parser->scanned)
            : NULL;
    const char *line;
    gsize n;

    if (lf == NULL) {
      parser->scanned = MAX(parser->scanned, limit);
      if (len >= HS_PROXY_MAX_HEAD) {
        *ret_status = 431;
        return HS_PROXY_PARSE_ERROR;
      }
      return HS_PROXY_PARSE_INCOMPLETE;
    }
    line = buf + parser->line;
    parser->scanned = (gsize)(lf - buf) + 1;
    /* Lines end in CRLF; a bare LF or a stray CR is refused. */
    if (lf == line || lf[-1] != '\r' ||
        memchr(line, '\r', (gsize)(lf - line) - 1)) {
      *ret_status = 400;
      return HS_PROXY_PARSE_ERROR;
    }
    n = (gsize)(lf - line) - 1;
    if (memchr(line, '\0', n) != NULL) {
      *ret_status = 400;
      return HS_PROXY_PARSE_ERROR;
    }
    parser->line = parser->scanned;
    if (req->method == NULL) {
      if (!parse_request_line(line, n, req, ret_status))
        return HS_PROXY_PARSE_ERROR;
    } else if (n == 0) {
      break;
    } else if (!parse_field(line, n, req, ret_status)) {
      return HS_PROXY_PARSE_ERROR;
    }
  }
  /* Both framings at once is how requests are smuggled. */
  if (req->chunked && req->content_length >= 0) {
    *ret_status = 400;
    return HS_PROXY_PARSE_ERROR;
  }
  req->head_len = parser->line;
  *ret_status = 0;
  *ret_request = g_steal_pointer(&parser->request);
  return HS_PROXY_PARSE_OK;
}

HsProxyParse hs_proxy_request_parse(const char *buf, gsize len,
                                    HsProxyRequest **ret_request,
                                    int *ret_status) {
  HsProxyRequestParser parser;
  HsProxyParse r;

  hs_proxy_request_parser_init(&parser);
  r = hs_proxy_request_parser_feed(&parser, buf, len, ret_request, ret_status);
  hs_proxy_request_parser_clear(&parser);
  return r;
}
