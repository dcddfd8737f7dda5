"""A reverse proxy on loopback that passes requests to a real CalDAV server, or fails them the
ways networks and servers fail, as the file named by --mode says at the moment of the request:

  (empty)             pass everything through
  500 METHOD [N]      answer 500 to METHOD requests after the first N of them pass
  cut METHOD [N]      send the answer's headers and part of its body, then close the connection
  slow METHOD [N]     wait 30 s before answering (beyond the client's timeout)

It prints "ready" on stdout once it listens. Used by src-tauri/crates/sync/tests/caldav.rs.
"""

import argparse
import http.client
import http.server
import socketserver
import sys
import time
import urllib.parse

seen = {}


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        try:
            words = open(self.server.mode_file).read().split()
        except OSError:
            words = []
        fault = None
        if len(words) >= 2 and words[1] == self.command:
            seen[self.command] = seen.get(self.command, 0) + 1
            if seen[self.command] > (int(words[2]) if len(words) > 2 else 0):
                fault = words[0]
        if fault == "500":
            payload = b"Internal Server Error"
            self.send_response(500)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if fault == "slow":
            time.sleep(30)
        up = urllib.parse.urlsplit(self.server.upstream)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        conn.request(self.command, self.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if fault == "cut":
            self.wfile.write(data[: len(data) // 3])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(data)


for method in ("GET", "PUT", "DELETE", "PROPFIND", "REPORT", "MKCALENDAR", "OPTIONS", "HEAD", "POST"):
    setattr(Proxy, f"do_{method}", Proxy.handle_any)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--mode", required=True)
    a = ap.parse_args()
    server = Server(("127.0.0.1", a.port), Proxy)
    server.upstream, server.mode_file = a.upstream, a.mode
    print("ready", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
