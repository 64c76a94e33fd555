# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The customer desk (issue 16), on water_utility: phone messages and
memoranda to staff, told to their recipients through Tryton's user
notifications (res.notification), handled with a note, urgent ones
escalated to the desk's supervisor by a scheduled task (doc/desk.md)."""
