"""Commerce (商务) items: foreign investment information reports (外商投资信息报告)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from schemas._common import CaseDecision, Enterprise, Strict
from schemas._fields import CountryCode, PastDate, ProvinceCode
from schemas._items import BUSINESS_LICENCE, EX_ENTERPRISE, STANDARD, examples, limits, role
from schemas._model import Department, Kind, Mode, ServiceItem, Subject

MOFCOM = Department.commerce


class ChangedMatter(StrEnum):
    investors = "investors"  # 投资者及其出资
    actual_controller = "actual-controller"  # 实际控制人
    registered_capital = "registered-capital"  # 注册资本
    basic_details = "basic-details"  # 企业基本信息


class InvestmentChangeReport(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "registration_province": "440000",
            "matters": ["investors"],
            "changed_on": "2024-04-30",
            "investor_country": "SG",
            "foreign_share": "45.00",
        }
    )

    enterprise: Enterprise
    registration_province: ProvinceCode = Field(description="Province registered in / 登记地")
    matters: list[ChangedMatter] = Field(min_length=1, description="What changed / 变更事项")
    changed_on: PastDate = Field(description="Date of the change / 变更日期")
    investor_country: CountryCode | None = Field(
        default=None, description="Foreign investor's country / 外国投资者国别"
    )
    foreign_share: Decimal | None = Field(
        default=None,
        ge=0,
        le=100,
        decimal_places=2,
        description="Foreign share, percent / 外资持股比例（%）",
    )


class InvestmentChangeReportResult(CaseDecision):
    model_config = examples({"decided_on": "2024-05-06", "report_number": "WZBG440000202405060012"})

    report_number: str | None = Field(default=None, description="Report number / 报告编号")


FOREIGN_INVESTMENT_CHANGE_REPORT = ServiceItem(
    code="foreign-investment-change-report",
    name_zh="外商投资信息报告（变更报告）",
    name_en="Foreign investment information change report",
    department=MOFCOM,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "registration_province",
            "登记地商务主管部门",
            "Commerce authority where registered",
        ),
    ),
    time_limits=limits(None, 0, "filed online at once / 即时办结"),
    materials=(BUSINESS_LICENCE,),
    source=STANDARD,
    request_model=InvestmentChangeReport,
    result_model=InvestmentChangeReportResult,
    summary_zh="外商投资企业投资者等信息变更后在线报送变更报告。",
    summary_en="Foreign-invested enterprises report changes of investors and other details online.",
)


ITEMS: tuple[ServiceItem, ...] = (FOREIGN_INVESTMENT_CHANGE_REPORT,)
