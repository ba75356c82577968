// Realtime through nginx (README “生产运行”): a desk user in a real browser (Debian's chromium,
// headless) receives what the server pushes over socket.io — another user's save of the record
// they have open ("document changed": the form reloads, or warns when it has unsaved edits) and a
// progress bar of a server job. Run on the server after `sudo ./scripts/setup.sh`:
//
//   NODE_PATH=<dir with playwright-core> node scripts/realtime-check.mjs
//
// Environment: URL (https://localhost), PASSWORD (the site's demo password), ITEM (a ledger item
// of 区机关事务服务中心 in 待报送 or 待审核), PUBLISH (a shell command that makes the server push a
// progress event to office.staff, e.g. through `bench execute`), SHOT (a screenshot path).
// Exits non-zero, saying which, when a check fails.
import { execSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const URL = process.env.URL || "https://localhost";
const { PASSWORD, ITEM, PUBLISH, SHOT } = process.env;
const DEMO = "@demo.qingqian.example.com";
const failures = [];
const check = (ok, what) => {
	console.log(`${ok ? "通过" : "失败"}：${what}`);
	if (!ok) failures.push(what);
};

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "zh-CN", viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
const login = await page.request.post(`${URL}/api/method/login`, { form: { usr: `office.staff${DEMO}`, pwd: PASSWORD } });
check(login.ok(), "office.staff 经 nginx 登录");
await page.goto(`${URL}/app/arrears-item/${encodeURIComponent(ITEM)}`);
await page.waitForFunction(() => window.cur_frm && cur_frm.doc && cur_frm.doc.name, null, { timeout: 30000 });
const connected = await page
	.waitForFunction(() => frappe.realtime.socket && frappe.realtime.socket.connected, null, { timeout: 20000 })
	.then(() => true, () => false);
check(connected, "socket.io 经 nginx 连接（wss://…/socket.io）");
const transport = await page.evaluate(() => frappe.realtime.socket?.io?.engine?.transport?.name);
console.log(`  传输方式：${transport}`);

// another user saves the open record: the form reloads with it
async function saveAsReporter(note) {
	const other = await (await browser.newContext({ ignoreHTTPSErrors: true })).request;
	await other.post(`${URL}/api/method/login`, { form: { usr: `debtor.reporter${DEMO}`, pwd: PASSWORD } });
	const doc = { doctype: "Arrears Progress Update", parenttype: "Arrears Item", parent: ITEM,
		parentfield: "progress_updates", update_date: new Date().toISOString().slice(0, 10), content: note };
	const r = await other.post(`${URL}/api/method/frappe.client.insert`, { form: { doc: JSON.stringify(doc) } });
	return r.ok();
}
const before = await page.evaluate(() => cur_frm.doc.modified);
const note = `实时检查 ${Date.now()}`;
check(await saveAsReporter(note), "debtor.reporter 经 REST 保存进展");
const reloaded = await page
	.waitForFunction((n) => (cur_frm.doc.progress_updates || []).some((r) => r.content === n), note, { timeout: 20000 })
	.then(() => true, () => false);
check(reloaded, `打开的表单收到 doc_update 并重新载入（修改时间 ${before} → ${await page.evaluate(() => cur_frm.doc.modified)}）`);

// with unsaved edits of its own, the form says it was changed by someone else
await page.evaluate(() => { cur_frm.doc.__unsaved = 1; cur_frm.dirty(); });
check(await saveAsReporter(`实时检查（未保存时）${Date.now()}`), "另一用户再次保存");
const warned = await page
	.waitForFunction(() => {
		const m = cur_frm.layout.message && cur_frm.layout.message[0];
		return m && !m.classList.contains("hidden") && m.querySelector("button") ? m.innerText.trim() : false;
	}, null, { timeout: 20000 })
	.then((h) => h.jsonValue(), () => "");
check(Boolean(warned), `有未保存修改的表单显示“已被他人修改”提示：${warned}`);

// a server job's progress bar
if (PUBLISH) {
	execSync(PUBLISH, { stdio: "inherit" });
	const progress = await page
		.waitForSelector(".progress-bar", { timeout: 20000 })
		.then(() => true, () => false);
	check(progress, "服务器推送的进度条显示");
}
if (SHOT) await page.screenshot({ path: SHOT });
await browser.close();
console.log(failures.length ? `实时检查：${failures.length} 项失败` : "实时检查通过");
process.exit(failures.length ? 1 : 0);
