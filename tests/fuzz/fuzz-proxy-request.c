/* SPDX-License-Identifier: MIT */
/* fuzz-proxy-request.c — the request head a client of hs-exec --proxy
 * sends (request line, header fields, Content-Length / chunked framing),
 * read as the proxy reads it: any bytes, perhaps only part of a head. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "exec/proxy-request.h"

static HsProxyParse parse(const char *buf, gsize len, HsProxyRequest **req,
                          int *status) {
  HsProxyParse r = hs_proxy_request_parse(buf, len, req, status);

  switch (r) {
    case HS_PROXY_PARSE_OK:
      FUZZ_ASSERT(*req != NULL);
      break;
    case HS_PROXY_PARSE_INCOMPLETE:
      FUZZ_ASSERT(*req == NULL && len < HS_PROXY_MAX_HEAD);
      break;
    case HS_PROXY_PARSE_ERROR:
      FUZZ_ASSERT(*req == NULL);
      FUZZ_ASSERT(*status == 400 || *status == 431 || *status == 501 ||
                  *status == 505);
      break;
    default:
      FUZZ_ASSERT(!"a result not in HsProxyParse");
  }
  return r;
}

/* The bytes fed as the proxy reads them, in pieces of 1 to 7 bytes: the
 * same answer as for the whole, and the same head. */
static void feed_in_pieces(const char *buf, gsize size, HsProxyParse whole,
                           int whole_status, const HsProxyRequest *whole_req) {
  g_autoptr(HsProxyRequest) req = NULL;
  HsProxyParse r = HS_PROXY_PARSE_INCOMPLETE;
  HsProxyRequestParser parser;
  gsize len = 0;
  int status = -1;

  hs_proxy_request_parser_init(&parser);
  do {
    len = MIN(size, len + 1 + (len > 0 ? (guchar)buf[len - 1] % 7 : 0));
    r = hs_proxy_request_parser_feed(&parser, buf, len, &req, &status);
  } while (r == HS_PROXY_PARSE_INCOMPLETE && len < size);
  hs_proxy_request_parser_clear(&parser);
  FUZZ_ASSERT(r == whole);
  if (r == HS_PROXY_PARSE_ERROR) FUZZ_ASSERT(status == whole_status);
  if (r == HS_PROXY_PARSE_OK)
    FUZZ_ASSERT(req->head_len == whole_req->head_len &&
                req->headers->len == whole_req->headers->len &&
                req->content_length == whole_req->content_length);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly `size` bytes, so that ASan sees any overread. */
  char *buf = g_memdup2(data, size);
  g_autoptr(HsProxyRequest) req = NULL;
  int status = -1;
  HsProxyParse whole = parse(buf, size, &req, &status);

  if (size > 0) feed_in_pieces(buf, size, whole, status, req);
  if (whole == HS_PROXY_PARSE_OK) {
    gsize head = req->head_len;

    FUZZ_ASSERT(head >= 4 && head <= size && head <= HS_PROXY_MAX_HEAD);
    FUZZ_ASSERT(memcmp(buf + head - 4, "\r\n\r\n", 4) == 0);
    FUZZ_ASSERT(req->method != NULL && req->method[0] != '\0' &&
                strlen(req->method) <= HS_PROXY_MAX_METHOD);
    FUZZ_ASSERT(req->target != NULL && req->target[0] != '\0');
    FUZZ_ASSERT(req->minor == 0 || req->minor == 1);
    FUZZ_ASSERT(req->headers->len <= HS_PROXY_MAX_HEADERS);
    FUZZ_ASSERT(req->content_length >= -1);
    FUZZ_ASSERT(!(req->chunked && req->content_length >= 0));
    for (guint i = 0; i < req->headers->len; i++) {
      const HsProxyHeader *h = g_ptr_array_index(req->headers, i);
      FUZZ_ASSERT(h->name[0] != '\0' && h->value != NULL);
      FUZZ_ASSERT(hs_proxy_request_header(req, h->name) != NULL);
    }
    /* The proxy reads a head as it arrives: every shorter prefix of it is
     * a head still coming, and what follows it (a body) changes nothing. */
    for (gsize cut = head - 1; cut > 0; cut = cut > 8 ? cut / 2 : cut - 1) {
      g_autoptr(HsProxyRequest) part = NULL;
      int s = -1;
      char *prefix = g_memdup2(buf, cut);

      FUZZ_ASSERT(parse(prefix, cut, &part, &s) == HS_PROXY_PARSE_INCOMPLETE);
      g_free(prefix);
    }
    {
      g_autoptr(HsProxyRequest) only = NULL;
      int s = -1;
      char *copy = g_memdup2(buf, head);

      FUZZ_ASSERT(parse(copy, head, &only, &s) == HS_PROXY_PARSE_OK);
      FUZZ_ASSERT(only->head_len == head &&
                  only->headers->len == req->headers->len &&
                  only->content_length == req->content_length &&
                  only->chunked == req->chunked);
      g_free(copy);
    }
  }
  g_free(buf);
  return 0;
}
