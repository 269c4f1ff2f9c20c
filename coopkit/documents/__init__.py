"""Documents people keep: Jinja2 templates rendered to HTML, then to PDF with WeasyPrint.

A template is looked up in the country plugin's documents folder first
(``Country.documents_dir``, when the plugin ships one), then in the engine's
defaults (``coopkit/documents/templates``), so a country can restyle a payslip
or an invoice without touching the engine. Documents are in the reader's
language: the same translations and Babel filters as the pages.
"""

from coopkit.documents.render import DocumentError, Documents, document_locale

__all__ = ["DocumentError", "Documents", "document_locale"]
