"""The README's copy of the permissions table is the one the code checks against."""

from __future__ import annotations

from scripts.permissions_table import README, block


def test_readme_permissions_table_matches_the_code():
    assert block() in README.read_text(), (
        "README.md's permissions table is out of date: run "
        "`python scripts/permissions_table.py --write`")
