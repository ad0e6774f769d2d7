"""Building blocks shared by many items: applicants, enterprises, case decisions."""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from schemas._fields import (
    Address,
    CertificateNumber,
    CreditCode,
    PersonName,
    Phone,
    PostalCode,
    ProvinceCode,
    ResidentId,
)

# C0 controls and DEL, but tab and line breaks: no name, number or text an item takes holds
# them, XML (the SOAP provinces) cannot carry them, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# JSON's interoperable integers (RFC 8259 §6); beyond 64 bits nothing downstream encodes them.
_SAFE_INTEGER = 2**53 - 1
# A date as JSON carries it (RFC 3339 full-date), nothing pydantic would also read as one.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def conflict(message: str, *fields: str) -> PydanticCustomError:
    """A check across fields, raised from a model validator: pydantic locates it at the model,
    so the fields it concerns travel in its context and the gateway names each of them."""
    return PydanticCustomError("fields_conflict", message, {"fields": fields})


@functools.cache
def _scalar_kinds(model: type[BaseModel]) -> dict[str, type]:
    """Each field typed ``bool``, ``int`` or ``date`` (optional or not), by name."""
    kinds: dict[str, type] = {}
    for name, field in model.model_fields.items():
        annotation: Any = field.annotation
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
            others = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = others[0] if len(others) == 1 else None
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        if annotation in (bool, int, dt.date):
            kinds[name] = annotation
    return kinds


class Strict(BaseModel):
    """Base for request models: unknown fields are an error, not silently dropped; text
    without control characters, integers within JSON's safe range."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _json_types(cls, value: Any, info: ValidationInfo) -> Any:
        """What pydantic's lax mode would coerce and the schema does not allow: ``"yes"`` or
        ``1`` for a boolean (a pledge given by accident), ``true`` for a number, a Unix
        timestamp or a date-time for a date."""
        kind = _scalar_kinds(cls).get(info.field_name or "")
        if kind is None or value is None:
            return value
        if kind is bool and not isinstance(value, bool):
            raise PydanticCustomError("bool_type", "Input should be true or false / 须为布尔值")
        if kind is int and isinstance(value, bool):
            raise PydanticCustomError("int_type", "Input should be an integer / 须为整数")
        if kind is dt.date and not (
            isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.match(value))
        ):
            raise PydanticCustomError("date_type", "Input should be a date, YYYY-MM-DD / 日期格式")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plain_values(cls, value: Any) -> Any:
        if isinstance(value, str) and _CONTROL.search(value):
            raise PydanticCustomError(
                "control_character", "Text must not contain control characters / 不得包含控制字符"
            )
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _SAFE_INTEGER:
            raise PydanticCustomError("integer_too_large", "Number is too large / 数值过大")
        if isinstance(value, list):
            for each in value:
                cls._plain_values(each)
        return value


class PersonRef(Strict):
    """Identifies a person for a lookup (查询人)."""

    name: PersonName
    id_number: ResidentId


class Applicant(Strict):
    """The natural person applying (申请人)."""

    name: PersonName
    id_number: ResidentId
    phone: Phone
    address: Address | None = None


class Enterprise(Strict):
    """A market entity applying (申请单位)."""

    name: str = Field(
        min_length=2,
        max_length=100,
        description="Registered name / 单位名称",
        examples=["广州市某某科技有限公司"],
    )
    credit_code: CreditCode
    legal_representative: PersonName
    contact_phone: Phone


class CaseDecision(BaseModel):
    """What a provincial system returns when it closes a case (办结结果).

    Every application's result model extends this; item-specific fields are optional,
    since not every provincial system returns them.
    """

    model_config = ConfigDict(extra="allow")

    decision_number: str | None = Field(
        default=None,
        description="Decision or certificate number / 办结文书编号",
        examples=["粤人社转〔2024〕00123号"],
    )
    decided_on: dt.date | None = Field(default=None, description="Date closed / 办结日期")
    decision_text: str | None = Field(default=None, description="Decision summary / 办理结果说明")


# --- appended: blocks shared across departments -------------------------------------------


class DeliveryMethod(StrEnum):
    """Same values as the counter receipt's result delivery (schemas._counter)."""

    online = "online"  # e-licence or e-document, no paper (电子送达)
    post = "post"  # mailed (EMS) to the address given (邮寄)
    pickup = "counter-pickup"  # collected at the counter that received the file (窗口领取)


class Delivery(Strict):
    """How the result (licence, certificate, card) reaches the applicant (送达方式)."""

    method: DeliveryMethod = Field(
        default=DeliveryMethod.online, description="Delivery method / 送达方式"
    )
    address: Address | None = Field(default=None, description="Mailing address / 邮寄地址")
    postal_code: PostalCode | None = Field(default=None, description="Postal code / 邮政编码")

    @model_validator(mode="after")
    def _address_for_post(self) -> Delivery:
        if self.method is DeliveryMethod.post and not self.address:
            raise conflict(
                "address is required for delivery by post / 邮寄送达须填写地址", "address"
            )
        return self


class BetweenProvinces(Strict):
    """Base for anything that moves from one province to another (转出地 → 转入地)."""

    origin_province: ProvinceCode = Field(description="Province moved from / 转出（迁出）地")
    destination_province: ProvinceCode = Field(description="Province moved to / 转入（迁入）地")

    @model_validator(mode="after")
    def _two_provinces(self) -> BetweenProvinces:
        if self.origin_province == self.destination_province:
            raise conflict(
                "origin_province equals destination_province; a move within one province "
                "is not inter-provincial / 转出地与转入地相同",
                "origin_province",
                "destination_province",
            )
        return self


class CertificateCheck(Strict):
    """Base for verification lookups of a certificate (证书查询核验)."""

    holder: PersonRef = Field(description="Certificate holder / 持证人")
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    certificate_number: CertificateNumber | None = Field(
        default=None, description="Number, if known / 证书编号（已知时填写）"
    )


class CertificateState(StrEnum):
    valid = "valid"
    expired = "expired"
    revoked = "revoked"
    not_found = "not-found"


class CertificateFound(BaseModel):
    """Base for the answer of a verification lookup."""

    state: CertificateState = Field(description="What the issuer's records say / 核验结论")
    certificate_number: str | None = Field(default=None, description="Number / 证书编号")
    issued_on: dt.date | None = Field(default=None, description="Date issued / 发证日期")
    issuer: str | None = Field(default=None, description="Issuing authority / 发证机关")


class CertificateDecision(CaseDecision):
    """Base for applications whose result is a certificate, licence or card (证照)."""

    certificate_number: str | None = Field(default=None, description="Number issued / 证照编号")
    valid_until: dt.date | None = Field(default=None, description="Valid until / 有效期至")
    elicence_id: str | None = Field(
        default=None, description="E-licence identifier, when issued electronically / 电子证照标识"
    )
    tracking_number: str | None = Field(
        default=None, description="Postal tracking number / 邮寄单号"
    )


class IssuedDocument(BaseModel):
    """A document generated at once by a query: a sealed certificate to download or check."""

    document_number: str = Field(description="Document number / 文书编号")
    issued_on: dt.date = Field(description="Date issued / 出具日期")
    verification_code: str | None = Field(
        default=None, description="Code to verify the document online / 验证码"
    )
    download_url: str | None = Field(default=None, description="Where to download it / 下载地址")


class Sex(StrEnum):
    """Sex as recorded on the ID card (GB/T 2261.1), e.g. for a newborn."""

    male = "male"
    female = "female"
