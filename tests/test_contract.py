"""The plugin contract stays honest: every hook is documented and tested."""

from __future__ import annotations

import ast
import inspect
import re
from functools import cache
from pathlib import Path

import pytest

from coopkit import hookspecs
from coopkit.plugins import hook_names

ROOT = Path(__file__).resolve().parents[1]


@cache  # parsing every test file takes seconds: once per session, not once per hook
def _test_function_names() -> set[str]:
    names: set[str] = set()
    for path in [*ROOT.glob("tests/**/test_*.py"), *ROOT.glob("plugins/*/tests/test_*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))
    return names


def test_there_are_hooks() -> None:
    assert "coopkit_country" in hook_names()


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_test(hook: str) -> None:
    assert f"test_hook_{hook}" in _test_function_names(), (
        f"hook {hook} has no test: write a test named test_hook_{hook}"
    )


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_documents_its_arguments(hook: str) -> None:
    spec = getattr(hookspecs, hook)
    doc = inspect.getdoc(spec) or ""
    assert doc, f"{hook} has no docstring in coopkit/hookspecs.py"
    for argument in inspect.signature(spec).parameters:
        assert f":param {argument}:" in doc, f"{hook}: document argument {argument!r} with :param:"
    assert ":return:" in doc, f"{hook}: document what it returns with :return:"
    first_result = spec.coopkit_spec["firstresult"]
    assert ("firstresult" in doc) == first_result, (
        f"{hook}: say in the docstring whether it is a firstresult hook"
    )


def test_docs_describe_exactly_the_hooks() -> None:
    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    documented = re.findall(r"^### (coopkit_\w+)$", text, flags=re.MULTILINE)
    assert documented == hook_names(), (
        "docs/plugins.md must have one '### <hook>' section per hook, in the order of "
        "coopkit/hookspecs.py"
    )
    for hook in hook_names():
        section = text.split(f"### {hook}", 1)[1].split("\n### ", 1)[0]
        for argument in inspect.signature(getattr(hookspecs, hook)).parameters:
            assert f"`{argument}`" in section, (
                f"docs/plugins.md: {hook} does not explain `{argument}`"
            )
