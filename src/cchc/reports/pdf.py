"""PDF of a DOCX report through LibreOffice headless, when it is installed.

Install it with `apt-get install -y --no-install-recommends libreoffice-writer-nogui` (the
Makefile's browser-deps target does). Without it, `docx_to_pdf` returns None: the DOCX is
always available, the PDF only where LibreOffice is.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 180


class ConversionError(RuntimeError):
    """LibreOffice ran but produced no PDF."""


def soffice() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    data: bytes, suffix: str, target: str, *, timeout: int = TIMEOUT_SECONDS
) -> bytes | None:
    """`data` (a file ending in `suffix`) converted by LibreOffice to `target` ("pdf", "xlsx").

    Each call runs its own LibreOffice with a throw-away profile, so conversions running at
    the same time (web requests, tests) do not share a lock. None when LibreOffice is absent.
    """
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="cchc-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"document{suffix}"
        source.write_bytes(data)
        out_dir = folder / "out"
        result = subprocess.run(
            [
                program,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--nologo",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                str(source),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        produced = out_dir / f"document.{target.split(':')[0]}"
        if not produced.exists():
            raise ConversionError(
                f"LibreOffice did not convert the document (exit {result.returncode}): "
                + result.stderr.decode(errors="replace")[-500:]
            )
        return produced.read_bytes()


def docx_to_pdf(data: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes | None:
    """The PDF of DOCX `data`, or None when LibreOffice is not installed."""
    return convert(data, ".docx", "pdf", timeout=timeout)
