"""Qingqian Settings read into the domain core's plain values."""

from __future__ import annotations

import frappe
from frappe.utils import cint


def limits(cls, fields: dict[str, str]):
	"""An instance of the domain's Limits dataclass ``cls`` whose attributes come from the
	Settings fields named in ``fields`` (attribute → fieldname); empty ones keep the default."""
	s = frappe.get_cached_doc("Qingqian Settings")
	default = cls()
	return cls(**{attr: cint(s.get(field)) or getattr(default, attr) for attr, field in fields.items()})
