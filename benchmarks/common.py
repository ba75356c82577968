"""What the benchmark scripts share: the site to open and how a timing is taken."""

import argparse
import os
import statistics
import sys
import time

import frappe

# the ledger list view's columns, as the desk asks for them
LIST_FIELDS = [
	"name",
	"debtor_unit",
	"enterprise",
	"arrears_amount",
	"outstanding_amount",
	"workflow_state",
	"modified",
]


def open_site(**int_options) -> argparse.Namespace:
	"""Parse --site (and the given integer options with their defaults), then connect to the
	site from the bench's sites folder."""
	ap = argparse.ArgumentParser()
	ap.add_argument("--site", required=True)
	for name, default in int_options.items():
		ap.add_argument(f"--{name}", type=int, default=default)
	args = ap.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	return args


def timed(fn, repeat=7):
	"""Median and worst of ``repeat`` runs in milliseconds, and the last result. Each run
	starts like a new request (:func:`new_request`)."""
	times = []
	for _ in range(repeat):
		new_request()
		start = time.perf_counter()
		result = fn()
		times.append((time.perf_counter() - start) * 1000)
	return statistics.median(times), max(times), result


def new_request() -> None:
	"""Forget what an earlier request kept in ``frappe.local``, as a new request starts: the app's
	per-request answers (``qingqian_*``: unit scopes, tables looked up) and Frappe's request cache."""
	for name, _value in list(frappe.local):
		if name.startswith("qingqian_"):
			delattr(frappe.local, name)
	frappe.local.cache = {}


def refuse_real_site(site: str) -> None:
	"""A benchmark that makes records runs on a test site (``qingqian_test_site`` in its config,
	as scripts/test.sh makes it) unless QINGQIAN_ALLOW_REAL_SITE=1."""
	if not frappe.conf.get("qingqian_test_site") and os.environ.get("QINGQIAN_ALLOW_REAL_SITE") != "1":
		sys.exit(
			f"{site} 不是测试站点（qingqian_test_site）；确需在此站点运行请设 QINGQIAN_ALLOW_REAL_SITE=1"
		)
