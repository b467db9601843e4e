#!/usr/bin/python3
"""mail-sink.py: a local SMTP server that writes each message it accepts as an .eml file.

usage: mail-sink.py --dir DIR [--host 127.0.0.1] [--port 0] [--port-file FILE]
                    [--tls-cert PEM --tls-key PEM] [--auth USER:PASSWORD]
                    [--refuse-domain DOMAIN] [--exit-with PID]

Run by Debian's python3 (/usr/bin/python3), where python3-aiosmtpd lives.
For the demo (build-aux/demo) and the tests: Sportello's e-mails to citizens
end up in DIR, one file per message, written whole (to a temporary name, then
renamed) only after the message is accepted. With --tls-cert and --tls-key the
server offers STARTTLS and requires it; with --auth it requires AUTH (PLAIN or
LOGIN) with that user name and password, over TLS. Recipients at
--refuse-domain are refused with 550, as an unknown mailbox is. With --port 0
it listens on a free port, written to --port-file once it accepts connections.
Stops cleanly on SIGTERM or SIGINT, and when process PID (--exit-with) is gone. Uses Debian's python3-aiosmtpd.
"""

import argparse
import asyncio
import itertools
import os
import signal
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult


class Sink:
    def __init__(self, directory, refuse_domain):
        self.directory = directory
        self.refuse_domain = refuse_domain.lower() if refuse_domain else None
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_domain and address.lower().endswith("@" + self.refuse_domain):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%06d.eml" % (time.time_ns(), next(self.counter))
        temporary = os.path.join(self.directory, "." + name + ".tmp")
        with open(temporary, "wb") as out:
            for recipient in envelope.rcpt_tos:
                out.write(b"X-Sink-Recipient: " + recipient.encode() + b"\r\n")
            out.write(envelope.original_content)
        os.rename(temporary, os.path.join(self.directory, name))
        return "250 2.0.0 Message accepted"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (getattr(auth_data, "login", None) == user.encode()
              and getattr(auth_data, "password", None) == password.encode())
        return AuthResult(success=ok)
    return check


async def watch_parent(pid, stop):
    while not stop.is_set():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            stop.set()
            return
        except PermissionError:
            pass
        await asyncio.sleep(1)


async def serve(args):
    os.makedirs(args.dir, exist_ok=True)
    handler = Sink(args.dir, args.refuse_domain)
    options = {"hostname": "sportello-mail-sink", "data_size_limit": 64 * 1024 * 1024,
               "decode_data": False}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, _, password = args.auth.partition(":")
        options.update(authenticator=authenticator(user, password), auth_required=True,
                       auth_require_tls=bool(args.tls_cert))

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), args.host, args.port,
                                      reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as out:
            out.write("%d\n" % port)
        os.rename(args.port_file + ".tmp", args.port_file)
    print("mail-sink: listening on %s:%d, writing to %s" % (args.host, port, args.dir), flush=True)

    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if args.exit_with:
        loop.create_task(watch_parent(args.exit_with, stop))
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth")
    parser.add_argument("--refuse-domain")
    parser.add_argument("--exit-with", type=int)
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
