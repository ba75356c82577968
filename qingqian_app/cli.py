"""``qingqian``: operate a qingqian site from any machine, by URL and API token.

No Frappe import: this runs on an operator's laptop or a province's server.

    qingqian validate [--root DIR]
    qingqian sync --url URL --token KEY:SECRET [--dry-run] [--demo] [--verbose]
    qingqian import FILE --url URL --token KEY:SECRET [--dry-run]
"""

from __future__ import annotations

import argparse
import os
import sys

from qingqian_app.sync import checks, definitions
from qingqian_app.sync.planner import apply_plan, build_plan


def cmd_validate(args) -> int:
	defs = checks.load_checked(args.root, include_demo=True)
	print(
		f"定义有效：{len(defs.records)} 条记录（含演示数据），{len(defs.workflows)} 个流程，{len(defs.print_formats)} 个打印格式"
	)
	return 0


def cmd_sync(args) -> int:
	from qingqian_app.sync.rest import RestTransport

	token = args.token or os.environ.get("QINGQIAN_TOKEN")
	if not token or ":" not in token:
		print("错误：--token 应为 API Key:API Secret（或设置环境变量 QINGQIAN_TOKEN）", file=sys.stderr)
		return 2
	defs = checks.load_checked(args.root, include_demo=args.demo)
	transport = RestTransport(args.url, token)
	plan = build_plan(defs.records, transport, defs.adoptable)
	if not args.dry_run:
		apply_plan(plan, transport)
	print(("同步计划（预演，未写入）：" if args.dry_run else "同步完成：") + f" {args.url}")
	print(plan.report(args.verbose))
	return 0


METHOD = "qingqian_app.qingqian.doctype.ledger_import.ledger_import.start"


def cmd_import(args) -> int:
	"""Upload a 台账 sheet, 预检 it, then (without --dry-run) import it; print the counts and
	save the refused rows beside the file."""
	import time
	from pathlib import Path

	import requests

	token = args.token or os.environ.get("QINGQIAN_TOKEN")
	if not token or ":" not in token:
		print("错误：--token 应为 API Key:API Secret（或设置环境变量 QINGQIAN_TOKEN）", file=sys.stderr)
		return 2
	url, path = args.url.rstrip("/"), Path(args.file)
	s = requests.Session()
	s.headers["Authorization"] = f"token {token}"

	def ok(r):
		if r.status_code != 200:
			raise OSError(f"HTTP {r.status_code}：{r.text[:300]}")
		return r.json()

	with path.open("rb") as f:
		file_url = ok(s.post(f"{url}/api/method/upload_file", files={"file": (path.name, f)},
			data={"is_private": 1}, timeout=600))["message"]["file_url"]  # fmt: skip
	name = ok(s.post(f"{url}/api/resource/Ledger Import", json={"import_file": file_url}, timeout=60))[
		"data"
	]["name"]

	def run(dry_run: int) -> dict:
		ok(s.post(f"{url}/api/method/{METHOD}", data={"name": name, "dry_run": dry_run}, timeout=60))
		while True:
			doc = ok(s.get(f"{url}/api/resource/Ledger Import/{name}", timeout=60))["data"]
			if doc["status"] not in ("预检中", "导入中"):
				return doc
			print(f"  {'预检' if dry_run else '导入'} {doc.get('progress') or 0:.0f}%", file=sys.stderr)
			time.sleep(2)

	doc = run(1)
	if not args.dry_run and doc["status"] == "已预检":
		doc = run(0)
	print(f"{name}：{doc['status']}，{doc['total_rows']} 行：新建 {doc['to_create']}，更新 {doc['to_update']}，"
		f"无变化 {doc['unchanged']}，有误 {doc['refused']}（{doc['seconds']} 秒）")  # fmt: skip
	if doc.get("message"):
		print(doc["message"])
	if doc.get("error_file"):
		out = path.with_name(path.stem + "-错误行.xlsx")
		out.write_bytes(s.get(f"{url}{doc['error_file']}", timeout=600).content)
		print(f"有误的行及错误说明：{out}")
	return 0 if doc["status"] in ("已预检", "已完成") else 1


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(prog="qingqian", description="清欠：定义同步与站点操作")
	parser.add_argument("--root", default=None, help="定义文件所在的仓库目录（默认：本应用所在仓库）")
	sub = parser.add_subparsers(dest="command", required=True)

	p = sub.add_parser("validate", help="校验 workflows/、print_formats/、fixtures/ 下的定义")
	p.set_defaults(func=cmd_validate)

	p = sub.add_parser("sync", help="把定义同步到站点（REST API）")
	p.add_argument("--url", required=True, help="站点地址，如 http://localhost:8000")
	p.add_argument("--token", help="API Key:API Secret（也可用环境变量 QINGQIAN_TOKEN）")
	p.add_argument("--dry-run", action="store_true", help="只打印计划，不写入")
	p.add_argument("--demo", action="store_true", help="同时同步演示数据")
	p.add_argument("--verbose", action="store_true", help="也列出无变化的记录")
	p.set_defaults(func=cmd_sync)

	p = sub.add_parser("import", help="导入台账表格（xlsx、xls、CSV）：先预检，再导入")
	p.add_argument("file", help="台账文件")
	p.add_argument("--url", required=True, help="站点地址")
	p.add_argument("--token", help="API Key:API Secret（也可用环境变量 QINGQIAN_TOKEN）")
	p.add_argument("--dry-run", action="store_true", help="只预检，不导入")
	p.set_defaults(func=cmd_import)

	args = parser.parse_args(argv)
	try:
		return args.func(args)
	except definitions.DefinitionError as e:
		print(str(e), file=sys.stderr)
		return 1
	except Exception as e:  # network and site errors: one clear line, not a traceback
		from qingqian_app.sync.rest import SiteError

		if isinstance(e, SiteError | OSError) or type(e).__module__.startswith("requests"):
			print(f"错误：{e}", file=sys.stderr)
			return 1
		raise


if __name__ == "__main__":
	sys.exit(main())
