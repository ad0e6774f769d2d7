"""The gateway's tables. Migrations in ``migrations/`` must match these (a test checks)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from gateway.store.types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Client(Base):
    """A third-party app, mini-program or counter terminal."""

    __tablename__ = "clients"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Case(Base):
    """One application (办件), from submission to result."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    item: Mapped[str] = mapped_column(String(80), index=True)
    mode: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), index=True)
    applicant_masked: Mapped[dict[str, Any]] = mapped_column(default=dict)
    payload_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    legs: Mapped[list[Leg]] = relationship(
        back_populates="case", order_by="Leg.position", lazy="raise"
    )
    events: Mapped[list[Event]] = relationship(order_by="Event.id", lazy="raise")


class Leg(Base):
    """One province's part of a case, with the province's own reference and status."""

    __tablename__ = "legs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(6), index=True)
    position: Mapped[int] = mapped_column(Integer)
    step: Mapped[int] = mapped_column(Integer, default=0)
    pivot: Mapped[bool] = mapped_column(default=False)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(30))
    reference: Mapped[str | None] = mapped_column(String(64), default=None)
    provincial_code: Mapped[str | None] = mapped_column(String(20), default=None)
    provincial_description: Mapped[str | None] = mapped_column(String(100), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="legs", lazy="raise")


class Event(Base):
    """One entry of a case's timeline. Never updated, never deleted."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    leg_id: Mapped[str | None] = mapped_column(ForeignKey("legs.id"), default=None)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str | None] = mapped_column(String(30), default=None)
    source: Mapped[str] = mapped_column(String(20))
    province: Mapped[str | None] = mapped_column(String(6), default=None)
    provincial_code: Mapped[str | None] = mapped_column(String(20), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)


class Outbox(Base):
    """Durable work: written in the same transaction as the case change that needs it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "done", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    leg_id: Mapped[str] = mapped_column(ForeignKey("legs.id"))
    action: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    lease_owner: Mapped[str | None] = mapped_column(String(40), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    done: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ProvinceRecord(Base):
    """A province adapter configuration registered at run time (overrides the files).

    Credentials are sealed (SM4-GCM, bound to the province code); everything else is plain.
    """

    __tablename__ = "province_configs"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    config: Mapped[dict[str, Any]] = mapped_column()
    credentials_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))
