"""Charts and lists as staff read them: counts step by whole numbers on a chart's axis (issue:
"0.5" steps for a chart of two items), amounts keep their fractions; the ledger's list shows its
key columns whole at 1366 px (issue: key list columns cut)."""

from .conftest import URL, settle

AXIS_JS = """async ([values, then]) => {
	const div = document.createElement('div');
	document.body.appendChild(div);
	const chart = new frappe.Chart(div, {type: 'bar', data: {labels: ['甲', '乙'], datasets: [{values}]}});
	await new Promise((r) => setTimeout(r, 1200));
	const first = chart.state.yAxis.labels;
	chart.update({labels: ['甲', '乙'], datasets: [{values: then}]});
	await new Promise((r) => setTimeout(r, 1200));
	div.remove();
	return [first, chart.state.yAxis.labels];
}"""


def test_counts_step_by_whole_numbers_and_amounts_keep_fractions(login):
	page = login("office.staff")
	first, updated = page.evaluate(AXIS_JS, [[1, 2], [0, 1]])
	assert first == [0, 1, 2, 3, 4] and updated == [0, 1, 2, 3, 4]
	first, updated = page.evaluate(AXIS_JS, [[3, 7], [1, 2]])
	assert first == [0, 2, 4, 6, 8] and updated == [0, 1, 2, 3, 4]  # a filter changed: still whole
	first, updated = page.evaluate(AXIS_JS, [[0.5, 1.5], [0.25, 0.5]])
	assert first == [0, 0.5, 1, 1.5, 2] and updated[1] < 1  # 万元 amounts keep their fractions


def test_the_ledger_list_shows_its_key_columns_whole_at_1366(login):
	page = login("office.staff")
	page.set_viewport_size({"width": 1366, "height": 768})
	page.goto(f"{URL}/app/arrears-item")
	page.locator(".list-row-container .list-row").first.wait_for()
	settle(page, 600)
	heads = page.evaluate(
		"() => [...document.querySelectorAll('.list-row-head .list-row-col')]"
		".filter((c) => c.offsetParent).map((c) => c.innerText.trim())"
	)
	for title in ("民营企业", "状态", "欠款单位", "未清偿金额（元）", "清偿期限", "ID"):
		assert title in heads, heads
	cut = page.evaluate(
		"""() => {
			const titles = [...document.querySelectorAll('.list-row-head .list-row-col')]
				.filter((c) => c.offsetParent).map((c) => c.innerText.trim());
			return [...document.querySelectorAll('.list-row-container .list-row')].slice(0, 10).flatMap((row) =>
				[...row.querySelectorAll('.list-row-col')].filter((c) => c.offsetParent).flatMap((col, i) =>
					[col, ...col.querySelectorAll('.ellipsis, a, span')]
						.some((el) => el.scrollWidth > el.clientWidth + 1) ? [titles[i] + '：' + col.innerText.trim()] : []));
		}"""
	)
	# the enterprise and the record number whole (with Frappe's own widths both were cut); a unit's
	# long name may end in "…" there, its whole name in the cell's tooltip
	cut = [c for c in cut if c.startswith(("民营企业：", "ID："))]
	assert not cut, cut
	offsets = page.evaluate(
		"""() => ['.list-row-head', '.list-row-container .list-row'].map((sel) =>
			[...document.querySelector(sel).querySelectorAll('.list-row-col')]
				.filter((c) => c.offsetParent).map((c) => Math.round(c.getBoundingClientRect().left)))"""
	)
	assert offsets[0] == offsets[1], offsets  # each title over its column


def test_the_monthly_chart_names_every_month_at_1366(login):
	"""frappe-charts blanks every other label of a series axis that runs out of room: at half the
	workspace's width "10月" was left out. The monthly chart takes the whole width."""
	page = login("office.staff")
	page.set_viewport_size({"width": 1366, "height": 768})
	page.goto(f"{URL}/app/qingqian")
	chart = page.locator(".widget.dashboard-widget-box", has_text="每月清偿金额")
	chart.locator("svg .x.axis text").first.wait_for(timeout=30000)
	settle(page, 800)
	labels = chart.locator("svg .x.axis text").all_text_contents()
	assert len(labels) == 12 and all(label.strip().endswith("月") for label in labels), labels
