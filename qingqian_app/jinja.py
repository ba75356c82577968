"""Jinja methods for the app's print formats (hooks.py ``jinja``)."""

from qingqian_app.domain.rmb import capitals


def qingqian_capitals(amount, prefix: bool = False) -> str:
	"""{{ qingqian_capitals(doc.outstanding_amount, True) }} → 人民币…元…角…分"""
	return capitals(amount, prefix)
