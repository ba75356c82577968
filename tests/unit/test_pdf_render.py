"""What the PDF renderer may read while it lays out a document: the site's own assets and
public files, nothing outside them and nothing from another host."""

from qingqian_app.pdf_render import local_file

HOSTS = {"qingqian.example.gov.cn", "localhost"}


def site(tmp_path):
	(tmp_path / "assets/frappe/css").mkdir(parents=True)
	(tmp_path / "assets/frappe/css/print.css").write_text("p {}", encoding="utf-8")
	(tmp_path / "files").mkdir()
	(tmp_path / "files/印章.png").write_bytes(b"png")
	(tmp_path / "secret.txt").write_text("site_config", encoding="utf-8")
	return {"/assets/": str(tmp_path / "assets"), "/files/": str(tmp_path / "files")}


def test_the_sites_own_files_are_read_from_disk(tmp_path):
	roots = site(tmp_path)
	assert local_file("/assets/frappe/css/print.css", roots, HOSTS) == str(
		tmp_path / "assets/frappe/css/print.css"
	)
	assert local_file("http://localhost:8000/files/%E5%8D%B0%E7%AB%A0.png", roots, HOSTS) == str(
		tmp_path / "files/印章.png"
	)


def test_nothing_outside_the_roots_or_from_elsewhere(tmp_path):
	roots = site(tmp_path)
	for url in (
		"/assets/../secret.txt",
		"/assets/%2e%2e/secret.txt",
		"/files/../secret.txt",
		"/private/files/x.pdf",
		"/assets/frappe/css/missing.css",
		"http://169.254.169.254/assets/frappe/css/print.css",
		"https://cdn.example.com/assets/frappe/css/print.css",
		"file:///etc/passwd",
	):
		assert local_file(url, roots, HOSTS) is None, url
