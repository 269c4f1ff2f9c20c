"""Render a cookiecutter template safely: all or nothing, never over existing files.

The template is rendered into a hidden staging folder next to the target (so the
final move is a rename on one file system), checked, and only then moved in
place. Any failure — bad input, a template error, a target that appeared
meanwhile — removes the staging folder and whatever was already moved, so
nothing half-generated is left behind.

Templates are found in ``coopkit/scaffold/templates`` (inside an installed
wheel, see ``force-include`` in pyproject.toml) or else in the repository's
top-level ``templates/`` folder (a checkout, editable install).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from coopkit.scaffold.errors import ScaffoldError

__all__ = ["ScaffoldError", "render_parts", "render_template", "template_dir"]

PACKAGED = Path(__file__).parent / "templates"
CHECKOUT = Path(__file__).resolve().parents[2] / "templates"

Finish = Callable[[Path], None]


def template_dir(name: str) -> Path:
    """The folder of template ``name`` (``country-plugin``, ``branch``, ``member-coop``)."""
    for base in (PACKAGED, CHECKOUT):
        if (base / name / "cookiecutter.json").is_file():
            return base / name
    raise ScaffoldError(f"There is no template {name!r} in {PACKAGED} or {CHECKOUT}.")


def render_template(
    name: str, context: Mapping[str, str], output: Path, *, finish: Finish | None = None
) -> Path:
    """Render template ``name`` with ``context`` into the new directory ``output``.

    :param name: a folder under ``templates/``.
    :param context: the template's variables (keys of its ``cookiecutter.json``);
        a key the template does not declare is refused.
    :param output: the directory to create; refused if it exists. Missing parents
        are created (and removed again on failure).
    :param finish: called with the rendered tree before it is moved in place
        (to add files a template cannot express); an exception there aborts all.
    :return: ``output``, absolute.
    """
    target = Path(output).absolute()
    _refuse_existing([target])
    with _created_parents(target) as parent, _staged(name, context, parent) as tree:
        if finish is not None:
            finish(tree)
        _refuse_existing([target])
        tree.rename(target)
    return target


def render_parts(
    name: str,
    context: Mapping[str, str],
    root: Path,
    parts: Sequence[str],
    *,
    finish: Finish | None = None,
) -> list[Path]:
    """Render a template whose top folder holds several ``parts`` and move each into ``root``.

    For trees that join an existing folder, such as a country plugin joining a
    repository (``plugins/coopkit-pt`` and ``country_profiles/pt``): ``root`` must
    exist, none of the parts may, and the template must produce exactly them.

    :return: the created paths, absolute, in the order of ``parts``.
    """
    base = Path(root).absolute()
    if not base.is_dir():
        raise ScaffoldError(f"The output folder {base} does not exist: create it first.")
    targets = [base / part for part in parts]
    _refuse_existing(targets)
    with _staged(name, context, base) as tree:
        if finish is not None:
            finish(tree)
        _check_parts(tree, parts)
        _move_all([(tree / part, target) for part, target in zip(parts, targets, strict=True)])
    return targets


def _refuse_existing(targets: Sequence[Path]) -> None:
    for target in targets:
        if target.exists() or target.is_symlink():
            raise ScaffoldError(
                f"{target} already exists: nothing was written. Choose another output "
                "folder or remove it first."
            )


@contextmanager
def _created_parents(target: Path) -> Iterator[Path]:
    """Create ``target``'s missing parent folders; remove them again if the body fails."""
    missing = [p for p in reversed(target.parents) if not p.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ScaffoldError(f"Cannot create {target.parent}: {error.strerror}.") from None
    try:
        yield target.parent
    except BaseException:
        for folder in reversed(missing):
            with suppress(OSError):
                folder.rmdir()
        raise


@contextmanager
def _staged(name: str, context: Mapping[str, str], parent: Path) -> Iterator[Path]:
    """Render into a hidden folder in ``parent``; yield the rendered tree; always clean up."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.main import cookiecutter
    from jinja2 import TemplateError

    template = template_dir(name)
    _check_context(template, context)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".coopkit-scaffold-", dir=parent))
    except OSError as error:
        raise ScaffoldError(f"Cannot write in {parent}: {error.strerror}.") from None
    try:
        config = staging / "cookiecutter.yaml"
        # Keep cookiecutter's replay files and clones out of the user's home folder.
        config.write_text(
            f"replay_dir: {json.dumps(str(staging / 'replay'))}\n"
            f"cookiecutters_dir: {json.dumps(str(staging / 'cache'))}\n",
            encoding="utf-8",
        )
        try:
            rendered = cookiecutter(
                str(template),
                no_input=True,
                extra_context=dict(context),
                output_dir=str(staging / "out"),
                config_file=str(config),
            )
        except (CookiecutterException, TemplateError) as error:
            detail = getattr(error, "message", None) or str(error)
            raise ScaffoldError(f"The template {name!r} failed to render: {detail}") from error
        yield Path(rendered)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_context(template: Path, context: Mapping[str, str]) -> None:
    declared = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    unknown = sorted(set(context) - {key for key in declared if not key.startswith("_")})
    if unknown:
        raise ScaffoldError(
            f"The template {template.name!r} has no variable {', '.join(unknown)}; "
            f"it takes {', '.join(k for k in declared if not k.startswith('_'))}."
        )
    for key, value in context.items():
        if not isinstance(value, str):
            raise ScaffoldError(f"{key} must be text, not {type(value).__name__}.")


def _check_parts(tree: Path, parts: Sequence[str]) -> None:
    produced = {p.relative_to(tree) for p in tree.rglob("*") if p.is_file()}
    for part in parts:
        if not (tree / part).is_dir():
            raise ScaffoldError(f"The template produced no {part}/: it is broken.")
    stray = sorted(
        str(path) for path in produced if not any(path.is_relative_to(part) for part in parts)
    )
    if stray:
        raise ScaffoldError(f"The template produced files outside {', '.join(parts)}: {stray}.")


def _move_all(moves: Sequence[tuple[Path, Path]]) -> None:
    """Rename each staged part to its target; on any failure, put back what was moved."""
    done: list[tuple[Path, Path, list[Path]]] = []
    try:
        for source, target in moves:
            _refuse_existing([target])
            missing = [p for p in reversed(target.parents) if not p.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            source.rename(target)
            done.append((source, target, missing))
    except (OSError, ScaffoldError) as error:
        for source, target, missing in reversed(done):
            target.rename(source)
            for folder in reversed(missing):
                with suppress(OSError):
                    folder.rmdir()
        if isinstance(error, ScaffoldError):
            raise
        raise ScaffoldError(f"Could not move the generated files in place: {error}") from error
