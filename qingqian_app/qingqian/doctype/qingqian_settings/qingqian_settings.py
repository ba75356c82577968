# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

class QingqianSettings(Document):
	pass
