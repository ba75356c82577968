# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

class ArrearsRepayment(Document):
	pass
