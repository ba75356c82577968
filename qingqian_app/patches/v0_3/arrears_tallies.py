"""The summary's aggregates (Arrears Tally) from the items already on the site; from here on
every save keeps them (qingqian_app/oversight/tallies.py)."""

from qingqian_app.oversight import tallies


def execute():
	tallies.rebuild()
