"""What a counter terminal records when it receives an application for another province
(异地代收代办: receiving is separated from handling; competence does not move)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from schemas._common import Strict, conflict
from schemas._fields import Address, Phone, ProvinceCode
from schemas._model import TrustLevel


class IdentityCheck(Strict):
    method: Literal["id-card-reader", "face-match", "manual"] = Field(
        description="How staff checked the applicant's identity / 身份核验方式"
    )
    passed: bool = Field(description="The check passed / 核验通过")


class ReceivedMaterial(Strict):
    code: str = Field(min_length=1, max_length=60, description="Material code from the item")
    trust_level: TrustLevel = Field(description="E-licence trust level as received / 可信等级")
    elicence_number: str | None = Field(
        default=None, max_length=80, description="E-licence (电子证照) number, when one was used"
    )
    original_checked: bool = Field(
        default=False, description="Staff saw the paper original / 已核验原件"
    )


class DeliveryMethod(StrEnum):
    post = "post"  # 邮寄
    pickup = "counter-pickup"  # 窗口领取
    online = "online"  # 电子送达


class ResultDelivery(Strict):
    method: DeliveryMethod = DeliveryMethod.online
    address: Address | None = Field(default=None, description="Postal address (for post)")
    recipient_phone: Phone | None = None

    @model_validator(mode="after")
    def _address_for_post(self) -> ResultDelivery:
        if self.method is DeliveryMethod.post and not self.address:
            raise conflict(
                "address is required when the result is posted / 邮寄需填写地址", "address"
            )
        return self


class CounterReceipt(Strict):
    """The receiving counter's record: who received what, where, and how it checked."""

    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "receiving_province": "440000",
                    "service_point": "广州市天河区政务服务中心 3号窗口",
                    "staff_id": "GZTH-0312",
                    "identity_check": {"method": "id-card-reader", "passed": True},
                    "materials": [
                        {"code": "id-card", "trust_level": "B", "original_checked": True}
                    ],
                    "result_delivery": {
                        "method": "post",
                        "address": "广东省广州市天河区体育西路1号",
                        "recipient_phone": "13800138000",
                    },
                }
            ]
        }
    }

    receiving_province: ProvinceCode = Field(description="Province of the counter / 代收地")
    service_point: str = Field(min_length=2, max_length=100, description="窗口 / 服务网点")
    staff_id: str = Field(min_length=1, max_length=40, description="Receiving staff / 受理人员")
    identity_check: IdentityCheck
    materials: list[ReceivedMaterial] = Field(default_factory=list, max_length=50)
    result_delivery: ResultDelivery = Field(default_factory=ResultDelivery)
