"""Law is data with a date: a country's legal parameters, loaded from YAML.

A profile is a folder (``country_profiles/<cc>/``) of YAML files. The file name
is the namespace, each top-level key a parameter::

    # country_profiles/be/vat.yaml
    standard:
      description: Standard VAT rate
      unit: rate
      values:
        - valid_from: 1996-01-01
          value: 0.21
          source: Code TVA art. 37 and AR n° 20 of 20 July 1970, tableau A

gives the parameter ``vat.standard``. A value holds from its ``valid_from`` to
the day before the next value's ``valid_from``, or until its own optional
``valid_until``. Numbers are read as exact decimals, never floats. Every value
needs a ``source``; values must be in date order and must not overlap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml


class ProfileError(ValueError):
    """A parameter file that cannot be trusted: the message names the file and what to fix."""


class LawNotInForce(LookupError):
    """No value of a parameter is in force on the day asked for."""


class UnknownParameter(LookupError):
    """The profile has no parameter of that name."""


class _ExactLoader(yaml.SafeLoader):
    """A YAML loader that reads every number with a fraction as a Decimal."""


def _exact_float(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    try:
        value = Decimal(text.replace("_", ""))
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a finite number; write an exact decimal", node.start_mark
        )
    return value


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)


@dataclass(frozen=True)
class DatedValue:
    """One value of a parameter with the period it holds and its legal source."""

    parameter: str
    value: Any
    valid_from: dt.date
    valid_until: dt.date | None
    source: str
    # True for a value a template wrote to be replaced: not the law, only a stand-in.
    placeholder: bool = False

    def holds_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]

    def at(self, day: dt.date) -> DatedValue:
        for candidate in reversed(self.values):
            if candidate.valid_from <= day:
                if candidate.holds_on(day):
                    return candidate
                break
        first = self.values[0].valid_from
        if day < first:
            raise LawNotInForce(
                f"{self.name}: no value in force on {day.isoformat()}; the first value "
                f"starts on {first.isoformat()}: add an older value with its source to the profile"
            )
        raise LawNotInForce(
            f"{self.name}: no value in force on {day.isoformat()}; the last value ended: "
            "add the value now in force with its source to the profile"
        )


class ParameterSet(Mapping[str, Parameter]):
    """The legal parameters of one country, looked up by name and day."""

    def __init__(self, country: str, parameters: Mapping[str, Parameter], origin: Path) -> None:
        self.country = country
        self.origin = origin
        self._parameters = dict(parameters)

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise UnknownParameter(
                f"{self.country}: no parameter {name!r} in {self.origin}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    def entry(self, name: str, on: dt.date) -> DatedValue:
        """The dated value of ``name`` in force on ``on``, with its source."""
        return self[name].at(on)

    def value(self, name: str, on: dt.date) -> Any:
        """The value of ``name`` in force on ``on``; raises LawNotInForce before the first."""
        return self[name].at(on).value

    def placeholders(self) -> list[DatedValue]:
        """The values marked ``placeholder: true``: stand-ins a template wrote, not yet the law."""
        return [value for p in self._parameters.values() for value in p.values if value.placeholder]

    def namespace(self, prefix: str) -> list[str]:
        """Names of the parameters under ``prefix.`` (``vat`` → ``vat.standard``, ...)."""
        return sorted(n for n in self._parameters if n.startswith(prefix + "."))


def _as_date(raw: object, where: str, key: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise ProfileError(f"{where}: {key} {raw!r} is not a date; write it as YYYY-MM-DD")


def _parse_value(raw: object, where: str) -> DatedValue:
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: each value is a mapping with valid_from, value and source")
    missing = [key for key in ("valid_from", "value", "source") if key not in raw]
    if missing:
        hint = (
            " (the legal reference: law, article, official publication)"
            if "source" in missing
            else ""
        )
        raise ProfileError(f"{where}: missing {', '.join(missing)}{hint}")
    source = raw["source"]
    if not isinstance(source, str) or not source.strip():
        raise ProfileError(f"{where}: source is empty; give the legal reference of this value")
    valid_from = _as_date(raw["valid_from"], where, "valid_from")
    valid_until = raw.get("valid_until")
    until = None if valid_until is None else _as_date(valid_until, where, "valid_until")
    if until is not None and until < valid_from:
        raise ProfileError(f"{where}: valid_until {until} is before valid_from {valid_from}")
    unknown = set(raw) - {"valid_from", "valid_until", "value", "source", "note", "placeholder"}
    if unknown:
        raise ProfileError(
            f"{where}: unknown keys {sorted(unknown)}; allowed: valid_from, "
            "valid_until, value, source, note, placeholder"
        )
    placeholder = raw.get("placeholder", False)
    if not isinstance(placeholder, bool):
        raise ProfileError(f"{where}: placeholder is true or false, not {placeholder!r}")
    return DatedValue("", raw["value"], valid_from, until, source.strip(), placeholder)


def _parse_parameter(name: str, raw: object, where: str) -> Parameter:
    if not isinstance(raw, dict) or "values" not in raw:
        raise ProfileError(f"{where}: parameter {name!r} needs a 'values' list")
    values_raw = raw["values"]
    if not isinstance(values_raw, list) or not values_raw:
        raise ProfileError(f"{where}: parameter {name!r} has no values")
    values: list[DatedValue] = []
    for index, item in enumerate(values_raw, start=1):
        parsed = _parse_value(item, f"{where}: {name} value #{index}")
        values.append(dataclasses.replace(parsed, parameter=name))
    for before, after in itertools.pairwise(values):
        if after.valid_from <= before.valid_from:
            raise ProfileError(
                f"{where}: {name}: values must be in increasing date order without repeats "
                f"({before.valid_from} is followed by {after.valid_from})"
            )
        if before.valid_until is not None and before.valid_until >= after.valid_from:
            raise ProfileError(
                f"{where}: {name}: the value from {before.valid_from} runs until "
                f"{before.valid_until}, which overlaps the value from {after.valid_from}"
            )
    return Parameter(name, str(raw.get("description", "")), str(raw.get("unit", "")), tuple(values))


def load_profile(country: str, folder: Path) -> ParameterSet:
    """Load and check every ``*.yaml`` file of ``folder``; raise ProfileError naming the fault."""
    if not folder.is_dir():
        raise ProfileError(f"{country}: the profile folder {folder} does not exist")
    parameters: dict[str, Parameter] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=_ExactLoader)  # noqa: S506
        except yaml.YAMLError as error:
            raise ProfileError(f"{path}: not valid YAML: {error}") from None
        if document is None:
            continue
        if not isinstance(document, dict):
            raise ProfileError(f"{path}: expected a mapping of parameter names")
        for key, raw in document.items():
            name = f"{path.stem}.{key}"
            parameters[name] = _parse_parameter(name, raw, str(path))
    if not parameters:
        raise ProfileError(f"{country}: the profile folder {folder} holds no parameters")
    return ParameterSet(country, parameters, folder)
