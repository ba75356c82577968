"""清欠 (qingqian): clearing the arrears owed to private enterprises, as a Frappe app.

This file must stay free of Frappe imports: the ``qingqian`` console script and the
unit tests import the package on machines without Frappe.
"""

__version__ = "0.1.0"
