"""The 31 mainland provincial-level divisions, keyed by GB/T 2260 code.

A short fixed table: the codes have not changed since Chongqing (500000) in 1997.
"""

from __future__ import annotations

from typing import NamedTuple


class ProvinceName(NamedTuple):
    zh: str
    en: str


PROVINCES: dict[str, ProvinceName] = {
    "110000": ProvinceName("北京市", "Beijing"),
    "120000": ProvinceName("天津市", "Tianjin"),
    "130000": ProvinceName("河北省", "Hebei"),
    "140000": ProvinceName("山西省", "Shanxi"),
    "150000": ProvinceName("内蒙古自治区", "Inner Mongolia"),
    "210000": ProvinceName("辽宁省", "Liaoning"),
    "220000": ProvinceName("吉林省", "Jilin"),
    "230000": ProvinceName("黑龙江省", "Heilongjiang"),
    "310000": ProvinceName("上海市", "Shanghai"),
    "320000": ProvinceName("江苏省", "Jiangsu"),
    "330000": ProvinceName("浙江省", "Zhejiang"),
    "340000": ProvinceName("安徽省", "Anhui"),
    "350000": ProvinceName("福建省", "Fujian"),
    "360000": ProvinceName("江西省", "Jiangxi"),
    "370000": ProvinceName("山东省", "Shandong"),
    "410000": ProvinceName("河南省", "Henan"),
    "420000": ProvinceName("湖北省", "Hubei"),
    "430000": ProvinceName("湖南省", "Hunan"),
    "440000": ProvinceName("广东省", "Guangdong"),
    "450000": ProvinceName("广西壮族自治区", "Guangxi"),
    "460000": ProvinceName("海南省", "Hainan"),
    "500000": ProvinceName("重庆市", "Chongqing"),
    "510000": ProvinceName("四川省", "Sichuan"),
    "520000": ProvinceName("贵州省", "Guizhou"),
    "530000": ProvinceName("云南省", "Yunnan"),
    "540000": ProvinceName("西藏自治区", "Tibet"),
    "610000": ProvinceName("陕西省", "Shaanxi"),
    "620000": ProvinceName("甘肃省", "Gansu"),
    "630000": ProvinceName("青海省", "Qinghai"),
    "640000": ProvinceName("宁夏回族自治区", "Ningxia"),
    "650000": ProvinceName("新疆维吾尔自治区", "Xinjiang"),
}
