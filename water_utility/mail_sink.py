# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo's mail server: accepts every message on a local port and keeps
it in a Maildir (one file a message, readable by any mail client), so
that delivering a run emails its paperless bills without a real server.

    python -m water_utility.mail_sink --port 8025 --maildir .demo/mail"""
import argparse
import mailbox
import threading

from aiosmtpd.controller import Controller


class MaildirSink:
    "An aiosmtpd handler keeping each message in a Maildir"

    def __init__(self, path):
        self.maildir = mailbox.Maildir(path, create=True)

    async def handle_DATA(self, server, session, envelope):
        self.maildir.add(mailbox.MaildirMessage(envelope.content))
        return '250 OK'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--maildir', required=True)
    args = parser.parse_args(argv)
    controller = Controller(
        MaildirSink(args.maildir), hostname=args.host, port=args.port)
    controller.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == '__main__':
    main()
