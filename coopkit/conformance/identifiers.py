"""Check: the identifier validators accept the country's official examples, refuse them
corrupted.

A validator that accepts anything passes every test that only feeds it valid
numbers; one that refuses real numbers locks members out. The plugin gives
official examples (``coopkit_identifier_examples``); each must be accepted, and
each with one digit changed — the last (usually a check digit) or one in the
middle — must be refused with a sentence for the person who typed it.
"""

from __future__ import annotations

from collections.abc import Callable

from coopkit.conformance.parameters import FAILURES
from coopkit.conformance.subject import Subject
from coopkit.countries import IdentifierCheck, IdentifierExamples

EXAMPLES_HOOK = "coopkit_identifier_examples"


def corrupted(number: str) -> list[str]:
    """``number`` with its last digit changed, and with a digit in the middle changed."""
    positions = [i for i, char in enumerate(number) if char.isdigit()]
    if not positions:
        return []
    chosen = dict.fromkeys([positions[-1], positions[len(positions) // 2]])
    return [number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1 :] for i in chosen]


def _validators(subject: Subject) -> dict[str, tuple[str, Callable[[str, str], IdentifierCheck]]]:
    host = subject.host
    return {
        "national_id": ("coopkit_validate_national_id", host.validate_national_id),
        "vat_number": ("coopkit_validate_vat_number", host.validate_vat_number),
        "iban": ("coopkit_validate_iban", host.validate_iban),
        "company_id": ("coopkit_validate_company_id", host.validate_company_id),
    }


def check_identifiers(subject: Subject) -> list[str]:
    if EXAMPLES_HOOK not in subject.implemented:
        return [
            subject.says(
                f"hook {EXAMPLES_HOOK}",
                "is not implemented, so its validators cannot be checked",
                "return IdentifierExamples(national_id=..., vat_number=..., iban=..., "
                "company_id=..., source=...) with official valid numbers (docs/plugins.md)",
            )
        ]
    examples: IdentifierExamples = subject.host.identifier_examples(subject.code)
    problems = []
    if not examples.source.strip():
        problems.append(
            subject.says(
                f"hook {EXAMPLES_HOOK}",
                "gives no source",
                "say where the examples come from in IdentifierExamples.source",
            )
        )
    for field, (hook, validate) in _validators(subject).items():
        numbers: tuple[str, ...] = getattr(examples, field)
        implemented = hook in subject.implemented
        where = f"hook {EXAMPLES_HOOK}, {field}"
        if not numbers:
            if implemented:
                problems.append(
                    subject.says(
                        where, f"gives no example for {hook}", "add one official valid number"
                    )
                )
            continue
        if not implemented:
            problems.append(
                subject.says(
                    where,
                    f"gives examples but the plugin does not implement {hook}",
                    f"implement {hook} or leave {field} empty",
                )
            )
            continue
        for number in numbers:
            problems += _judge(subject, hook, validate, number)
    return problems


def _judge(
    subject: Subject, hook: str, validate: Callable[[str, str], IdentifierCheck], number: str
) -> list[str]:
    try:
        verdict = validate(subject.code, number)
        wrong = [(bad, validate(subject.code, bad)) for bad in corrupted(number)]
    except FAILURES as error:
        return [subject.says(f"hook {hook}", f"fails on {number!r}: {error}", "fix the hook")]
    problems = []
    if not verdict.valid:
        problems.append(
            subject.says(
                f"hook {hook}",
                f"refuses the official example {number!r} ({verdict.error or 'no message'})",
                "fix the validator, or the example if it was mistyped",
            )
        )
    for bad, judged in wrong:
        if judged.valid:
            problems.append(
                subject.says(
                    f"hook {hook}",
                    f"accepts {bad!r}, the example {number!r} with one digit changed",
                    "check the number's check digits (python-stdnum has most national ones)",
                )
            )
        elif not judged.error.strip():
            problems.append(
                subject.says(
                    f"hook {hook}",
                    f"refuses {bad!r} without a message",
                    "set IdentifierCheck.error to a sentence saying what is wrong",
                )
            )
    return problems
