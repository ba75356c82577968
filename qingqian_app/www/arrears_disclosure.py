"""/arrears-disclosure: the latest disclosure the clearing office approved (工作方案二（四）,
条例第十八条), for anyone, no login. Only the snapshot's public columns reach it
(qingqian_app/accountability/disclosure.py); the page is cached until the next approval."""

from qingqian_app.accountability.disclosure import page_context

no_cache = 0
sitemap = 1


def get_context(context):
	return page_context(context)
