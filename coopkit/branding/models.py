"""The branding of a cooperative's pages, dated and append-only like its policies.

Invoices carry their own branding in the seller identity (coopkit.invoicing);
this one is what the web pages show: the name in the header, the logo and two
colours that the base layout turns into CSS variables. It exists from the
first start of an instance (``coopkit serve --instance``), before the
cooperative has the VAT number and bank account a seller identity needs.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Index, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow


class Branding(AppendOnly, TenantOwned, Base):
    """The name, logo and colours the cooperative's pages show from a day on."""

    final_reason = "record a new branding instead"

    __tablename__ = "brandings"
    __table_args__ = (
        CheckConstraint("(logo IS NULL) = (logo_media_type IS NULL)", name="logo_has_media_type"),
        Index("ix_brandings_valid_from", "tenant_id", "valid_from"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    display_name: Mapped[str] = mapped_column(String(200))
    # Deferred: every page of the tenant reads its branding, only /branding/logo the bytes.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    logo_media_type: Mapped[str | None] = mapped_column(String(40), default=None)
    primary_colour: Mapped[str] = mapped_column(String(7))
    accent_colour: Mapped[str] = mapped_column(String(7))
    decided_by: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
