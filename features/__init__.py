"""Signals of an inquiry: specificity, contact, scam markers, history, language.

Each family is a scikit-learn transformer over the normalised inquiry frame
(see features/SIGNALS.md for every signal name). Most callers want
`extract_signals(inquiries, catalog)`; a model pipeline wants
`SignalExtractor(catalog=...)`. Importing this package loads no heavy library:
the families are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "ContactSignals",
    "FixedBins",
    "HistorySignals",
    "LanguageSignals",
    "ScamMarkers",
    "SignalExtractor",
    "SignalFamily",
    "Signals",
    "Specificity",
    "detect_language",
    "extract_signals",
]

_HOMES = {
    "ContactSignals": "features.contact",
    "FixedBins": "features.history",
    "HistorySignals": "features.history",
    "LanguageSignals": "features.language",
    "ScamMarkers": "features.scam_markers",
    "SignalExtractor": "features.extractor",
    "SignalFamily": "features.base",
    "Signals": "features.extractor",
    "Specificity": "features.specificity",
    "detect_language": "features.language",
    "extract_signals": "features.extractor",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module when it is first asked for."""
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'features' has no attribute '{name}'")
