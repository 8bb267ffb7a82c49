# SPDX-License-Identifier: LGPL-2.1-or-later
# A CRL distribution point that misbehaves on request, for tests/shell/crl.sh:
#   python3 crl-server.py PORT DIR
# Every GET answers after DIR/mode: "good" serves DIR/body (with an ETag;
# 304 when If-None-Match names it),
# "404", "hang" (reads the request, never answers), "truncated" (a
# Content-Length the body never reaches), "loop" (302 to itself).
import hashlib
import http.server
import os
import socketserver
import sys
import time

port, folder = int(sys.argv[1]), sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        mode = open(os.path.join(folder, "mode")).read().strip()
        if mode == "404":
            self.send_error(404)
        elif mode == "hang":
            time.sleep(30)
        elif mode == "loop":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body = open(os.path.join(folder, "body"), "rb").read()
            etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
            if mode == "good" and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(body) + (1000 if mode == "truncated" else 0)))
            self.end_headers()
            self.wfile.write(body)
            if mode == "truncated":
                self.wfile.flush()
                self.connection.shutdown(2)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


Server(("127.0.0.1", port), Handler).serve_forever()
