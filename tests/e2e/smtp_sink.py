#!/usr/bin/env python3
"""A real SMTP server on loopback for the end-to-end tests (Debian's python3-aiosmtpd).

    smtp_sink.py DIR [--user NAME --password SECRET]

Listens on 127.0.0.1 on a free port and prints "listening on PORT". Every message accepted is
written to DIR as N.eml (the DATA exactly as received) beside N.json (the envelope: sender,
recipients, whether the client authenticated), the .json last, so a reader that sees it sees both.
With --user, clients must authenticate (PLAIN or LOGIN; allowed without TLS, on loopback only).
"""
import argparse
import asyncio
import itertools
import json
import os
import signal

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        base = os.path.join(self.folder, str(n))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "authenticated": bool(session.authenticated),
        }
        with open(base + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 OK"


def authenticator_for(user, password):
    def check(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login.decode() == user and \
            data.password.decode() == password
        return AuthResult(success=ok)
    return check


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    handler = Sink(args.folder)
    options = {}
    if args.user:
        options = dict(auth_required=True, auth_require_tls=False,
                       authenticator=authenticator_for(args.user, args.password))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="sink.test", **options),
                                      "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on {port}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
