"""templates/country-plugin and ``coopkit new-country``, tested like cookiecutter-pypackage.

Render with several contexts (a euro country, awkward names, non-euro
currencies), check the tree (files, TOML, YAML, Python, catalogs, ruff), then
once per session install one generated plugin and run its own tests — the
conformance kit — in a subprocess. The CLI is driven end to end with click's
CliRunner: all options given → no prompt; each bad input → an error naming the
rule, and nothing written.
"""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from click.testing import CliRunner

from coopkit.cli import cli
from coopkit.cli import new_country as command
from coopkit.law import load_profile
from coopkit.scaffold import ScaffoldError, check_country_code, check_currency, check_locales
from coopkit.scaffold.country_plugin import NewCountry, suggestions
from coopkit.scaffold.render import render_parts

# (code, name, currency, locales): a euro country, awkward names, non-euro currencies.
CONTEXTS = {
    "pt": ("pt", "Portugal", "EUR", "pt_PT,en"),
    "ci": ("ci", "Côte d'Ivoire", "XOF", "fr_CI"),
    "ba": ("ba", 'Bosnia & Herzegovina "BiH"', "BAM", "bs,hr,sr"),
    "ch": ("ch", "Schweiz/Suisse", "CHF", "de_CH,fr_CH"),
    "jp": ("jp", "Japan", "JPY", "ja"),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every context rendered once into one folder laid out like a checkout."""
    root = tmp_path_factory.mktemp("countries")
    for args in CONTEXTS.values():
        NewCountry.checked(*args).generate(root)
    return root


def _entries(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


@pytest.mark.parametrize("slug", CONTEXTS)
def test_the_tree_has_the_plugin_and_its_profile(generated: Path, slug: str) -> None:
    plugin = generated / "plugins" / f"coopkit-{slug}"
    locales = check_locales(CONTEXTS[slug][3])
    for part in (
        "pyproject.toml",
        "README.md",
        f"coopkit_{slug}/__init__.py",
        f"coopkit_{slug}/wordings.py",
        f"coopkit_{slug}/locale/messages.pot",
        "tests/test_conformance.py",
        f"tests/test_{slug}.py",
        *(f"coopkit_{slug}/locale/{locale}/LC_MESSAGES/messages.po" for locale in locales),
    ):
        assert (plugin / part).is_file(), part
    # The Makefile's PLUGIN_CATALOGS wildcard (plugins/*/coopkit_*/locale) picks it up.
    assert list(generated.glob("plugins/*/coopkit_*/locale")).count(plugin / f"coopkit_{slug}" / "locale")


@pytest.mark.parametrize("slug", CONTEXTS)
def test_names_survive_toml_yaml_and_python(generated: Path, slug: str) -> None:
    code, name, currency, _ = CONTEXTS[slug]
    plugin = generated / "plugins" / f"coopkit-{slug}"
    project = tomllib.loads((plugin / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == f"coopkit-{slug}"
    assert project["entry-points"]["coopkit"] == {slug: f"coopkit_{slug}"}
    assert name in project["description"]
    for path in plugin.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    source = (plugin / f"coopkit_{slug}" / "__init__.py").read_text(encoding="utf-8")
    namespace: dict[str, object] = {}
    exec(compile(_constants(source), "constants", "exec"), namespace)  # noqa: S102
    assert namespace["NAME"] == name
    assert namespace["CODE"] == code.upper()
    assert f'currency="{currency}"' in source
    for po in plugin.rglob("*.po"):
        with po.open("rb") as handle:
            assert "Standard VAT rate" in read_po(handle)


def _constants(source: str) -> str:
    """The ``CODE = …`` and ``NAME = …`` lines of a generated plugin, to evaluate alone."""
    return "\n".join(line for line in source.splitlines() if line.startswith(("CODE =", "NAME =")))


@pytest.mark.parametrize("slug", CONTEXTS)
def test_the_profile_loads_and_every_value_is_a_marked_placeholder(
    generated: Path, slug: str
) -> None:
    folder = generated / "country_profiles" / slug
    yaml.safe_load((folder / "vat.yaml").read_text(encoding="utf-8"))
    law = load_profile(slug.upper(), folder)
    placeholders = law.placeholders()
    assert {value.parameter for value in placeholders} == set(law)
    assert all(value.source.startswith("PLACEHOLDER") for value in placeholders)
    # Never a fake "real" rate: the stand-in charges nothing.
    assert law.value("vat.standard", law["vat.standard"].values[0].valid_from) == 0


def test_real_validators_where_python_stdnum_knows_the_country(generated: Path) -> None:
    portugal = (generated / "plugins/coopkit-pt/coopkit_pt/__init__.py").read_text()
    assert "from stdnum.pt import cc, nif" in portugal
    assert 'vat_number=("PT 501 964 843",)' in portugal  # stdnum.pt.nif's documented example
    assert 'country_prefix="PT"' in portugal
    japan = (generated / "plugins/coopkit-jp/coopkit_jp/__init__.py").read_text()
    assert "country_prefix" not in japan  # not an EU VAT number
    ivory_coast = (generated / "plugins/coopkit-ci/coopkit_ci/__init__.py").read_text()
    assert "stdnum" not in ivory_coast.split('"""', 2)[2].split("EXAMPLES")[0]
    assert 'return _not_checked_yet(number, "national_id"' in ivory_coast


def test_the_generated_code_is_ruff_clean(generated: Path) -> None:
    config = Path(__file__).resolve().parents[1] / "pyproject.toml"
    ruff = [sys.executable, "-m", "ruff"]
    plugins = str(generated / "plugins")
    check = subprocess.run([*ruff, "check", "--config", str(config), plugins], capture_output=True)
    assert check.returncode == 0, check.stdout.decode()
    formatting = [*ruff, "format", "--check", "--config", str(config), plugins]
    style = subprocess.run(formatting, capture_output=True)
    assert style.returncode == 0, style.stdout.decode()


@pytest.fixture(scope="session")
def installed_portugal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """coopkit-pt generated and installed (not editable) into a folder of its own, once."""
    root = tmp_path_factory.mktemp("installed")
    NewCountry.checked(*CONTEXTS["pt"]).generate(root)
    site = root / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run(
        [*pip, "--no-build-isolation", "--target", str(site), str(root / "plugins/coopkit-pt")],
        check=True,
        capture_output=True,
    )
    return root, site


def test_the_generated_plugin_installs_and_passes_its_own_tests(
    installed_portugal: tuple[Path, Path],
) -> None:
    root, site = installed_portugal
    assert list(site.glob("coopkit_pt-*.dist-info/entry_points.txt"))
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "COOPKIT_PROFILES_DIR": str(root / "country_profiles"),
        "COOPKIT_LOAD_PLUGINS": "pt",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rw", "tests"],
        cwd=root / "plugins/coopkit-pt",
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert " passed" in run.stdout
    # The kit warns about each stand-in value (vat.standard and the four share rules).
    assert run.stdout.count("PlaceholderWarning: plugin 'pt' (PT): parameter") == 5, run.stdout
    assert "5 warnings" in run.stdout


# --- the command line -------------------------------------------------------------------


def test_new_country_with_every_option_asks_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["new-country", "--code", "pt", "--name", "Portugal", "--currency", "eur"]
        + ["--locales", "pt_PT,en", "--output", str(tmp_path)],
        input="",
    )
    assert result.exit_code == 0, result.output
    assert "?" not in result.output and ":" not in result.output.splitlines()[0][:8]
    assert (tmp_path / "plugins/coopkit-pt/coopkit_pt/__init__.py").is_file()
    assert (tmp_path / "country_profiles/pt/vat.yaml").is_file()
    assert "PLACEHOLDERS" in result.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--code", "xx", "not an ISO 3166-1 alpha-2 country code"),
        ("--code", "EU", "not an ISO 3166-1 alpha-2 country code"),
        ("--currency", "EUX", "not an ISO 4217 currency code"),
        ("--locales", "pt_PT,xx_QQ", "not a locale Babel knows"),
        ("--locales", "en,en", "given twice"),
        ("--name", "Portu\ngal", "on one line"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    given = {"--code": "pt", "--name": "Portugal", "--currency": "EUR", "--locales": "pt_PT,en"}
    given[option] = value
    arguments = [part for pair in given.items() for part in pair]
    result = CliRunner().invoke(cli, ["new-country", *arguments, "--output", str(tmp_path)])
    assert result.exit_code != 0
    assert message in result.output
    assert _entries(tmp_path) == []


def test_an_existing_target_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "plugins/coopkit-be").mkdir(parents=True)
    before = _entries(tmp_path)
    result = CliRunner().invoke(
        cli,
        ["new-country", "--code", "be", "--name", "Belgium", "--currency", "EUR"]
        + ["--locales", "fr_BE,nl_BE", "--output", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "plugins/coopkit-be already exists: nothing was written" in result.output
    assert _entries(tmp_path) == before


def test_a_missing_option_without_a_terminal_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["new-country", "--code", "pt", "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "--name is missing (no terminal to ask)" in result.output
    assert _entries(tmp_path) == []


def test_a_person_is_asked_for_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(command, "interactive", lambda: True)
    # A code that is not ISO 3166 is asked again; then the suggestions are accepted.
    result = CliRunner().invoke(
        cli, ["new-country", "--output", str(tmp_path)], input="xx\nch\n\n\nde_CH,fr_CH\n"
    )
    assert result.exit_code == 0, result.output
    assert "not an ISO 3166-1 alpha-2 country code" in result.output
    assert "Country name (English) [Switzerland]" in result.output
    assert "Currency (ISO 4217) [CHF]" in result.output
    plugin = (tmp_path / "plugins/coopkit-ch/coopkit_ch/__init__.py").read_text()
    assert 'NAME = "Switzerland"' in plugin and 'locales=("de_CH", "fr_CH")' in plugin


# --- the shared pieces --------------------------------------------------------------------


def test_checks_give_the_canonical_form() -> None:
    assert check_country_code(" pt ") == "PT"
    assert check_currency("chf") == "CHF"
    assert check_locales("pt-pt, en") == ("pt_PT", "en")
    assert suggestions("PT") == {"name": "Portugal", "currency": "EUR", "locales": "pt_PT,en"}


def test_a_failure_after_rendering_leaves_nothing_behind(tmp_path: Path) -> None:
    def broken(tree: Path) -> None:
        raise ScaffoldError("the finishing step failed")

    country = NewCountry.checked(*CONTEXTS["pt"])
    context = country.context(__import__("datetime").date(2026, 12, 7))
    with pytest.raises(ScaffoldError, match="finishing step failed"):
        render_parts("country-plugin", context, tmp_path, country.parts(), finish=broken)
    assert _entries(tmp_path) == []


def test_unknown_template_variables_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="has no variable colour"):
        render_parts("country-plugin", {"colour": "red"}, tmp_path, ["plugins"])
    assert _entries(tmp_path) == []
