"""What the journey tests share: a screenshot of each tour's last screen, and the
PDFs they print kept as PNG pages to look at (beside the screenshots)."""

import contextlib
import shutil
import subprocess
from pathlib import Path
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser
from odoo.tools import config


@contextlib.contextmanager
def final_screenshot(prefix="final_"):
    """Keep a screenshot of the tour's last screen (named after the prefix)."""
    stop = ChromeBrowser.stop

    def stop_after_screenshot(browser):
        with contextlib.suppress(Exception):
            browser.take_screenshot(prefix=prefix).result(timeout=10)
        stop(browser)

    with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
        yield


def save_first_page(pdf, name, dbname):
    """Keep the PDF and, where pdftoppm is installed, its first page as a PNG.

    :return: the folder they are in
    """
    target = Path(config["screenshots"]) / dbname / "reports"
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{name}.pdf").write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        page_one = ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run(
            [pdftoppm, *page_one, str(target / f"{name}.pdf"), str(target / name)],
            check=True,
            timeout=60,
        )
    return target
