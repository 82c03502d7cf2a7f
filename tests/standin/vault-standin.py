#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vault-standin.py — a local stand-in for HashiCorp Vault over TLS.

What the vault store plugin uses, as Vault's documentation describes it:
  KV v2        GET/POST /v1/MOUNT/data/PATH (versions; options.cas, a
               mismatch answered 400 "check-and-set parameter did not
               match"), LIST and GET/DELETE /v1/MOUNT/metadata/PATH
  AppRole      POST /v1/auth/approle/login {role_id, secret_id}
  token        GET /v1/auth/token/lookup-self
A token it does not know gets 403 {"errors":["permission denied"]}; a
sealed server answers every /v1/ request 503 {"errors":["Vault is sealed"]}.

Control (/__standin/, no token): POST seal, POST unseal, POST gate (writes
wait), POST open (they go on), GET waiting ({"writes": N}), GET
namespace (the last request's X-Vault-Namespace), POST token
{"token": T} (one more valid token), POST approle {"role_id", "secret_id"}.

Python 3.11 standard library plus the openssl command for the certificate.
Secrets are in memory only; the state directory holds the port, the pid,
the certificate and its key.
"""
import argparse
import http.server
import json
import os
import secrets
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time

CAS_MISMATCH = "check-and-set parameter did not match the current version"


class State:
    def __init__(self, mount):
        self.lock = threading.Lock()
        self.mount = mount
        self.tokens = set()
        self.approles = {}      # role_id -> secret_id
        self.entries = {}       # path -> {"versions": [(data, time)], "deleted": bool}
        self.sealed = False
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = 0
        self.namespace = ""     # the last request's X-Vault-Namespace


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # a request line, never a header or body
        sys.stderr.write("vault-standin: %s\n" % (fmt % args))

    def reply(self, code, obj=None):
        body = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(code)
        if body:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def errors(self, code, *msgs):
        self.reply(code, {"errors": list(msgs)})

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return None

    def do_GET(self): self.route("GET")
    def do_POST(self): self.route("POST")
    def do_PUT(self): self.route("POST")
    def do_DELETE(self): self.route("DELETE")
    def do_LIST(self): self.route("LIST")

    def route(self, method):
        st = self.server.state
        path = self.path.split("?", 1)[0]
        if path.startswith("/__standin/"):
            return self.control(method, path[len("/__standin/"):])
        if not path.startswith("/v1/"):
            return self.errors(404)
        path = path[4:]
        if st.sealed:
            return self.errors(503, "Vault is sealed")
        with st.lock:
            st.namespace = self.headers.get("X-Vault-Namespace") or ""
        if method == "POST" and path == "auth/approle/login":
            req = self.body() or {}
            with st.lock:
                ok = st.approles.get(req.get("role_id")) == req.get("secret_id") \
                    and req.get("secret_id")
                if ok:
                    tok = "hvs.approle-" + secrets.token_hex(12)
                    st.tokens.add(tok)
            if not ok:
                return self.errors(400, "invalid role or secret ID")
            return self.reply(200, {"auth": {"client_token": tok, "policies": ["hubspot"],
                                             "lease_duration": 3600, "renewable": True}})
        token = self.headers.get("X-Vault-Token")
        with st.lock:
            known = token in st.tokens
        if not known:
            return self.errors(403, "permission denied")
        if method == "GET" and path == "auth/token/lookup-self":
            return self.reply(200, {"data": {"id": "(hidden)", "policies": ["hubspot"], "ttl": 0}})
        mount = st.mount + "/"
        if not path.startswith(mount):
            return self.errors(404, f"no handler for route \"{path}\"")
        rest = path[len(mount):]
        if rest.startswith("data/"):
            return self.kv_data(method, rest[5:])
        if rest.startswith("metadata/") or rest == "metadata":
            return self.kv_metadata(method, rest[9:])
        return self.errors(404)

    def kv_data(self, method, key):
        st = self.server.state
        if method == "GET":
            with st.lock:
                e = st.entries.get(key)
                if e is None or e["deleted"]:
                    return self.reply(404, {"errors": []})
                data, created = e["versions"][-1]
                n = len(e["versions"])
            return self.reply(200, {"data": {"data": data, "metadata": {
                "created_time": created, "custom_metadata": None, "deletion_time": "",
                "destroyed": False, "version": n}}})
        if method == "POST":
            req = self.body()
            if not isinstance(req, dict) or not isinstance(req.get("data"), dict):
                return self.errors(400, "no data provided")
            with st.lock:
                st.waiting += 1
            st.gate.wait()
            with st.lock:
                st.waiting -= 1
                e = st.entries.setdefault(key, {"versions": [], "deleted": False})
                cas = (req.get("options") or {}).get("cas")
                if cas is not None and int(cas) != len(e["versions"]):
                    if not e["versions"]:
                        del st.entries[key]
                    return self.errors(400, CAS_MISMATCH)
                created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                e["versions"].append((req["data"], created))
                e["deleted"] = False
                n = len(e["versions"])
            return self.reply(200, {"data": {"created_time": created, "deletion_time": "",
                                             "destroyed": False, "version": n}})
        return self.errors(405)

    def kv_metadata(self, method, key):
        st = self.server.state
        key = key.rstrip("/")
        if method == "LIST" or (method == "GET" and "list=true" in self.path):
            prefix = key + "/" if key else ""
            with st.lock:
                names = sorted({k[len(prefix):].split("/", 1)[0] + ("/" if "/" in k[len(prefix):] else "")
                                for k, e in st.entries.items() if k.startswith(prefix)})
            if not names:
                return self.reply(404, {"errors": []})
            return self.reply(200, {"data": {"keys": names}})
        if method == "GET":
            with st.lock:
                e = st.entries.get(key)
                if e is None:
                    return self.reply(404, {"errors": []})
                n = len(e["versions"])
            return self.reply(200, {"data": {"current_version": n, "oldest_version": 1,
                                             "custom_metadata": None, "versions": {}}})
        if method == "DELETE":
            with st.lock:
                st.entries.pop(key, None)
            return self.reply(204)
        return self.errors(405)

    def control(self, method, what):
        st = self.server.state
        req = self.body() if method == "POST" else {}
        with st.lock:
            if what == "seal":
                st.sealed = True
            elif what == "unseal":
                st.sealed = False
            elif what == "gate":
                st.gate.clear()
            elif what == "open":
                st.gate.set()
            elif what == "waiting":
                return self.reply(200, {"writes": st.waiting})
            elif what == "namespace":
                return self.reply(200, {"namespace": st.namespace})
            elif what == "token" and isinstance(req, dict) and req.get("token"):
                st.tokens.add(req["token"])
            elif what == "approle" and isinstance(req, dict) and req.get("role_id"):
                st.approles[req["role_id"]] = req.get("secret_id")
            else:
                return self.errors(404, "no such control")
        return self.reply(200, {"ok": True})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "localhost", self.server_address[1]

    def finish_request(self, request, client_address):
        request.settimeout(30)
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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
            sys.stderr.write(f"vault-standin: error in a request: {exc!r}\n")


def main():
    ap = argparse.ArgumentParser(description="A local stand-in for Vault's KV v2 over TLS.")
    ap.add_argument("--state-dir", required=True)
    ap.add_argument("--mount", default="secret")
    ap.add_argument("--token-file", help="a file holding the first valid token (read, then removed)")
    ap.add_argument("--max-lifetime", type=float, default=900)
    args = ap.parse_args()

    os.makedirs(args.state_dir, exist_ok=True)
    state = State(args.mount)
    if args.token_file:
        with open(args.token_file) as f:
            state.tokens.add(f.read().strip())
        os.remove(args.token_file)

    cert, key = (os.path.join(args.state_dir, n) for n in ("cert.pem", "key.pem"))
    proc = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", key, "-out", cert], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"vault-standin: openssl failed: {proc.stderr.strip()}")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)

    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.state, httpd.ssl_context = state, ctx
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                     daemon=True).start()
    port_file = os.path.join(args.state_dir, "port")
    with open(port_file + ".tmp", "w") as f:
        f.write(f"{httpd.server_address[1]}\n")
    os.replace(port_file + ".tmp", port_file)
    stop.wait(args.max_lifetime)
    state.gate.set()
    httpd.shutdown()
    httpd.server_close()


if __name__ == "__main__":
    main()
