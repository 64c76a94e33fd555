# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Purchasing, payables and the month's books of a district (issue 15), on
Tryton's purchase, purchase_request and purchase_requisition.

This first part is the district's purchasing policy: a requisition is
approved by the department's manager up to the department's limit, by
the General Manager up to the General Manager's limit, and above it only
on the Board's action (meeting date and minute order); nobody approves a
requisition they asked for or entered; each approval is kept, signed.
The rule that needs no database is a plain function
(`approval_rules.required_level`).

Supplier bills are three-way matched and approved for payment; the
payment run pays approved bills by check (printed, voided and reissued,
told to the bank by positive pay) or by ACH (a NACHA CCD file), on
Tryton's account_payment, account_payment_check and
account_payment_clearing (doc/finance.md)."""
