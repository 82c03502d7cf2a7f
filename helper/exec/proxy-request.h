/* SPDX-License-Identifier: MIT */
/* proxy-request.h — the request head a client of hs-exec --proxy sends:
 * a small, strict HTTP/1.x parser with fixed bounds, written to be fuzzed
 * (it takes any bytes and never reads past `len`). */
#ifndef HS_PROXY_REQUEST_H
#define HS_PROXY_REQUEST_H

#include <glib.h>

#define HS_PROXY_MAX_HEAD 16384 /* request line + headers + blank line */
#define HS_PROXY_MAX_HEADERS 64 /* header fields */
#define HS_PROXY_MAX_METHOD 32  /* bytes of the method token */

typedef struct {
  char *name;  /* as sent */
  char *value; /* without surrounding blanks; may hold a SECRET */
} HsProxyHeader;

typedef struct {
  char *method;
  char *target;       /* request-target as sent (origin-, absolute-form, ...) */
  int minor;          /* HTTP/1.<minor>: 0 or 1 */
  GPtrArray *headers; /* HsProxyHeader* */
  gint64 content_length; /* -1 when absent */
  gboolean chunked;      /* Transfer-Encoding ends in "chunked" */
  gsize head_len;        /* bytes of the head, blank line included */
} HsProxyRequest;

typedef enum {
  HS_PROXY_PARSE_OK,
  HS_PROXY_PARSE_INCOMPLETE, /* no blank line yet and under the limit */
  HS_PROXY_PARSE_ERROR,
} HsProxyParse;

/* Parse the head at the start of `buf` (`len` bytes, any content).  OK:
 * *ret_request is set (transfer full).  ERROR: *ret_status is the HTTP
 * status to answer with (400, 431, 501, 505). */
HsProxyParse hs_proxy_request_parse(const char *buf, gsize len,
                                    HsProxyRequest **ret_request,
                                    int *ret_status);

/* A head read as it arrives, however it is cut into reads: each byte is
 * searched once for a line's end and each line parsed once, so that a
 * client sending a byte at a time costs no more than one sending it all. */
typedef struct {
  HsProxyRequest *request; /* being filled */
  gsize line;              /* where the first line not parsed yet starts */
  gsize scanned;           /* bytes already searched for a line's end */
} HsProxyRequestParser;

void hs_proxy_request_parser_init(HsProxyRequestParser *parser);

/* `buf` holds `len` bytes: the same bytes as at the last call, then those
 * read since.  Returns as hs_proxy_request_parse() would for the whole of
 * `buf`.  After OK or ERROR, only hs_proxy_request_parser_clear() is left to
 * call. */
HsProxyParse hs_proxy_request_parser_feed(HsProxyRequestParser *parser,
                                          const char *buf, gsize len,
                                          HsProxyRequest **ret_request,
                                          int *ret_status);

/* Free what the parser holds (a request not finished, wiped). */
void hs_proxy_request_parser_clear(HsProxyRequestParser *parser);

/* The value of the first header `name` (case-insensitive), or NULL
 * (transfer none). */
const char *hs_proxy_request_header(const HsProxyRequest *request,
                                    const char *name);

/* Free the request, wiping header values (one is the Authorization). */
void hs_proxy_request_free(HsProxyRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsProxyRequest, hs_proxy_request_free)

#endif
