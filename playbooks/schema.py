"""A small declarative schema language for playbooks.

The schema is data, so the error messages can be exact and uniform: every
problem is reported as ``<key path>: <what is wrong>`` and all problems of a
file are reported together, so a user fixes a playbook in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Problems:
    """Collects validation messages while a document is walked."""

    messages: list[str] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.messages.append(f"{path}: {message}" if path else message)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


class Spec:
    """Validates and normalises one value; returns the value to keep."""

    default: Any = None
    required: bool = False

    def check(self, value: Any, path: str, problems: Problems) -> Any:
        raise TypeError(f"{type(self).__name__} must define check()")


class Str(Spec):
    def __init__(self, *, required=False, default=None, pattern=None, hint=None, nonempty=True):
        self.required = required
        self.default = default
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint
        self.nonempty = nonempty

    def check(self, value, path, problems):
        if not isinstance(value, str):
            problems.add(path, f"expected a string, got {_describe(value)}")
            return self.default
        if self.nonempty and not value.strip():
            problems.add(path, "must not be empty")
            return self.default
        if self.pattern and not self.pattern.fullmatch(value):
            problems.add(path, f"{value!r} is not {self.hint or 'valid'}")
            return self.default
        return value


class Choice(Spec):
    def __init__(self, choices, *, required=False, default=None):
        self.choices = tuple(choices)
        self.required = required
        self.default = default

    def check(self, value, path, problems):
        if value not in self.choices:
            problems.add(path, f"{_describe(value)} is not one of {', '.join(self.choices)}")
            return self.default
        return value


class Number(Spec):
    def __init__(self, *, required=False, default=None, minimum=None, maximum=None, integer=False):
        self.required = required
        self.default = default
        self.minimum = minimum
        self.maximum = maximum
        self.integer = integer

    def check(self, value, path, problems):
        wanted = "an integer" if self.integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.add(path, f"expected {wanted}, got {_describe(value)}")
            return self.default
        if self.integer and not isinstance(value, int):
            problems.add(path, f"expected {wanted}, got {_describe(value)}")
            return self.default
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                problems.add(path, f"{value!r} is not between {low} and {high}")
            elif low is not None:
                problems.add(path, f"{value!r} is less than {low}")
            else:
                problems.add(path, f"{value!r} is more than {high}")
            return self.default
        return value


class Bool(Spec):
    def __init__(self, *, required=False, default=False):
        self.required = required
        self.default = default

    def check(self, value, path, problems):
        if not isinstance(value, bool):
            problems.add(path, f"expected true or false, got {_describe(value)}")
            return self.default
        return value


class ListOf(Spec):
    def __init__(self, item: Spec, *, required=False, min_items=0, unique_key=None):
        self.item = item
        self.required = required
        self.default = []
        self.min_items = min_items
        self.unique_key = unique_key

    def check(self, value, path, problems):
        if not isinstance(value, list):
            problems.add(path, f"expected a list, got {_describe(value)}")
            return []
        if len(value) < self.min_items:
            problems.add(path, f"needs at least {self.min_items} item(s), got {len(value)}")
        kept = []
        seen: dict[Any, int] = {}
        for index, element in enumerate(value):
            item_path = f"{path}[{index}]"
            checked = self.item.check(element, item_path, problems)
            kept.append(checked)
            if self.unique_key and isinstance(element, dict):
                key = element.get(self.unique_key)
                if isinstance(key, str):
                    if key in seen:
                        problems.add(
                            f"{item_path}.{self.unique_key}",
                            f"{key!r} is already used by {path}[{seen[key]}]",
                        )
                    else:
                        seen[key] = index
        return kept


class MapOf(Spec):
    """A table whose keys are free (e.g. handles by community) and whose values
    all follow one spec."""

    def __init__(self, value: Spec, *, required=False, key_pattern=None, key_hint=None):
        self.value = value
        self.required = required
        self.default = {}
        self.key_pattern = re.compile(key_pattern) if key_pattern else None
        self.key_hint = key_hint

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.add(path, f"expected a table, got {_describe(value)}")
            return {}
        kept = {}
        for key, element in value.items():
            item_path = f"{path}.{key}" if path else key
            if self.key_pattern and not self.key_pattern.fullmatch(key):
                problems.add(item_path, f"key {key!r} is not {self.key_hint or 'valid'}")
                continue
            kept[key] = self.value.check(element, item_path, problems)
        return kept


class Table(Spec):
    """A table with known keys; unknown keys are errors, because a misspelt key
    that is silently ignored is a setting the user believes in but never gets."""

    def __init__(self, fields: dict[str, Spec], *, required=False):
        self.fields = fields
        self.required = required

    @property
    def default(self):  # a missing optional table means all its defaults
        problems = Problems()
        return self.check({}, "", problems)

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.add(path, f"expected a table, got {_describe(value)}")
            return self.default
        kept: dict[str, Any] = {}
        for key in value:
            if key not in self.fields:
                expected = ", ".join(self.fields)
                problems.add(
                    f"{path}.{key}" if path else key,
                    f"unknown key (expected one of {expected})",
                )
        for key, spec in self.fields.items():
            key_path = f"{path}.{key}" if path else key
            if key in value:
                kept[key] = spec.check(value[key], key_path, problems)
            elif spec.required:
                problems.add(key_path, "missing (required)")
                kept[key] = spec.default
            else:
                kept[key] = spec.default
        return kept
