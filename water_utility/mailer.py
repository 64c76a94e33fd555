# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Email that is sent when asked, and fails where it is sent.

trytond's ir.email sends at commit, after the work that queued it: a mail
server that cannot be reached then undoes that work (a run's print file)
with nothing said.  A Mailer joins the transaction first, so ir.email
queues its messages on it, and sends them on `flush`, raising what the
server answers."""
from trytond.sendmail import SMTPDataManager, get_smtp_server, send_message
from trytond.transaction import Transaction


class Mailer(SMTPDataManager):
    "trytond's strict SMTP data manager, flushed by hand"

    @classmethod
    def joined(cls):
        "The transaction's mailer, joined before ir.email joins its own"
        mailer = Transaction().join(cls(strict=True))
        if not isinstance(mailer, cls):
            raise RuntimeError("email was queued before the mailer joined")
        return mailer

    def flush(self):
        "Send the queued messages now; raise if the server refuses one"
        queue, self.queue = self.queue, []
        if not queue:
            return
        server = get_smtp_server(self.uri, strict=True)
        try:
            for from_addr, to_addrs, msg in queue:
                send_message(
                    msg, from_addr, to_addrs, server=server, strict=True)
        finally:
            server.close()

    def tpc_vote(self, trans):
        # Nothing left to send at commit: no connection to make
        if self.queue:
            super().tpc_vote(trans)
