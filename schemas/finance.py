"""Finance (财政) items: accounting qualification certificates."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas._common import CertificateCheck, CertificateFound
from schemas._items import EX_PERSON, INSTANT, STANDARD, examples, role
from schemas._model import Department, Kind, Mode, ServiceItem, Subject


class AccountingLevel(StrEnum):
    junior = "junior"  # 初级会计专业技术资格
    intermediate = "intermediate"  # 中级
    senior = "senior"  # 高级


class AccountingCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "110000",
            "certificate_number": "Z11201900012",
        }
    )


class AccountingFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "Z11201900012",
            "issued_on": "2019-12-10",
            "issuer": "北京市财政局",
            "level": "intermediate",
            "passed_year": 2019,
        }
    )

    level: AccountingLevel | None = Field(default=None, description="Level / 资格级别")
    passed_year: int | None = Field(default=None, ge=1990, description="Year passed / 取得年度")


ACCOUNTING_QUALIFICATION_LOOKUP = ServiceItem(
    code="accounting-qualification-lookup",
    name_zh="会计专业技术资格证书查询核验",
    name_en="Accounting qualification certificate verification",
    department=Department.finance,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=AccountingCheck,
    result_model=AccountingFound,
    summary_zh="核验初级、中级、高级会计专业技术资格证书，用于求职和职称评审。",
    summary_en="Check an accounting qualification, e.g. for a job or a title review.",
    cancellable=False,
)


ITEMS: tuple[ServiceItem, ...] = (ACCOUNTING_QUALIFICATION_LOOKUP,)
