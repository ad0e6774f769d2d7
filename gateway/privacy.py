"""Personal data: SM4-GCM sealing at rest and masking for responses and logs."""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_NONCE = 12
_TAG = 16


class Sealer:
    """Seal JSON documents with SM4-GCM (GB/T 32907); the key id travels with each row.

    Layout of a sealed value: 12-byte nonce ‖ ciphertext ‖ 16-byte tag. The case id is bound
    as associated data, so a sealed payload cannot be moved to another case unnoticed.

    Rotation: values are sealed with the current key; ``retired`` keys still open what they
    sealed (GCM's tag tells a wrong key from the right one: each is tried, current first)
    until ``tongban data reseal`` has sealed everything again with the current key.
    """

    def __init__(self, key: bytes, key_id: str, retired: Mapping[str, bytes] | None = None) -> None:
        keys = {key_id: key, **{k: v for k, v in (retired or {}).items() if k != key_id}}
        if any(len(k) != 16 for k in keys.values()):
            raise ValueError("SM4 keys are 128 bits")
        self._key = key
        self.key_id = key_id
        self._keys = list(keys.values())  # the current key first

    def seal(self, document: Any, *, bound_to: str) -> bytes:
        nonce = os.urandom(_NONCE)
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(bound_to.encode())
        body = encryptor.update(orjson.dumps(document)) + encryptor.finalize()
        return nonce + body + encryptor.tag

    def open(self, sealed: bytes, *, bound_to: str) -> Any:
        """The document; ``InvalidTag`` when no key opens it (or it was bound elsewhere)."""
        return self.opened(sealed, bound_to=bound_to)[0]

    def opened(self, sealed: bytes, *, bound_to: str) -> tuple[Any, bool]:
        """(the document, whether the current key sealed it): each key tried once."""
        *first, last = self._keys
        for key in first:
            try:
                return _open(key, sealed, bound_to), key is self._key
            except InvalidTag:
                continue
        return _open(last, sealed, bound_to), last is self._key


def _open(key: bytes, sealed: bytes, bound_to: str) -> Any:
    nonce, body, tag = sealed[:_NONCE], sealed[_NONCE:-_TAG], sealed[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(bound_to.encode())
    return orjson.loads(decryptor.update(body) + decryptor.finalize())


def mask_id(value: str) -> str:
    """``110105194912310021`` → ``110105********0021``: region kept, birth date hidden."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``."""
    return value[:1] + "*" * (len(value) - 1) if value else value


def mask_phone(value: str) -> str:
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * len(value)


def masked_person(person: dict[str, Any]) -> dict[str, str]:
    """The masked view of an applicant or person block, as responses show it."""
    out: dict[str, str] = {}
    if isinstance(person.get("name"), str):
        out["name"] = mask_name(person["name"])
    if isinstance(person.get("id_number"), str):
        out["id_number"] = mask_id(person["id_number"])
    if isinstance(person.get("phone"), str):
        out["phone"] = mask_phone(person["phone"])
    return out


def lookup_digest(secret_key: str, identifier: str) -> str:
    """Keyed SM3 of an identifier: equal inputs match, the value cannot be read back."""
    return hmac.new(secret_key.encode(), identifier.upper().encode(), "sm3").hexdigest()


def person_block(data: dict[str, Any]) -> dict[str, Any]:
    """The application's applicant (or person) block; empty when it names none."""
    for key in ("applicant", "person"):
        block = data.get(key)
        if isinstance(block, dict):
            return block
    return {}


def primary_identifier(data: dict[str, Any]) -> str | None:
    """The applicant's ID number, or the applying organisation's credit code."""
    for key in ("applicant", "person"):
        block = data.get(key)
        if isinstance(block, dict) and isinstance(block.get("id_number"), str):
            return str(block["id_number"])
    enterprise = data.get("enterprise")
    if isinstance(enterprise, dict) and isinstance(enterprise.get("credit_code"), str):
        return str(enterprise["credit_code"])
    return None
