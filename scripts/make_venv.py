"""Create the project's virtual environment, with pip, on any Python >= 3.10.

`python3 -m venv` needs ensurepip, which Debian and Ubuntu ship separately (python3-venv).
Where it is missing, the environment is made without pip and pip is installed into it
from its own wheel, fetched from PyPI (the package registry `make install` uses anyway).

Usage: python3 scripts/make_venv.py DIR
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import venv
from pathlib import Path

PYPI_JSON = "https://pypi.org/pypi/pip/json"


def pip_wheel_url() -> str:
    """The current pip release's universal wheel on PyPI."""
    with urllib.request.urlopen(PYPI_JSON, timeout=60) as resp:
        files = json.load(resp)["urls"]
    for f in files:
        if f["filename"].endswith("-py3-none-any.whl"):
            return urllib.parse.urljoin(PYPI_JSON, f["url"])  # mirrors give relative URLs
    raise SystemExit(f"no pip wheel listed at {PYPI_JSON}; install python3-venv instead")


def bootstrap_pip(python: Path) -> None:
    """Install pip into the environment of `python` from pip's own wheel."""
    url = pip_wheel_url()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / url.rsplit("/", 1)[1]
        with urllib.request.urlopen(url, timeout=120) as resp:
            wheel.write_bytes(resp.read())
        # a wheel is a zip that Python can run from: pip installs itself
        subprocess.run([str(python), f"{wheel}/pip", "install", "--quiet", str(wheel)],
                       check=True)


def main(target: str) -> None:
    where = Path(target)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(where)
    except (subprocess.CalledProcessError, OSError, ImportError, SystemExit):
        # Debian/Ubuntu without python3-venv: ensurepip is missing or disabled
        print(f"ensurepip is not usable here (Debian's python3-venv is not installed); "
              f"installing pip into {where} from PyPI", file=sys.stderr)
        venv.EnvBuilder(with_pip=False, clear=True).create(where)
        bootstrap_pip(where / "bin" / "python")
    print(f"created the project environment {where}/ (make uses {where}/bin/python)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3 scripts/make_venv.py DIR")
    main(sys.argv[1])
