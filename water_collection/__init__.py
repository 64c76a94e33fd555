# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Collections under California law (issue 14), on Tryton's dunning:
penalties, the notice ladder, payment arrangements and the shut-off guard.

The rules that need no database are plain functions: `shutoff_rules`
(the day a residential service may first be shut off for nonpayment, and
why not before) and `penalty_rules` (late charges, reconnection fees).
The models hand them what is on file for an account: the district's
holidays, the protections the household filed, the dunning levels'
notices; a disconnect order for nonpayment is refused while any rule
holds, with the section and the day it opens."""
