"""Fixtures of the briefing tests."""

from __future__ import annotations

import pytest
from report_smallcase import small_case

from accord.case.folder import write_case


@pytest.fixture(scope="session")
def small_case_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("case") / "small-test"
    write_case(small_case(), folder)
    return folder
