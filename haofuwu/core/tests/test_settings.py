"""Every environment variable the code reads is documented in .env.example."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_env_example_lists_every_variable_the_code_reads() -> None:
    pattern = re.compile(r'env_(?:str|bool|int|list|path)\(\s*"([A-Z0-9_]+)"')
    read = set()
    for path in (ROOT / "haofuwu").rglob("*.py"):
        if "tests" not in path.parts:
            read |= set(pattern.findall(path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.MULTILINE))
    assert read, "the scan found no settings at all"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"
