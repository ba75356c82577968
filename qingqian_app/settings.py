"""Qingqian Settings read into the domain core's plain values."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from decimal import Decimal

import frappe
from frappe.utils import cint, flt


def limits(cls, fields: dict[str, str]):
	"""An instance of the domain's Limits dataclass ``cls`` whose attributes come from the
	Settings fields named in ``fields`` (attribute → fieldname), typed as the dataclass
	declares them; empty ones keep the default."""
	s = frappe.get_cached_doc("Qingqian Settings")
	default = cls()
	types = {f.name: type(getattr(default, f.name)) for f in dataclass_fields(cls)}
	out = {}
	for attr, field in fields.items():
		raw = s.get(field)
		if types[attr] is Decimal:
			out[attr] = Decimal(str(flt(raw))) if flt(raw) else getattr(default, attr)
		else:
			out[attr] = cint(raw) or getattr(default, attr)
	return cls(**out)


def lpr_table() -> list[tuple]:
	"""The 1-year LPR as Qingqian Settings keeps it: (date of publication, percent)."""
	from frappe.utils import getdate

	s = frappe.get_cached_doc("Qingqian Settings")
	return [(getdate(r.effective_date), Decimal(str(flt(r.one_year_rate)))) for r in s.get("lpr_rates") or []]
