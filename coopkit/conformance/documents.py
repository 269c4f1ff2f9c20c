"""Check: every document renders, as HTML, in every language the country declares.

The templates are looked up as the engine looks them up for a cooperative of
the country (the plugin's ``documents_dir``, then the engine's defaults), so a
template the plugin overrides is checked with the context the engine gives it.
HTML, not PDF: the PDF is drawn from the same HTML, and WeasyPrint is slow.
"""

from __future__ import annotations

from jinja2 import TemplateError

from coopkit.conformance.samples import PARTS, SAMPLES
from coopkit.conformance.subject import Subject
from coopkit.documents import render_html, template_folders
from coopkit.documents.render import _environment


def check_documents_render(subject: Subject) -> list[str]:
    country = subject.country
    folders = template_folders(country)
    overridden = (
        sorted(p.name for p in country.documents_dir.glob("*.html"))
        if country.documents_dir is not None and country.documents_dir.is_dir()
        else []
    )
    problems = []
    for template, sample in SAMPLES.items():
        where = _where(subject, template, template in overridden)
        for locale in country.locales:
            try:
                render_html(folders, template, locale, **sample(country, locale))
            except (TemplateError, AttributeError, KeyError, TypeError, ValueError) as error:
                problems.append(
                    subject.says(
                        where,
                        f"does not render in {locale}: {type(error).__name__}: {error}",
                        "use only what the engine passes it (the header comment of the "
                        "engine's template lists it) and the filters of coopkit/web/templating.py",
                    )
                )
    for template in overridden:
        if template in SAMPLES or template in PARTS:
            continue
        try:
            _environment(tuple(folders)).get_template(template)
        except TemplateError as error:
            problems.append(
                subject.says(
                    _where(subject, template, True),
                    f"is not a valid template: {error}",
                    "fix its Jinja2 syntax",
                )
            )
    return problems


def _where(subject: Subject, template: str, overridden: bool) -> str:
    if overridden:
        return f"document {template} (Country.documents_dir {subject.country.documents_dir})"
    return f"document {template} (the engine's default)"
