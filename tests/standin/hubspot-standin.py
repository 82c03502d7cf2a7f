#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""hubspot-standin.py: a local stand-in for HubSpot's API, over TLS.

For the end-to-end tests and benchmarks of hs-exec/hs-token.  It answers the
endpoints the programs use (docs/design.md, "HubSpot") as HubSpot does,
refusing what HubSpot refuses with HubSpot's error shapes, and can be told to
misbehave (5xx, 429, garbage, truncated bodies, hangs, resets).
Python 3.11 standard library only, plus the openssl command for the
certificate.

Usage:
  hubspot-standin.py --state-dir DIR [--seed FILE] [--expires-in SECONDS]
                     [--rotate-refresh-tokens] [--max-lifetime SECONDS]

  Makes a throw-away self-signed certificate DIR/cert.pem (+ DIR/key.pem)
  for 127.0.0.1 and localhost: clients use `--cacert DIR/cert.pem`.  Listens
  on 127.0.0.1 only, on a port the kernel chooses; when ready writes DIR/port
  and DIR/pid and prints "ready https://127.0.0.1:PORT".  Every access token
  and rotated refresh token it hands out is appended to DIR/issued-tokens,
  one a line, for the tests' "no secret anywhere" search.  Stops on SIGTERM or
  SIGINT, or by itself after --max-lifetime (default 3600 s), removing
  DIR/port and DIR/pid.  Logs one line per API request on stderr:
  "METHOD PATH STATUS" (tokens in paths shown as {token}; never a secret).

Seed (--seed FILE or POST /__standin/seed; merged into what is there):
  {"private_apps": {"pat-na1-…": {"hub_id": 1, "hublet": "na1", "scopes": []}},
   "oauth_clients": {"ID": {"client_secret": "…", "app_id": 9 (optional),
       "refresh_tokens": {"R": {"hub_id": 42, "scopes": [], "user": "a@b",
                                "user_id": 1, "hublet": "na1"}}}},
   "personal_access_keys": {"PAK": {"hub_id": 7, "user_id": 5,
                                    "hub_name": "Acme", "scopes": [...]}}}
  Service keys go in private_apps too; one with "service_key": true is
  unknown to the private-app token-info endpoint (how HubSpot answers there
  for a service key is not documented: this assumes it knows only private
  apps, so it gives no appId).

Besides the auth endpoints, an ordinary API for proxies to forward to:
  POST /crm/v3/objects/contacts   {"properties": {...}} -> 201 the contact
  GET  /crm/v3/objects/contacts   {"results": [...]}, per hub
both with HubSpot's 401 unless the bearer is a private-app token or an
unexpired access token.

Control API (test-only, no auth, not counted, never faulted):
  GET  /__standin/counters        {"total", "by_path", "token_requests",
                                   "connections" (that carried a counted request)}
  GET  /__standin/faults          the queued faults
  POST /__standin/reset-counters
  POST /__standin/seed            body: a seed, merged
  POST /__standin/fault           {"kind", "count" (1; -1 = forever), "path"
                                   (prefix), "retry_after", "policy", "delay"}
  POST /__standin/clear-faults
  POST /__standin/expires-in      {"seconds": N}, for tokens issued from now
  POST /__standin/authorize       {"hub_id", "hublet", "error", "state"}: how
                                  the next sign-ins answer (see below)

OAuth sign-in (app.hubspot.com's part, on the same server):
  GET /oauth/authorize?client_id&scope&redirect_uri&state redirects (302) at
  once to redirect_uri with a single-use code and the state, as if the user
  had granted access, for hub 42 (hublet na1) unless /__standin/authorize
  said otherwise; with "error" set it redirects with error=ERROR instead, and
  with "state" set it sends that state back instead of the client's.  The
  code is exchanged by the token endpoints' authorization_code grant (same
  client, same redirect_uri), which answers as a refresh does and adds the
  new refresh token to the seed.
Fault kinds: 500 502 503 429 garbage truncated hang reset refuse-refresh
expired (HubSpot's 401 EXPIRED_AUTHENTICATION, whatever the token), chunked
(a 200 whose JSON body comes in chunks, without a Content-Length).
Each request takes the first queued fault whose path prefix matches; all but
"hang" replace the answer entirely (the request has no other effect).
"refuse-refresh" is taken only by a refresh (OAuth refresh_token grant or
personal-access-key exchange), which is then refused as HubSpot refuses a bad
refresh token / key.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

AUTH_MESSAGE = ("Authentication credentials not found. This API supports OAuth 2.0 "
                "authentication and you can find more details at "
                "https://developers.hubspot.com/docs/methods/auth/oauth-overview")
PAK_MESSAGE = ("Your personal access key is invalid. Generate a new one at "
               "https://app.hubspot.com/personal-access-key and try again.")
TOKEN_PATHS = ("/oauth/2026-03/token", "/oauth/v1/token", "/localdevauth/v1/auth/refresh")
FAULT_KINDS = ("500", "502", "503", "429", "garbage", "chunked", "truncated", "hang", "reset",
               "refuse-refresh", "expired")
MAX_BODY = 1 << 20


class HubSpotError(Exception):
    """An error answer: raised by handlers, written by the dispatcher."""

    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def correlation_id():
    return str(uuid.uuid4())


def api_error(status, message, category=None, **extra):
    body = {"status": "error", "message": message, "correlationId": correlation_id()}
    if category:
        body["category"] = category
    body.update(extra)
    return HubSpotError(status, body)


def ui_domain(hublet):
    return "app.hubspot.com" if hublet in ("", "na1") else f"app-{hublet}.hubspot.com"


class State:
    """Everything the server knows, guarded by self.lock."""

    def __init__(self, expires_in, rotate, issued_log=None):
        self.lock = threading.Lock()
        self.issued_log = issued_log  # every secret handed out, one a line
        self.expires_in = expires_in
        self.rotate = rotate
        self.private_apps = {}      # token -> {hub_id, hublet, scopes}
        self.clients = {}           # client_id -> {client_secret, app_id}
        self.refresh_tokens = {}    # token -> {client_id, hub_id, scopes, user, ...}
        self.paks = {}              # key -> {hub_id, user_id, hub_name, ...}
        self.access_tokens = {}     # token -> {kind, hub_id, ..., expires_at}
        self.contacts = {}          # hub_id -> [contact], POST /crm/v3/objects/contacts
        self.faults = []            # [{kind, count, path, ...}]
        self.codes = {}             # code -> {client_id, redirect_uri, grant}
        self.authorize = {}         # /__standin/authorize: hub_id, hublet, error, state
        self.reset_counters()

    # ---- seed ----
    def merge_seed(self, seed):
        """Validate the whole seed first, then merge it; ValueError on a bad shape."""
        if not isinstance(seed, dict):
            raise ValueError("seed must be a JSON object")
        sections = {}
        for name in ("private_apps", "oauth_clients", "personal_access_keys"):
            section = seed.get(name, {})
            if not isinstance(section, dict) or not all(
                    isinstance(v, dict) for v in section.values()):
                raise ValueError(f"{name} must be an object of objects")
            sections[name] = section
        for client in sections["oauth_clients"].values():
            if not isinstance(client.get("client_secret"), str):
                raise ValueError("each oauth client needs a client_secret string")
            tokens = client.get("refresh_tokens", {})
            if not isinstance(tokens, dict) or not all(isinstance(v, dict) for v in tokens.values()):
                raise ValueError("refresh_tokens must be an object of objects")
        with self.lock:
            for token, app in sections["private_apps"].items():
                self.private_apps[token] = {"hub_id": app.get("hub_id", 0),
                                            "hublet": app.get("hublet", "na1"),
                                            "scopes": list(app.get("scopes", [])),
                                            "service_key": bool(app.get("service_key", False))}
            for cid, client in sections["oauth_clients"].items():
                self.clients[cid] = {"client_secret": client["client_secret"],
                                     "app_id": client.get("app_id", 9)}
                for token, info in client.get("refresh_tokens", {}).items():
                    self.refresh_tokens[token] = self._grant(info, client_id=cid)
            for key, info in sections["personal_access_keys"].items():
                self.paks[key] = self._grant(info, hub_name=info.get("hub_name", ""),
                                             scopes=list(info.get("scopes", ["crm.objects.contacts.read"])))

    @staticmethod
    def _grant(info, **extra):
        hub_id = info.get("hub_id", 0)
        grant = {"hub_id": hub_id, "scopes": list(info.get("scopes", [])),
                 "user": info.get("user", "user@example.com"),
                 "user_id": info.get("user_id", 1), "hublet": info.get("hublet", "na1"),
                 "hub_domain": info.get("hub_domain", f"hub-{hub_id}.example.com")}
        grant.update(extra)
        return grant

    # ---- counters and faults ----
    def reset_counters(self):
        self.total, self.by_path, self.token_requests = 0, {}, 0
        self.connections, self.generation = 0, getattr(self, "generation", 0) + 1

    def count(self, name, path, handler):
        with self.lock:
            if getattr(handler, "counted_in", None) != self.generation:
                handler.counted_in = self.generation
                self.connections += 1
            self.total += 1
            self.by_path[name] = self.by_path.get(name, 0) + 1
            if path in TOKEN_PATHS:
                self.token_requests += 1

    def counters(self):
        with self.lock:
            return {"total": self.total, "by_path": dict(self.by_path),
                    "token_requests": self.token_requests,
                    "connections": self.connections}

    def add_fault(self, fault):
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, path, refresh=False):
        """The first queued fault for this path: refuse-refresh only when refresh."""
        with self.lock:
            for fault in self.faults:
                if (fault["kind"] == "refuse-refresh") != refresh:
                    continue
                if not path.startswith(fault.get("path") or ""):
                    continue
                if fault["count"] > 0:
                    fault["count"] -= 1
                    if fault["count"] == 0:
                        self.faults.remove(fault)
                return dict(fault)
            return None

    # ---- tokens ----
    def issue_access_token(self, kind, grant, **extra):
        token = "CO" + secrets.token_urlsafe(147)
        with self.lock:
            expires_in = self.expires_in
            info = dict(grant, kind=kind, expires_at=time.time() + expires_in, **extra)
            self.access_tokens[token] = info
            self.note_issued(token)
        return token, expires_in, info

    def note_issued(self, token):
        """Append a secret we handed out to DIR/issued-tokens (lock held), so
        that the tests can search everything else for it."""
        if self.issued_log:
            with open(self.issued_log, "a", encoding="ascii") as f:
                f.write(token + "\n")

    def lookup_access(self, token):
        with self.lock:
            info = self.access_tokens.get(token)
            return dict(info) if info else None

    def refresh(self, client_id, refresh_token):
        """The grant of a refresh token of this client (rotated if asked), or None."""
        with self.lock:
            grant = self.refresh_tokens.get(refresh_token)
            if grant is None or grant["client_id"] != client_id:
                return None, None
            if self.rotate:
                del self.refresh_tokens[refresh_token]
                refresh_token = f"{grant['hublet']}-{uuid.uuid4()}"
                self.refresh_tokens[refresh_token] = grant
                self.note_issued(refresh_token)
            return refresh_token, dict(grant)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hubspot-standin/1"
    sys_version = ""
    timeout = 120           # idle keep-alive connections are closed after this

    # method, path, exact (False: the path is a prefix followed by one {token} segment), handler
    ROUTES = [
        ("GET", "/account-info/v3/details", True, "account_info"),
        ("POST", "/crm/v3/objects/contacts", True, "contacts_create"),
        ("GET", "/crm/v3/objects/contacts", True, "contacts_list"),
        ("POST", "/oauth/v2/private-apps/get/access-token-info", True, "private_app_info"),
        ("POST", "/oauth/2026-03/token", True, "token_2026"),
        ("POST", "/oauth/v1/token", True, "token_v1"),
        ("POST", "/oauth/2026-03/token/introspect", True, "introspect"),
        ("POST", "/oauth/2026-03/token/revoke", True, "revoke"),
        ("GET", "/oauth/v1/access-tokens/", False, "access_token_info"),
        ("GET", "/oauth/v1/refresh-tokens/", False, "refresh_token_info"),
        ("DELETE", "/oauth/v1/refresh-tokens/", False, "refresh_token_delete"),
        ("POST", "/localdevauth/v1/auth/refresh", True, "pak_exchange"),
        ("GET", "/oauth/authorize", True, "authorize"),
    ]
    CONTROL = {
        ("GET", "/__standin/counters"): "ctl_counters",
        ("GET", "/__standin/faults"): "ctl_faults",
        ("POST", "/__standin/reset-counters"): "ctl_reset_counters",
        ("POST", "/__standin/seed"): "ctl_seed",
        ("POST", "/__standin/fault"): "ctl_fault",
        ("POST", "/__standin/clear-faults"): "ctl_clear_faults",
        ("POST", "/__standin/expires-in"): "ctl_expires_in",
        ("POST", "/__standin/authorize"): "ctl_authorize",
    }

    @property
    def state(self):
        return self.server.state

    # ---- plumbing ----
    def log_message(self, *args):       # the default logs request lines: queries, tokens
        pass

    def log_request(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        """Malformed requests (bad request line, huge headers): HubSpot-style JSON."""
        self.close_connection = True
        self.write(code, {"status": "error", "message": message or "Bad request",
                          "correlationId": correlation_id()})

    def handle_expect_100(self):
        """Refuse an oversized body before the client sends it."""
        try:
            too_large = int(self.headers.get("Content-Length") or 0) > MAX_BODY
        except ValueError:
            too_large = False
        if too_large:
            self.send_error(413, "Request body too large")
            return False
        return super().handle_expect_100()

    def write(self, status, body, headers=None, api=False):
        data = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        self.send_raw(status, data, headers, api)

    def send_raw(self, status, data, headers=None, api=False, length=None):
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data) if length is None else length))
        merged = {"X-HubSpot-RateLimit-Secondly": "10",
                  "X-HubSpot-RateLimit-Secondly-Remaining": "9"} if api else {}
        merged.update(headers or {})
        for name, value in merged.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if data and self.command != "HEAD":
            self.wfile.write(data)
        self.status = status

    def read_body(self):
        """The request body (Content-Length or chunked); HubSpotError 400/413 when bad."""
        too_large = api_error(413, "Request body too large")
        try:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                chunks, size = [], 0
                while (n := int(self.rfile.readline(100).split(b";")[0].strip(), 16)) > 0:
                    size += n
                    if size > MAX_BODY:
                        raise too_large
                    chunks.append(self.rfile.read(n))
                    self.rfile.readline(10)
                while self.rfile.readline(1000).strip():
                    pass                                    # trailers
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise api_error(400, "Malformed request body framing")
        if length < 0 or length > MAX_BODY:
            raise too_large
        return self.rfile.read(length)

    def json_body(self):
        try:
            body = json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError) as e:
            raise api_error(400, f"Invalid input JSON: {e}", "VALIDATION_ERROR")
        if not isinstance(body, dict):
            raise api_error(400, "Invalid input JSON: expected an object", "VALIDATION_ERROR")
        return body

    def form(self):
        try:
            fields = parse_qs(self.body.decode(), keep_blank_values=True)
        except UnicodeDecodeError:
            fields = {}
        return {k: v[0] for k, v in fields.items()}

    def route(self, method, path):
        """(handler name, path for logs/counters, token from the path)."""
        for m, p, exact, name in self.ROUTES:
            if m != method:
                continue
            if exact and path == p:
                return name, path, None
            rest = path[len(p):]
            if not exact and path.startswith(p) and rest and "/" not in rest:
                return name, p + "{token}", unquote(rest)
        # not ours: show the path, but no segment long enough to be a secret
        shown = "/".join(s if len(s) <= 32 else "{redacted}" for s in path.split("/"))
        return None, shown, None

    def dispatch(self):
        self.status = 0
        url = urlsplit(self.path)
        path, self.query = url.path, parse_qs(url.query)
        try:
            self.body = self.read_body()
        except HubSpotError as e:
            self.close_connection = True                    # the framing is lost
            return self.write(e.status, e.body)
        if path.startswith("/__standin/"):
            return self.control(path)
        name, shown, token = self.route(self.command, path)
        self.state.count(shown, path, self)
        try:
            fault = self.state.take_fault(path)
            if fault and fault["kind"] != "hang":
                self.fault(fault)
            else:
                if fault:
                    time.sleep(fault.get("delay", 30))
                if name is None:
                    raise api_error(404, f"No route for {self.command} {shown}", "OBJECT_NOT_FOUND")
                status, body = getattr(self, name)(*([token] if token is not None else []))
                self.write(status, body, api=True)
        except HubSpotError as e:
            self.write(e.status, e.body, e.headers, api=True)
        finally:
            sys.stderr.write(f"{self.command} {shown} {self.status or 'reset'}\n")
            sys.stderr.flush()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = dispatch

    # ---- faults ----
    def fault(self, fault):
        kind, extra = fault["kind"], {}
        if fault.get("retry_after") is not None:
            extra["Retry-After"] = str(fault["retry_after"])
        if kind in ("500", "502", "503"):
            message = {"500": "Internal Server Error", "502": "Bad Gateway",
                       "503": "Service Unavailable"}[kind]
            err = api_error(int(kind), message, "INTERNAL_ERROR")
            err.headers = extra
            raise err
        if kind == "429":
            policy = fault.get("policy") or "TEN_SECONDLY_ROLLING"
            extra["X-HubSpot-RateLimit-Secondly-Remaining"] = "0"
            if policy == "DAILY":
                extra.update({"X-HubSpot-RateLimit-Daily": "250000",
                              "X-HubSpot-RateLimit-Daily-Remaining": "0"})
            raise HubSpotError(429, {"status": "error",
                                     "message": f"You have reached your {policy.lower()} limit.",
                                     "errorType": "RATE_LIMIT", "policyName": policy,
                                     "correlationId": correlation_id()}, extra)
        if kind == "expired":                               # as if the token died early
            raise api_error(401, "The OAuth token used to make this call expired 1 second(s) ago.",
                            "EXPIRED_AUTHENTICATION")
        if kind == "garbage":
            return self.send_raw(200, b"{not json", api=True)
        if kind == "chunked":                               # a 200 without a Content-Length
            body = json.dumps({"status": "ok", "message": "in chunks",
                               "correlationId": correlation_id()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (body[:len(body) // 2], body[len(body) // 2:]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            self.status = 200
            return None
        self.close_connection = True
        if kind == "truncated":
            data = b'{"status":"partial","correlationId":"' + correlation_id().encode()
            return self.send_raw(200, data, api=True, length=len(data) + 512)
        # reset: no answer at all, an RST instead of a FIN
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()

    # ---- HubSpot: static tokens ----
    def bearer(self):
        """(hub_id, hublet) of the request's bearer token: a private-app token
        or an unexpired access token; HubSpot's 401 otherwise."""
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
        with self.state.lock:
            app = self.state.private_apps.get(token)
        if app is not None:
            return app["hub_id"], app["hublet"]
        info = self.state.lookup_access(token) if token else None
        if info is None:
            raise api_error(401, AUTH_MESSAGE, "INVALID_AUTHENTICATION")
        ago = time.time() - info["expires_at"]
        if ago >= 0:
            raise api_error(401, f"The OAuth token used to make this call expired "
                                 f"{int(ago)} second(s) ago.", "EXPIRED_AUTHENTICATION")
        return info["hub_id"], info["hublet"]

    def account_info(self):
        hub_id, hublet = self.bearer()
        return 200, {"portalId": hub_id, "accountType": "STANDARD", "timeZone": "US/Eastern",
                     "companyCurrency": "USD", "uiDomain": ui_domain(hublet),
                     "dataHostingLocation": hublet}

    # ---- an ordinary API, for what hs-exec --proxy forwards ----
    def contacts_create(self):
        hub_id, _ = self.bearer()
        props = self.json_body().get("properties")
        if not isinstance(props, dict):
            raise api_error(400, "Invalid input JSON: properties is required", "VALIDATION_ERROR")
        with self.state.lock:
            contacts = self.state.contacts.setdefault(hub_id, [])
            contact = {"id": str(len(contacts) + 1), "properties": props, "archived": False,
                       "createdAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
            contacts.append(contact)
        return 201, contact

    def contacts_list(self):
        hub_id, _ = self.bearer()
        with self.state.lock:
            return 200, {"results": list(self.state.contacts.get(hub_id, []))}

    def private_app_info(self):
        token = self.json_body().get("tokenKey")
        with self.state.lock:
            app = self.state.private_apps.get(token) if isinstance(token, str) else None
        if app is None or app["service_key"]:
            raise api_error(401, AUTH_MESSAGE, "INVALID_AUTHENTICATION")
        return 200, {"userId": 1, "hubId": app["hub_id"], "appId": 9, "scopes": app["scopes"]}

    # ---- HubSpot: OAuth ----
    def oauth_error(self, status, message, error=None, v2026=True):
        body = {"status": status, "message": message, "correlationId": correlation_id()}
        if v2026 and error:
            body.update(error=error, error_description=message)
        return HubSpotError(400, body)

    def check_client(self, form, v2026):
        """The client_id after checking it and its secret."""
        cid, secret = form.get("client_id"), form.get("client_secret")
        if not cid:
            raise self.oauth_error("BAD_CLIENT_ID", "missing required parameter: client_id",
                                   "invalid_request", v2026)
        with self.state.lock:
            client = self.state.clients.get(cid)
        if client is None:
            raise self.oauth_error("BAD_CLIENT_ID", "missing or unknown client id",
                                   "invalid_client", v2026)
        if not secret:
            raise self.oauth_error("BAD_CLIENT_SECRET", "missing required parameter: client_secret",
                                   "invalid_request", v2026)
        if not secrets.compare_digest(secret.encode(), client["client_secret"].encode()):
            raise self.oauth_error("BAD_CLIENT_SECRET", "missing or invalid client secret",
                                   "invalid_client", v2026)
        return cid

    def token(self, v2026):
        form = self.form()
        grant_type = form.get("grant_type")
        if not grant_type:
            raise self.oauth_error("BAD_GRANT_TYPE", "missing required parameter: grant_type",
                                   "invalid_request", v2026)
        if grant_type not in ("refresh_token", "authorization_code"):
            raise self.oauth_error("BAD_GRANT_TYPE", f"unsupported grant_type: {grant_type}",
                                   "unsupported_grant_type", v2026)
        cid = self.check_client(form, v2026)
        if grant_type == "authorization_code":
            for field in ("redirect_uri", "code"):
                if not form.get(field):
                    raise self.oauth_error("BAD_AUTH_CODE", f"missing required parameter: {field}",
                                           "invalid_request", v2026)
            with self.state.lock:                           # single use, as HubSpot's
                issued = self.state.codes.pop(form["code"], None)
            if (issued is None or issued["client_id"] != cid
                    or issued["redirect_uri"] != form["redirect_uri"]):
                raise self.oauth_error("BAD_AUTH_CODE", "missing or unknown auth code",
                                       "invalid_grant", v2026)
            grant = issued["grant"]
            new = f"{grant['hublet']}-{uuid.uuid4()}"
            with self.state.lock:
                self.state.refresh_tokens[new] = grant
                self.state.note_issued(new)
                app_id = self.state.clients[cid]["app_id"]
            token, expires_in, _ = self.state.issue_access_token("oauth", grant, app_id=app_id)
            return 200, {"access_token": token, "refresh_token": new, "expires_in": expires_in,
                         "token_type": "bearer", "hub_id": grant["hub_id"],
                         "scopes": grant["scopes"]}
        old = form.get("refresh_token")
        if not old:
            raise self.oauth_error("BAD_REFRESH_TOKEN", "missing required parameter: refresh_token",
                                   "invalid_request", v2026)
        refused = self.state.take_fault(urlsplit(self.path).path, refresh=True)
        new, grant = (None, None) if refused else self.state.refresh(cid, old)
        if grant is None:
            raise self.oauth_error("BAD_REFRESH_TOKEN", "missing or invalid refresh token",
                                   "invalid_grant", v2026)
        with self.state.lock:
            app_id = self.state.clients[cid]["app_id"]
        token, expires_in, _ = self.state.issue_access_token("oauth", grant, app_id=app_id)
        return 200, {"access_token": token, "refresh_token": new, "expires_in": expires_in,
                     "token_type": "bearer", "hub_id": grant["hub_id"], "scopes": grant["scopes"]}

    def authorize(self):
        """app.hubspot.com/oauth/authorize: the user grants at once (or not)."""
        q = {k: v[0] for k, v in self.query.items()}
        for field in ("client_id", "redirect_uri", "scope"):
            if not q.get(field):
                raise api_error(400, f"missing required parameter: {field}", "VALIDATION_ERROR")
        with self.state.lock:
            known = q["client_id"] in self.state.clients
            how = dict(self.state.authorize)
        if not known:
            raise api_error(400, "unknown client_id", "VALIDATION_ERROR")
        back = {}
        if how.get("error"):
            back["error"] = how["error"]
            back["error_description"] = "The user denied access"
        else:
            code = "code-" + secrets.token_urlsafe(24)
            hub_id = how.get("hub_id", 42)
            grant = State._grant({"hub_id": hub_id, "hublet": how.get("hublet", "na1"),
                                  "scopes": q["scope"].split()}, client_id=q["client_id"])
            with self.state.lock:
                self.state.codes[code] = {"client_id": q["client_id"],
                                          "redirect_uri": q["redirect_uri"], "grant": grant}
                self.state.note_issued(code)
            back["code"] = code
        state = how.get("state") or q.get("state")
        if state:
            back["state"] = state
        sep = "&" if "?" in q["redirect_uri"] else "?"
        raise HubSpotError(302, None, {"Location": q["redirect_uri"] + sep + urlencode(back)})

    def token_2026(self):
        return self.token(True)

    def token_v1(self):
        return self.token(False)

    def token_arg(self, form):
        token = form.get("token")
        if not token:
            raise self.oauth_error("BAD_REQUEST", "missing required parameter: token",
                                   "invalid_request")
        return token, form.get("token_type_hint", "")

    def introspect(self):
        form = self.form()
        cid = self.check_client(form, True)
        token, _ = self.token_arg(form)     # the hint is not needed: the kinds never collide
        with self.state.lock:
            refresh = self.state.refresh_tokens.get(token)
            access = self.state.access_tokens.get(token)
        if refresh is not None and refresh["client_id"] == cid:
            return 200, {"active": True, "client_id": cid, "hub_id": refresh["hub_id"],
                         "scopes": refresh["scopes"], "token_type": "refresh_token"}
        if access is not None and access.get("client_id") == cid and time.time() < access["expires_at"]:
            return 200, {"active": True, "client_id": cid, "hub_id": access["hub_id"],
                         "scopes": access["scopes"], "token_type": "access_token",
                         "exp": int(access["expires_at"])}
        return 200, {"active": False}

    def revoke(self):
        form = self.form()
        cid = self.check_client(form, True)
        token, _ = self.token_arg(form)
        with self.state.lock:
            if self.state.refresh_tokens.get(token, {}).get("client_id") == cid:
                del self.state.refresh_tokens[token]
            if self.state.access_tokens.get(token, {}).get("client_id") == cid:
                del self.state.access_tokens[token]
        return 200, {}

    def access_token_info(self, token):
        info = self.state.lookup_access(token)
        left = info["expires_at"] - time.time() if info else 0
        if left <= 0:
            raise api_error(404, "The access token is expired or invalid")
        left = max(1, int(left))
        return 200, {"token": token, "hub_id": info["hub_id"], "user_id": info["user_id"],
                     "user": info["user"], "hub_domain": info["hub_domain"],
                     "scopes": info["scopes"], "app_id": info.get("app_id", 0),
                     "expires_in": left, "token_type": "access"}

    def refresh_grant(self, token):
        with self.state.lock:
            grant = self.state.refresh_tokens.get(token)
        if grant is None:
            raise api_error(404, "The refresh token is expired or invalid")
        return grant

    def refresh_token_info(self, token):
        grant = self.refresh_grant(token)
        return 200, {"token": token, "hub_id": grant["hub_id"], "user_id": grant["user_id"],
                     "user": grant["user"], "scopes": grant["scopes"],
                     "client_id": grant["client_id"], "token_type": "refresh"}

    def refresh_token_delete(self, token):
        self.refresh_grant(token)
        with self.state.lock:
            self.state.refresh_tokens.pop(token, None)
        return 204, None

    # ---- HubSpot: personal access keys ----
    def pak_exchange(self):
        key = self.json_body().get("encodedOAuthRefreshToken")
        if not isinstance(key, str) or not key:
            raise api_error(400, "encodedOAuthRefreshToken is required", "VALIDATION_ERROR")
        with self.state.lock:
            grant = self.state.paks.get(key)
        refused = self.state.take_fault(urlsplit(self.path).path, refresh=True)
        if grant is None or refused:
            raise api_error(401, PAK_MESSAGE, "INVALID_AUTHENTICATION")
        if "portalId" in self.query:
            portal = self.query["portalId"][0]
            if portal != str(grant["hub_id"]):
                raise api_error(400, f"The personal access key does not belong to portal {portal}",
                                "VALIDATION_ERROR")
        token, expires_in, info = self.state.issue_access_token("pak", grant)
        return 200, {"oauthAccessToken": token,
                     "expiresAtMillis": int(info["expires_at"] * 1000),
                     "hubId": grant["hub_id"], "userId": grant["user_id"],
                     "scopeGroups": grant["scopes"], "enabledFeatures": {},
                     "encodedOAuthRefreshToken": key, "hubName": grant["hub_name"],
                     "accountType": "DEVELOPER_TEST"}

    # ---- control ----
    def control(self, path):
        name = self.CONTROL.get((self.command, path))
        if name is None:
            return self.write(404, {"status": "error", "message": f"no control endpoint {path}"})
        try:
            body = json.loads(self.body or b"{}")
            result = getattr(self, name)(body)
        except (ValueError, TypeError, AttributeError) as e:
            return self.write(400, {"status": "error", "message": str(e)})
        self.write(200, result if result is not None else {"ok": True})

    def ctl_counters(self, _):
        return self.state.counters()

    def ctl_faults(self, _):
        with self.state.lock:
            return {"faults": [dict(f) for f in self.state.faults]}

    def ctl_reset_counters(self, _):
        with self.state.lock:
            self.state.reset_counters()

    def ctl_seed(self, body):
        self.state.merge_seed(body)

    def ctl_fault(self, body):
        kind = str(body.get("kind", ""))
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        count = int(body.get("count", 1))
        if count == 0 or count < -1:
            raise ValueError("count must be positive or -1")
        fault = {"kind": kind, "count": count, "path": str(body.get("path") or "")}
        for field, conv in (("retry_after", int), ("policy", str), ("delay", float)):
            if body.get(field) is not None:
                fault[field] = conv(body[field])
        self.state.add_fault(fault)

    def ctl_clear_faults(self, _):
        with self.state.lock:
            self.state.faults.clear()

    def ctl_authorize(self, body):
        how = {}
        for field, conv in (("hub_id", int), ("hublet", str), ("error", str), ("state", str)):
            if body.get(field) is not None:
                how[field] = conv(body[field])
        with self.state.lock:
            self.state.authorize = how

    def ctl_expires_in(self, body):
        seconds = int(body["seconds"]) if "seconds" in body else -1
        if seconds < 0:
            raise ValueError("seconds must be a number >= 0")
        with self.state.lock:
            self.state.expires_in = seconds


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def server_bind(self):
        """HTTPServer's own looks 127.0.0.1 up in DNS (socket.getfqdn): slow or hanging offline."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "localhost", self.server_address[1]

    def finish_request(self, request, client_address):
        """TLS handshake here, in the connection's thread, not in the accept loop."""
        request.settimeout(10)
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)   # no 40 ms Nagle stalls
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            tls.close()

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError)):
            sys.stderr.write(f"standin: error in a request: {exc!r}\n")


def make_certificate(state_dir):
    cert, key = os.path.join(state_dir, "cert.pem"), os.path.join(state_dir, "key.pem")
    proc = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", key, "-out", cert], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"standin: openssl failed: {proc.stderr.strip()}")
    os.chmod(key, 0o600)
    return cert, key


def write_atomically(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description="A local stand-in for HubSpot's API over TLS.")
    ap.add_argument("--state-dir", required=True)
    ap.add_argument("--seed")
    ap.add_argument("--expires-in", type=int, default=1800)
    ap.add_argument("--rotate-refresh-tokens", action="store_true")
    ap.add_argument("--max-lifetime", type=float, default=3600)
    args = ap.parse_args()
    if args.expires_in < 0:
        ap.error("--expires-in must be >= 0")

    os.makedirs(args.state_dir, exist_ok=True)
    state = State(args.expires_in, args.rotate_refresh_tokens,
                  os.path.join(args.state_dir, "issued-tokens"))
    if args.seed:
        try:
            with open(args.seed) as f:
                state.merge_seed(json.load(f))
        except (OSError, ValueError) as e:
            sys.exit(f"standin: --seed {args.seed}: {e}")

    cert, key = make_certificate(args.state_dir)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])

    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.state, httpd.ssl_context = state, ctx
    port = httpd.server_address[1]

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                     daemon=True).start()

    port_file, pid_file = (os.path.join(args.state_dir, n) for n in ("port", "pid"))
    write_atomically(pid_file, f"{os.getpid()}\n")
    write_atomically(port_file, f"{port}\n")
    print(f"ready https://127.0.0.1:{port}", flush=True)

    if not stop.wait(args.max_lifetime):
        sys.stderr.write("standin: --max-lifetime reached, stopping\n")
    httpd.shutdown()
    httpd.server_close()
    for path in (port_file, pid_file):
        try:
            os.remove(path)
        except OSError:
            pass


if __name__ == "__main__":
    main()
