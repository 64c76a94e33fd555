# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's purchasing policy as plain functions.

A requisition's total decides who approves it: the department's manager
up to the department's limit, the General Manager up to the General
Manager's limit, and above that the Board of Directors at a meeting.  A
higher authority may approve what a lower one could; the Board any
amount.  A limit is inclusive: a department limit of $5,000.00 lets its
manager approve a requisition of exactly $5,000.00."""
from decimal import Decimal

# The authorities, lowest first, and their names
LEVELS = ['department', 'general_manager', 'board']
LEVEL_NAMES = {
    'department': "Department Manager",
    'general_manager': "General Manager",
    'board': "Board of Directors",
    }


def required_level(total, department_limit, general_manager_limit):
    """The lowest authority that may approve a requisition of `total`:
    a limit of None is no authority at that level (an unset limit)"""
    total = Decimal(total)
    if department_limit is not None and total <= department_limit:
        return 'department'
    if general_manager_limit is not None and total <= general_manager_limit:
        return 'general_manager'
    return 'board'


def covers(level, required):
    "Whether an approver of `level` may approve what `required` asks"
    return LEVELS.index(level) >= LEVELS.index(required)
