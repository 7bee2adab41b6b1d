"""The dashboard's browser library, Apache ECharts, fetched from the npm registry when the
package is built (setup.py) and checked against its pinned integrity, so that the page needs no
network but the service's and no third-party code is kept in the repository.

Standard library only: the build imports this file before any dependency is installed.
Run `python -m app.dashboard.vendor` to fetch it by hand into a source checkout."""

import base64
import hashlib
import io
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).parent / "static" / "vendor"


@dataclass(frozen=True)
class NpmFile:
    package: str
    version: str
    integrity: str  # the registry's dist.integrity of the tarball (sha512, base64)
    members: dict[str, str]  # path inside the tarball -> file name under VENDOR_DIR
    registry: str = "https://registry.npmjs.org"

    @property
    def tarball(self) -> str:
        return f"{self.registry}/{self.package}/-/{self.package}-{self.version}.tgz"


ECHARTS = NpmFile(
    package="echarts",
    version="6.1.0",
    integrity="sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==",
    # The common build (line and bar charts, axes, legend, tooltip): 715 KB to parse on load,
    # not the full build's 1.1 MB.
    members={
        "package/dist/echarts.common.min.js": "echarts.common.min.js",
        "package/LICENSE": "echarts.LICENSE",
        "package/NOTICE": "echarts.NOTICE",
    },
)
BUNDLED = (ECHARTS,)


class IntegrityError(RuntimeError):
    pass


def _stamp(item: NpmFile, into: Path) -> Path:
    return into / f"{item.package}.integrity"


def is_present(item: NpmFile, into: Path = VENDOR_DIR) -> bool:
    stamp = _stamp(item, into)
    files_there = all((into / name).is_file() for name in item.members.values())
    return files_there and stamp.is_file() and stamp.read_text().strip() == item.integrity


def _checked_download(item: NpmFile) -> bytes:
    with urllib.request.urlopen(item.tarball, timeout=120) as answer:
        body = answer.read()
    algorithm, expected = item.integrity.split("-", 1)
    found = base64.b64encode(hashlib.new(algorithm, body).digest()).decode()
    if found != expected:
        raise IntegrityError(f"{item.tarball}: {algorithm} is {found}, pinned {expected}")
    return body


def fetch(item: NpmFile, into: Path = VENDOR_DIR) -> bool:
    """Download, check and unpack `item` unless it is there already; True when it fetched."""
    if is_present(item, into):
        return False
    body = _checked_download(item)
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
        for member, name in item.members.items():
            data = archive.extractfile(member)
            if data is None:
                raise IntegrityError(f"{item.tarball} has no file {member}")
            (into / name).write_bytes(data.read())
    _stamp(item, into).write_text(item.integrity + "\n")
    return True


def fetch_all(into: Path = VENDOR_DIR) -> None:
    for item in BUNDLED:
        if fetch(item, into):
            print(f"fetched {item.package} {item.version} from the npm registry into {into}")


if __name__ == "__main__":
    fetch_all()
