"""Defensive access to JSON from APIs whose schema may drift: wrong types read as empty, never crash."""
from __future__ import annotations

from typing import Any


def obj(value: Any) -> dict:
    """A JSON object, or {} when the field is missing or of another type."""
    return value if isinstance(value, dict) else {}


def objects(value: Any) -> list[dict]:
    """The objects of a JSON array, or [] when the field is missing or of another type."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
