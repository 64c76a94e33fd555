# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The CSV a Board packet report's wizard gives to download (the trial
balance, budget against actual): one result form for all of them."""
from trytond.model import ModelView, fields


class PacketCsv(ModelView):
    "Board Packet CSV"
    __name__ = 'water.packet.csv'

    file = fields.Binary("CSV", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)
