# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""An SMTP server on a free local port that keeps what it receives, for
scenarios that send email through trytond's own mailer."""
import email
import socket

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos,
                email.message_from_bytes(envelope.content)))
        return '250 OK'


def start_sink():
    """Start the sink and point trytond's [email] uri at it; return the
    sink and the controller (stop it when done)"""
    from trytond import config
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname='127.0.0.1', port=port)
    controller.start()
    config.set('email', 'uri', f'smtp://127.0.0.1:{port}')
    config.set('email', 'from', 'billing@cedarcreekwater.example')
    return sink, controller
