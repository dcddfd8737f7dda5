"""Real mail servers on loopback for the end-to-end tests: Debian's Dovecot (IMAP, STARTTLS)
holding the executive's mailbox, and the aiosmtpd sink the Rust tests use (SMTP, STARTTLS,
AUTH). Each gets a certificate made here that the app is told to trust (never verification
turned off). Mirrors src-tauri/crates/sync/tests/servers/dovecot.rs.

Usage: mail_servers.py DIR — prints one JSON line (ports, certificates, users, where the
delivered and sent mail is) when both listen, delivers DIR/deliver/*.eml into the INBOX, and
stops both on SIGTERM.
"""

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SINK = os.path.join(HERE, "../../src-tauri/crates/sync/tests/servers/smtp_sink.py")
USER, PASSWORD = "dana", "correct horse battery staple"
SMTP_USER, SMTP_PASSWORD = "ep@northwind.example", "tandem outbox test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cert(d, name):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", f"{d}/{name}-key.pem",
                    "-out", f"{d}/{name}.pem"], check=True, capture_output=True)
    return f"{d}/{name}.pem"


def wait(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def main():
    d = os.path.abspath(sys.argv[1])
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    root = os.getuid() == 0
    uid, gid = (pwd.getpwnam("vmail").pw_uid, pwd.getpwnam("vmail").pw_gid) if root else (os.getuid(), os.getgid())
    home = f"{d}/home"
    maildir = f"{home}/Maildir"
    for sub in ("cur", "new", "tmp"):
        os.makedirs(f"{maildir}/{sub}", exist_ok=True)
    for i, name in enumerate(sorted(os.listdir(f"{d}/deliver")) if os.path.isdir(f"{d}/deliver") else []):
        shutil.copy(f"{d}/deliver/{name}", f"{maildir}/new/{int(time.time())}.{i}.tandem-e2e")
    for dirpath, _, files in os.walk(home):
        os.chown(dirpath, uid, gid)
        for f in files:
            os.chown(os.path.join(dirpath, f), uid, gid)
    imap_cert = cert(d, "imap")
    with open(f"{d}/passwd", "w") as f:
        f.write(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{home}\n")
    imap_port = free_port()
    me = pwd.getpwuid(os.getuid()).pw_name
    users = "" if root else f"default_login_user = {me}\ndefault_internal_user = {me}\n"
    with open(f"{d}/dovecot.conf", "w") as f:
        f.write(f"""protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
ssl = yes
ssl_cert = <{imap_cert}
ssl_key = <{d}/imap-key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = {d}/passwd
}}
mail_location = maildir:~/Maildir
first_valid_uid = {uid}
{users}service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""")
    # Dovecot daemonises; it must inherit no pipe of ours.
    subprocess.run(["/usr/sbin/dovecot", "-c", f"{d}/dovecot.conf"], check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    smtp_cert = cert(d, "smtp")
    smtp_port = free_port()
    os.makedirs(f"{d}/sent", exist_ok=True)
    python = os.environ.get("TANDEM_PYTHON") or sys.executable
    sink = subprocess.Popen([python, SINK, "--port", str(smtp_port), "--cert", smtp_cert, "--key", f"{d}/smtp-key.pem",
                             "--out", f"{d}/sent", "--user", SMTP_USER, "--password", SMTP_PASSWORD],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)

    def stop(*_):
        sink.terminate()
        subprocess.run(["/usr/sbin/dovecot", "-c", f"{d}/dovecot.conf", "stop"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    wait(imap_port)
    wait(smtp_port)
    print(json.dumps({
        "imap": {"port": imap_port, "cert": imap_cert, "user": USER, "password": PASSWORD},
        "smtp": {"port": smtp_port, "cert": smtp_cert, "user": SMTP_USER, "password": SMTP_PASSWORD},
        "sent": f"{d}/sent",
    }), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
