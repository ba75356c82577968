"""Domain core: the rules of the work plan and of the payment regulation.

Pure Python, no ``import frappe``: reused by controllers, reports, the sync engine and the
``qingqian`` client, and tested fast in tests/unit.
"""
