"""Recording and reading a cooperative's branding, with the checks that keep pages safe.

Colours go into a ``<style>`` element, so only ``#rrggbb`` is accepted; a logo
is served from the cooperative's own address, so only image types a browser
shows as images are accepted, and at most :data:`MAX_LOGO_BYTES`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

import filetype
from sqlalchemy.orm import Session

from coopkit.branding.models import Branding
from coopkit.db.dated import in_force
from coopkit.db.tenancy import USER_KEY

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_PRIMARY = "#1d2330"
DEFAULT_ACCENT = "#0b6e4f"
MAX_LOGO_BYTES = 512 * 1024
RASTER_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})
SVG = "image/svg+xml"


class BrandingError(ValueError):
    """Branding that cannot be recorded as given; the message says what to fix."""


@dataclass(frozen=True)
class Look:
    """What a page needs to show the branding (no logo bytes: the logo has its own address)."""

    display_name: str
    primary_colour: str
    accent_colour: str
    has_logo: bool


def check_colour(value: str, what: str) -> str:
    """``value`` in lower case if it is ``#rrggbb``; BrandingError naming ``what`` if not."""
    if not COLOUR.match(value.strip()):
        raise BrandingError(f"{what} {value!r}: write a colour as #rrggbb (for example #1f5f8b)")
    return value.strip().lower()


def logo_media_type(content: bytes, name: str = "logo") -> str:
    """The media type of a logo file: PNG, JPEG, WebP or SVG, at most 512 KiB."""
    if not content:
        raise BrandingError(f"{name}: the file is empty")
    if len(content) > MAX_LOGO_BYTES:
        raise BrandingError(
            f"{name}: {len(content)} bytes is too big for a logo (at most {MAX_LOGO_BYTES})"
        )
    guessed = filetype.guess_mime(content[:8192])
    if guessed in RASTER_TYPES:
        return str(guessed)
    head = content[:1024].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in content[:4096].lower():
        return SVG
    raise BrandingError(f"{name}: give a PNG, JPEG, WebP or SVG image (found {guessed or 'other'})")


def set_branding(
    db: Session,
    *,
    valid_from: date,
    display_name: str,
    primary_colour: str = DEFAULT_PRIMARY,
    accent_colour: str = DEFAULT_ACCENT,
    logo: bytes | None = None,
    decided_by: str,
) -> Branding:
    """Record the session tenant's branding from ``valid_from`` on."""
    name = " ".join(display_name.split())
    if not name:
        raise BrandingError("the branding needs a display name")
    if len(name) > 200:
        raise BrandingError(f"display name: {len(name)} characters, at most 200")
    if not decided_by.strip():
        raise BrandingError("say who decided this branding")
    user = db.info.get(USER_KEY)
    row = Branding(
        valid_from=valid_from,
        display_name=name,
        primary_colour=check_colour(primary_colour, "primary colour"),
        accent_colour=check_colour(accent_colour, "accent colour"),
        logo=logo,
        logo_media_type=logo_media_type(logo) if logo is not None else None,
        decided_by=decided_by.strip()[:300],
        recorded_by=user if isinstance(user, uuid.UUID) else None,
    )
    db.add(row)
    db.flush()
    return row


def branding_on(db: Session, day: date) -> Branding | None:
    """The session tenant's branding in force on ``day``, or None (pages show coopkit's)."""
    return in_force(db, Branding, day)


def look_of(row: Branding | None) -> Look | None:
    if row is None:
        return None
    # logo_has_media_type: the logo is there exactly when its media type is.
    has_logo = row.logo_media_type is not None
    return Look(row.display_name, row.primary_colour, row.accent_colour, has_logo)
