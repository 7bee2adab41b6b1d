"""The dashboard as the service serves it: the page, its scripts and the bundled chart library,
public and kept to the service by its Content-Security-Policy; and the build step that fetches the
library from the npm registry, checked against its pinned integrity."""

import base64
import hashlib
import io
import re
import tarfile
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from app.dashboard import vendor
from app.dashboard.router import STATIC_DIR


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("src", "href") and value]


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_the_page_is_public_and_kept_to_the_service(anonymous):
    answer = anonymous.get("/dashboard")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert answer.headers["cache-control"] == "no-cache"
    assert '<html lang="zh-CN">' in answer.text


def test_everything_the_page_loads_is_served_by_the_service(anonymous):
    links = links_of(anonymous.get("/dashboard").text)
    assert "/dashboard/assets/vendor/echarts.common.min.js" in links
    for link in links:
        if link.startswith("data:"):
            continue
        assert link.startswith("/dashboard/assets/"), link
        assert anonymous.get(link).status_code == 200, link


def test_scripts_load_modules_and_the_api_from_the_service_only():
    for script in (STATIC_DIR / "js").glob("*.js"):
        text = script.read_text()
        assert not re.search(r"https?://", text), script.name
        for imported in re.findall(r'from "([^"]+)"', text):
            assert imported.startswith("./"), (script.name, imported)


def test_scripts_are_served_as_javascript(anonymous):
    answer = anonymous.get("/dashboard/assets/js/main.js")
    assert answer.status_code == 200
    assert "javascript" in answer.headers["content-type"]
    assert anonymous.get("/dashboard/assets/js/missing.js").status_code == 404


def test_the_home_page_leads_to_the_dashboard(anonymous):
    answer = anonymous.get("/", follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == "/dashboard"


def test_the_dashboard_is_not_in_the_api_document(anonymous):
    paths = anonymous.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if "dashboard" in path or path == "/"]


def _tarball(files: dict[str, bytes]) -> bytes:
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as archive:
        for name, data in files.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return packed.getvalue()


@pytest.fixture
def registry(tmp_path):
    """A registry of one package on disk, reached by file:// as the real one is by https://."""
    body = _tarball({"package/dist/lib.min.js": b"lib()", "package/LICENSE": b"Apache-2.0"})
    folder = tmp_path / "registry" / "lib" / "-"
    folder.mkdir(parents=True)
    (folder / "lib-1.0.0.tgz").write_bytes(body)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(body).digest()).decode()
    return vendor.NpmFile(
        package="lib",
        version="1.0.0",
        integrity=integrity,
        members={"package/dist/lib.min.js": "lib.min.js", "package/LICENSE": "lib.LICENSE"},
        registry=(tmp_path / "registry").as_uri(),
    )


def test_a_checked_package_is_unpacked_once(registry, tmp_path):
    into = tmp_path / "vendor"
    assert vendor.fetch(registry, into) is True
    assert (into / "lib.min.js").read_bytes() == b"lib()"
    assert (into / "lib.LICENSE").read_bytes() == b"Apache-2.0"
    assert vendor.is_present(registry, into)
    assert vendor.fetch(registry, into) is False


def test_a_tarball_that_is_not_the_pinned_one_is_refused(registry, tmp_path):
    tampered = replace(registry, integrity="sha512-" + base64.b64encode(b"x" * 64).decode())
    into = tmp_path / "vendor"
    with pytest.raises(vendor.IntegrityError):
        vendor.fetch(tampered, into)
    assert not (into / "lib.min.js").exists()


def test_a_newer_pin_fetches_again(registry, tmp_path):
    into = tmp_path / "vendor"
    vendor.fetch(registry, into)
    (into / "lib.integrity").write_text("sha512-an-older-pin\n")
    assert not vendor.is_present(registry, into)
    assert vendor.fetch(registry, into) is True


def test_the_bundled_library_is_the_pinned_one():
    assert vendor.is_present(vendor.ECHARTS), "run: python -m app.dashboard.vendor"
