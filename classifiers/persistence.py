"""Saving and loading fitted models: skops (no pickle) plus a model card.

A model file is a zip holding ``card.json`` and ``model.skops``. The card is
read first, so a file written by another model format or another
scikit-learn is refused with a message saying what to do, before any of its
objects are built. Only types from this package, scikit-learn, NumPy and
SciPy are accepted when loading.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sklearn
import skops.io

# Bump when a fitted model's attributes change meaning.
MODEL_FORMAT = 1
_TRUSTED_PREFIXES = ("classifiers.", "sklearn.", "numpy.", "scipy.", "builtins.")


class ModelFileError(Exception):
    """A model file that cannot be loaded; the message says why and what to do."""


@dataclass(frozen=True)
class ModelCard:
    """What a saved model is: its kind, the format and library it was saved
    with, when, what it was trained on (label counts) and how well it did."""

    kind: str
    model_format: int = MODEL_FORMAT
    sklearn_version: str = sklearn.__version__
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    label_counts: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    notes: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def save_model(
    model,
    path: str | Path,
    *,
    metrics: dict | None = None,
    label_counts: dict | None = None,
    notes: str = "",
) -> ModelCard:
    """Write ``model`` and its card to ``path``; returns the card."""
    counts = label_counts if label_counts is not None else getattr(model, "label_counts_", {})
    card = ModelCard(
        kind=type(model).__name__,
        label_counts={str(k): int(v) for k, v in dict(counts).items()},
        metrics=dict(metrics or {}),
        notes=notes,
    )
    payload = skops.io.dumps(model)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("card.json", json.dumps(card.as_dict(), indent=2, sort_keys=True))
        archive.writestr("model.skops", payload)
    temporary.replace(path)
    return card


def read_card(path: str | Path) -> ModelCard:
    """The card of a model file, without loading the model."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            raw = json.loads(archive.read("card.json"))
    except FileNotFoundError:
        raise ModelFileError(f"model file '{path}' does not exist") from None
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError):
        raise ModelFileError(f"'{path}' is not a Beachhead model file") from None
    known = set(ModelCard.__dataclass_fields__)
    return ModelCard(**{k: v for k, v in raw.items() if k in known})


def check_compatible(card: ModelCard, path: str | Path) -> None:
    if card.model_format != MODEL_FORMAT or card.sklearn_version != sklearn.__version__:
        raise ModelFileError(
            f"model file '{path}' was saved with model format {card.model_format} and "
            f"scikit-learn {card.sklearn_version}; this Beachhead reads model format "
            f"{MODEL_FORMAT} with scikit-learn {sklearn.__version__}. "
            "Retrain it (beachhead train) instead of loading it."
        )


def load_model(path: str | Path):
    """``(model, card)`` from a file written by ``save_model``."""
    card = read_card(path)
    check_compatible(card, path)
    with zipfile.ZipFile(path) as archive:
        payload = archive.read("model.skops")
    untrusted = skops.io.get_untrusted_types(data=payload)
    foreign = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
    if foreign:
        raise ModelFileError(f"model file '{path}' holds an unexpected type {foreign[0]!r}")
    model = skops.io.loads(payload, trusted=untrusted)
    if type(model).__name__ != card.kind:
        raise ModelFileError(
            f"model file '{path}' says it holds a {card.kind} but holds a {type(model).__name__}"
        )
    return model, card


def saved_bytes(path: str | Path) -> bytes:
    """Every byte of a model file, decompressed (zips inside zips opened), so
    a test can search it for text that must not be there."""

    def expand(data: bytes) -> bytes:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            return data
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"".join(expand(archive.read(name)) for name in archive.namelist())

    return expand(Path(path).read_bytes())
