"""Fixtures for the analysis tests; the shapes themselves are in ``shapes.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

JAKARTA = Path(__file__).resolve().parents[4] / "shared" / "data" / "jakarta"


@pytest.fixture(scope="session")
def jakarta() -> Path:
    """The central Jakarta sample layers (see their README.md)."""
    if not JAKARTA.is_dir():
        pytest.skip("the Jakarta sample data is not available")
    return JAKARTA
