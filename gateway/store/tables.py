"""The gateway's tables. Migrations in ``migrations/`` must match these (a test checks)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from gateway.store.sealed import SealedJSON, SealedText, bind_rows
from gateway.store.types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


bind_rows(Base)  # sealed columns bound to their row's owner (store.sealed)


def table_of(model: type[Base]) -> Table:
    """A mapped class's table, typed as one (``__table__`` is typed as any ``FromClause``)."""
    return cast(Table, model.__table__)


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
    # Counter terminals are bound to the province and service point they sit in.
    province: Mapped[str | None] = mapped_column(String(6), default=None)
    service_point: Mapped[str | None] = mapped_column(String(100), default=None)
    signing_required: Mapped[bool] = mapped_column(default=False)
    signing_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    key_id: Mapped[str | None] = mapped_column(String(20), default=None)
    rate_per_minute: Mapped[int | None] = mapped_column(Integer, default=None)
    rotated_at: Mapped[dt.datetime | None] = mapped_column(default=None)


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
    applicant_digest: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    payload_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(20))
    # Sealed (store.sealed): decisions name the applicant, a transfer carries balances, the
    # counter record names staff and documents, a delivery has an address.
    result: Mapped[dict[str, Any] | None] = mapped_column(
        SealedJSON("cases.result", owner="id"), default=None
    )
    counter: Mapped[dict[str, Any] | None] = mapped_column(
        SealedJSON("cases.counter", owner="id"), default=None
    )
    delivery: Mapped[dict[str, Any] | None] = mapped_column(
        SealedJSON("cases.delivery", owner="id"), default=None
    )
    statutory_due: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    promised_due: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    deadline_note: Mapped[str | None] = mapped_column(String(200), default=None)
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
    reason: Mapped[str | None] = mapped_column(SealedText("legs.reason", owner="id"), default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(
        SealedJSON("legs.result", owner="id"), default=None
    )
    submitted_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    statutory_due: Mapped[dt.date | None] = mapped_column(Date, default=None)
    promised_due: Mapped[dt.date | None] = mapped_column(Date, default=None)
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
    note: Mapped[str | None] = mapped_column(
        SealedText("events.note", owner="case_id"), default=None
    )


class Outbox(Base):
    """Durable work: written in the same transaction as the case change that needs it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "done", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    leg_id: Mapped[str] = mapped_column(ForeignKey("legs.id"))
    action: Mapped[str] = mapped_column(String(20))
    payload_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
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


class IdempotencyKey(Base):
    """A client's Idempotency-Key: the first request's fingerprint and, once done, its answer."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("client_id", "key", name="uq_idempotency_client_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # in_flight | done
    response_status: Mapped[int | None] = mapped_column(Integer, default=None)
    response_body: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    case_id: Mapped[str | None] = mapped_column(String(36), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class Webhook(Base):
    """Where a client wants case status changes delivered, and the secret that signs them."""

    __tablename__ = "webhooks"

    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(20))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One status change to deliver to one client; dead-lettered after the last attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    payload: Mapped[dict[str, Any]] = mapped_column()
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending|delivered|dead
    due_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    lease_owner: Mapped[str | None] = mapped_column(String(40), default=None)
    last_status: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class Nonce(Base):
    """A signed request's nonce, usable once (the primary key enforces it across processes)."""

    __tablename__ = "nonces"

    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class AuditRecord(Base):
    """Append-only, SM3 hash-chained record of an access to personal data or an admin action.

    ``hash = SM3(prev_hash ‖ canonical JSON of the record)``; ``seq`` is gapless, so a deleted,
    modified or reordered row breaks verification (``tongban audit verify``).
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(36))
    actor_kind: Mapped[str] = mapped_column(String(20))
    terminal: Mapped[str | None] = mapped_column(String(120), default=None)
    action: Mapped[str] = mapped_column(String(40))
    item: Mapped[str | None] = mapped_column(String(80), default=None)
    case_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    target: Mapped[str | None] = mapped_column(String(80), default=None)
    result: Mapped[str] = mapped_column(String(20))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's head (one row): the last seq and hash, and the anchor of purged records."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    anchor_seq: Mapped[int] = mapped_column(Integer, default=0)
    anchor_hash: Mapped[str] = mapped_column(String(64))
