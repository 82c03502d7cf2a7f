/* SPDX-License-Identifier: MIT */
/* check-proxy-request.c — the request-head parser of hs-exec --proxy. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "exec/proxy-request.h"

static HsProxyParse parse(const char *text, HsProxyRequest **req, int *st) {
  return hs_proxy_request_parse(text, strlen(text), req, st);
}

/* The status a head is refused with (0 when accepted or incomplete). */
static int refused(const char *text) {
  HsProxyRequest *req = NULL;
  int st = 0;
  HsProxyParse r = parse(text, &req, &st);

  hs_proxy_request_free(req);
  return r == HS_PROXY_PARSE_ERROR ? st : 0;
}

START_TEST(test_simple) {
  const char *text =
      "GET /account-info/v3/details?x=1 HTTP/1.1\r\n"
      "Host: 127.0.0.1:9\r\n"
      "Authorization:  Bearer ph-123 \r\n"
      "\r\nBODY";
  g_autoptr(HsProxyRequest) req = NULL;
  int st;

  ck_assert_int_eq(parse(text, &req, &st), HS_PROXY_PARSE_OK);
  ck_assert_str_eq(req->method, "GET");
  ck_assert_str_eq(req->target, "/account-info/v3/details?x=1");
  ck_assert_int_eq(req->minor, 1);
  ck_assert_int_eq(req->headers->len, 2);
  ck_assert_str_eq(hs_proxy_request_header(req, "authorization"),
                   "Bearer ph-123");
  ck_assert_ptr_null(hs_proxy_request_header(req, "Cookie"));
  ck_assert_int_eq(req->content_length, -1);
  ck_assert_int_eq(req->head_len, strlen(text) - 4);
}
END_TEST

START_TEST(test_body_framing) {
  g_autoptr(HsProxyRequest) a = NULL;
  g_autoptr(HsProxyRequest) b = NULL;
  int st;

  ck_assert_int_eq(parse("POST / HTTP/1.0\r\nContent-Length: 42\r\n"
                         "content-length: 42\r\n\r\n",
                         &a, &st),
                   HS_PROXY_PARSE_OK);
  ck_assert_int_eq(a->content_length, 42);
  ck_assert_int_eq(a->minor, 0);
  ck_assert_int_eq(parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, "
                         "chunked\r\n\r\n",
                         &b, &st),
                   HS_PROXY_PARSE_OK);
  ck_assert(b->chunked);
  /* conflicting lengths, both framings, a bad length, an unknown coding */
  ck_assert_int_eq(refused("POST / HTTP/1.1\r\nContent-Length: 1\r\n"
                           "Content-Length: 2\r\n\r\n"),
                   400);
  ck_assert_int_eq(refused("POST / HTTP/1.1\r\nContent-Length: 1\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"),
                   400);
  ck_assert_int_eq(refused("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
                   400);
  ck_assert_int_eq(refused("POST / HTTP/1.1\r\nContent-Length: "
                           "99999999999999999999\r\n\r\n"),
                   400);
  ck_assert_int_eq(
      refused("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"), 501);
}
END_TEST

START_TEST(test_incomplete) {
  HsProxyRequest *req = NULL;
  int st;

  ck_assert_int_eq(parse("", &req, &st), HS_PROXY_PARSE_INCOMPLETE);
  /* nothing yet, and no buffer (found by tests/fuzz/fuzz-proxy-request) */
  ck_assert_int_eq(hs_proxy_request_parse(NULL, 0, &req, &st),
                   HS_PROXY_PARSE_INCOMPLETE);
  ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: x\r\n", &req, &st),
                   HS_PROXY_PARSE_INCOMPLETE);
  ck_assert_int_eq(parse("GET / HTTP/1.1\r", &req, &st),
                   HS_PROXY_PARSE_INCOMPLETE);
  ck_assert_ptr_null(req);
}
END_TEST

START_TEST(test_malformed) {
  ck_assert_int_eq(refused("GET / HTTP/1.1\nHost: x\n\n"), 400);
  ck_assert_int_eq(refused("GET /\r HTTP/1.1\r\n\r\n"), 400);
  ck_assert_int_eq(refused("GET  / HTTP/1.1\r\n\r\n"), 400);
  ck_assert_int_eq(refused("GET / HTTP/2.0\r\n\r\n"), 505);
  ck_assert_int_eq(refused("GET / HTTP/1.2\r\n\r\n"), 505);
  ck_assert_int_eq(refused("GET / FTP/1.1\r\n\r\n"), 400);
  ck_assert_int_eq(refused("G(T / HTTP/1.1\r\n\r\n"), 400);
  ck_assert_int_eq(refused("\r\n\r\n"), 400);
  ck_assert_int_eq(refused("GET / HTTP/1.1\r\nNo colon\r\n\r\n"), 400);
  ck_assert_int_eq(refused("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n"), 400);
  ck_assert_int_eq(refused("GET / HTTP/1.1\r\nBad name: b\r\n\r\n"), 400);
  {
    const char nul[] = "GET / HTTP/1.1\r\nA: b\0c\r\n\r\n";
    HsProxyRequest *req = NULL;
    int st;
    ck_assert_int_eq(hs_proxy_request_parse(nul, sizeof nul - 1, &req, &st),
                     HS_PROXY_PARSE_ERROR);
    ck_assert_int_eq(st, 400);
  }
}
END_TEST

START_TEST(test_limits) {
  GString *big = g_string_new("GET / HTTP/1.1\r\n");
  GString *many = g_string_new("GET / HTTP/1.1\r\n");

  /* a head that never ends within the limit */
  while (big->len < HS_PROXY_MAX_HEAD + 10) g_string_append(big, "X-A: b\r\n");
  ck_assert_int_eq(refused(big->str), 431);
  for (int i = 0; i <= HS_PROXY_MAX_HEADERS; i++)
    g_string_append_printf(many, "X-%d: v\r\n", i);
  g_string_append(many, "\r\n");
  ck_assert_int_eq(refused(many->str), 431);
  g_string_free(big, TRUE);
  g_string_free(many, TRUE);
}
END_TEST

/* Fed a byte at a time, the parser answers as for the whole head. */
START_TEST(test_feed_by_byte) {
  static const char *const heads[] = {
      "GET /a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer p\r\n\r\nBODY",
      "POST / HTTP/1.0\r\nContent-Length: 4\r\n\r\n",
      "GET / HTTP/1.1\nHost: x\n\n",
      "GET / HTTP/2.0\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS(heads); i++) {
    gsize len = strlen(heads[i]);
    g_autoptr(HsProxyRequest) whole = NULL;
    g_autoptr(HsProxyRequest) fed = NULL;
    int want_st, st = 0;
    HsProxyParse want = parse(heads[i], &whole, &want_st);
    HsProxyParse r = HS_PROXY_PARSE_INCOMPLETE;
    HsProxyRequestParser parser;

    hs_proxy_request_parser_init(&parser);
    for (gsize n = 0; n <= len && r == HS_PROXY_PARSE_INCOMPLETE; n++)
      r = hs_proxy_request_parser_feed(&parser, heads[i], n, &fed, &st);
    hs_proxy_request_parser_clear(&parser);
    ck_assert_int_eq(r, want);
    if (want == HS_PROXY_PARSE_ERROR) ck_assert_int_eq(st, want_st);
    if (want == HS_PROXY_PARSE_OK) {
      ck_assert_int_eq(fed->head_len, whole->head_len);
      ck_assert_int_eq(fed->headers->len, whole->headers->len);
      ck_assert_int_eq(fed->content_length, whole->content_length);
    }
  }
}
END_TEST

/* Bytes already parsed are not read again: a head that grows a byte at a
 * time costs its length, not its length squared.  (Seen through a buffer
 * whose first line is spoiled once it has been parsed.) */
START_TEST(test_feed_reads_once) {
  char buf[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  g_autoptr(HsProxyRequest) req = NULL;
  HsProxyRequestParser parser;
  int st;

  hs_proxy_request_parser_init(&parser);
  ck_assert_int_eq(hs_proxy_request_parser_feed(&parser, buf, 16, &req, &st),
                   HS_PROXY_PARSE_INCOMPLETE);
  buf[3] = '\n';
  ck_assert_int_eq(hs_proxy_request_parser_feed(&parser, buf, 20, &req, &st),
                   HS_PROXY_PARSE_INCOMPLETE);
  ck_assert_int_eq(
      hs_proxy_request_parser_feed(&parser, buf, sizeof buf - 1, &req, &st),
      HS_PROXY_PARSE_OK);
  hs_proxy_request_parser_clear(&parser);
  ck_assert_str_eq(req->method, "GET");
  ck_assert_int_eq(req->head_len, sizeof buf - 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("proxy-request");
  TCase *tc = tcase_create("parse");

  tcase_add_test(tc, test_simple);
  tcase_add_test(tc, test_body_framing);
  tcase_add_test(tc, test_incomplete);
  tcase_add_test(tc, test_malformed);
  tcase_add_test(tc, test_limits);
  tcase_add_test(tc, test_feed_by_byte);
  tcase_add_test(tc, test_feed_reads_once);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
