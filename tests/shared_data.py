"""Where the real recorded forum data lives, and a clean skip when it does not.

The data is never copied into the repository: tests read it from
``../shared/data`` beside the project, or wherever ``BEACHHEAD_SHARED_DATA`` points.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    override = os.environ.get("BEACHHEAD_SHARED_DATA")
    if override:
        return Path(override)
    return PROJECT_ROOT.parent / "shared" / "data"


def shared_path(*parts: str) -> Path:
    """The path of a file or folder of the shared data; skips the calling test
    with the reason when it is not there."""
    path = shared_data_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"real forum data not found at {path} "
            "(set BEACHHEAD_SHARED_DATA to the shared/data folder)"
        )
    return path
