"""A real SMTP submission server (aiosmtpd) on loopback for Tandem's tests.

STARTTLS (or implicit TLS with --implicit) with the test's own certificate, AUTH PLAIN/LOGIN
required before MAIL, and each accepted message written to OUT/<n>.eml with the envelope in
OUT/<n>.json. Some recipients answer the way real servers do, so the outbox's retries and
failures can be tested: any address at busy.example is refused for now (451), any at
nowhere.example for good (550). Prints "ready <port>" when listening; stops on SIGTERM.
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out):
        self.out = out
        self.n = len([f for f in os.listdir(out) if f.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rsplit("@", 1)[-1].lower()
        if domain == "busy.example":
            return "451 4.3.0 mailbox busy, try again later"
        if domain == "nowhere.example":
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.out, f"{self.n:04}")
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "user": session.authenticated and session.auth_data.login.decode()}, f)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        return "250 2.0.0 queued"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
            and auth_data.password.decode() == password
        # handled=False: aiosmtpd answers 535 itself (handled=True would leave the client waiting).
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--implicit", action="store_true")
    a = p.parse_args()
    # A test server: its own chatter (deprecations, the implicit-TLS AUTH notice) is noise.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(a.cert, a.key)
    handler = Sink(a.out)
    auth = authenticator(a.user, a.password)
    if a.implicit:
        # TLS from the first byte: aiosmtpd cannot tell, so AUTH is not "required to be after TLS".
        controller = Controller(handler, hostname="127.0.0.1", port=a.port, ssl_context=context,
                                authenticator=auth, auth_require_tls=False, auth_required=True)
    else:
        controller = Controller(handler, hostname="127.0.0.1", port=a.port, tls_context=context,
                                require_starttls=True, authenticator=auth, auth_required=True)
    controller.start()
    print(f"ready {a.port}", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
