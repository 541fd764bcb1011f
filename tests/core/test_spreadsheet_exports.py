"""Every module that writes a spreadsheet passes its cells through `safe_cell`.

A scan of the source, so that an export added later cannot forget formula injection
(the participant export wrote free attribute names raw as column headers).
"""

import re
from pathlib import Path

import kring

WRITES_SPREADSHEET = re.compile(
    r"csv\.writer\(|csv\.DictWriter\(|\.export\(\s*[\"'](csv|xlsx|xls|ods|tsv)|openpyxl\.Workbook\("
)


def test_every_spreadsheet_writer_uses_safe_cell():
    root = Path(kring.__file__).parent
    writers = [
        path
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and WRITES_SPREADSHEET.search(path.read_text())
    ]
    assert root / "registrations" / "exports.py" in writers  # the scan finds what it must
    unsafe = [
        str(path.relative_to(root)) for path in writers if "safe_cell(" not in path.read_text()
    ]
    assert not unsafe, f"spreadsheets written without safe_cell: {unsafe}"
