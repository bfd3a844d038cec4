"""Read the YAML data files that sit beside the routing code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The C parser is many times faster; pure Python is the fallback where libyaml is missing.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path | str) -> Any:
    """Parse one YAML file; errors name the file."""
    path = Path(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML ({error})") from None
