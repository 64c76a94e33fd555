# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from water_utility.models.report import DistrictReport


class PenaltyRegister(DistrictReport):
    """A penalty run's register as reviewed before posting: every account
    charged with each part of its penalty, every account skipped and why"""
    __name__ = 'water.collection.penalty.run.register'
