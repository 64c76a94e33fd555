# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Collections under California law (issue 14), being built: penalties,
the notice ladder, payment arrangements and the shut-off guard, on
Tryton's account_dunning.

So far the plain rules, which need no database: `shutoff_rules`, the day
a residential service may first be shut off for nonpayment and why not
before.  The Tryton module (models, views, notices) comes next."""
