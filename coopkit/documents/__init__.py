"""Documents people keep: Jinja2 templates rendered to HTML, then to PDF with WeasyPrint.

A template is looked up in the tenant's own folder first (``<slug>/`` under the
``COOPKIT_TENANT_TEMPLATES`` setting), then in the country plugin's documents
folder (``Country.documents_dir``, when the plugin ships one), then in the
engine's defaults (``coopkit/documents/templates``), so a cooperative or a
country can restyle a payslip or an invoice without touching the engine.
Documents are in the reader's language: the same translations and Babel
filters as the pages.
"""

from coopkit.documents.render import (
    DocumentError,
    Documents,
    PdfAttachment,
    document_locale,
    render_html,
    render_pdf,
    template_folders,
)

__all__ = [
    "DocumentError",
    "Documents",
    "PdfAttachment",
    "document_locale",
    "render_html",
    "render_pdf",
    "template_folders",
]
