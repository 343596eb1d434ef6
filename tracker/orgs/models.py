"""Organizations (agencies) and their units (departments), a tree per organization."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.time import utcnow
from tracker.extensions import Model, db


class Organization(Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Who grants or refuses deadline extensions: "controller" (the secretariat) or "director";
    #: any other value means the secretariat. (No CHECK constraint: on SQLite adding one rebuilds
    #: this table, which most tables refer to.)
    extension_decider: Mapped[str] = mapped_column(
        String(20), default="controller", server_default="controller"
    )
    #: Printed plans carry "Келишилди" and "Тайёрлади" signature lines.
    print_signature_lines: Mapped[bool] = mapped_column(default=False, server_default=db.false())

    units: Mapped[list[Unit]] = relationship(back_populates="organization", order_by="Unit.name")

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"


class Unit(Model):
    """A department, division or service; ``parent`` makes the organization's tree."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=db.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")

    __table_args__ = (UniqueConstraint("organization_id", "name", name="uq_units_organization_name"),)

    def ancestors(self) -> list[Unit]:
        """Parent, grandparent, … (guarded against a cycle made by hand in the database)."""
        found: list[Unit] = []
        node = self.parent
        while node is not None and node not in found and node is not self:
            found.append(node)
            node = node.parent
        return found

    def path_name(self) -> str:
        return " / ".join([u.name for u in reversed(self.ancestors())] + [self.name])

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r}>"
