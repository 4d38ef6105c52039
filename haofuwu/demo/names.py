"""Word lists the demo data set draws from: Chinese names and mobile prefixes.

Surnames are weighted roughly by their frequency in Shandong (王, 张, 李 and 刘 together cover about a third of the
province). Given names follow the fashion of the decade a person was born in, so a grandmother is 秀英 and a
grandson 梓轩.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Surname and weight (per mille, rounded, after the 2020 census tables for Shandong), in order of frequency.
_SURNAME_TABLE = _words("""
王 92 张 83 李 80 刘 68 陈 30 杨 29 赵 27 孙 27 徐 22 马 21 高 19 于 18 郭 16 朱 15 吴 14 宋 13 韩 13
胡 12 周 12 曹 11 田 11 孔 10 魏 10 程 9 姜 9 崔 9 许 8 董 8 贾 8 郑 8 冯 7 吕 7 林 7 谢 6 侯 6 邢 6
丁 6 杜 6 秦 5 薛 5 石 5 任 5 袁 5 房 4 鲁 4 颜 3 毕 3 耿 3 牛 3 范 3
""")
SURNAMES: tuple[str, ...] = tuple(_SURNAME_TABLE[0::2])
SURNAME_WEIGHTS: tuple[int, ...] = tuple(int(weight) for weight in _SURNAME_TABLE[1::2])

# Given names by the period of birth: before 1965, 1965–1989, 1990 and later.
BIRTH_PERIODS = (1965, 1990)
MALE_GIVEN: tuple[tuple[str, ...], ...] = (
    _words("建国 国庆 振华 卫东 德胜 立新 永刚 志明 保国 广田 庆祥 学文 继军 洪亮 长海 明山"),
    _words("伟 强 磊 军 勇 涛 刚 斌 鹏 海涛 志强 建华 红军 学军 晓东 东升 明 波 健 新民 立军"),
    _words("浩然 子轩 宇航 俊杰 梓轩 一鸣 博文 宇 浩 鑫 凯 帅 天宇 子豪 嘉懿 皓轩 思远 昊天"),
)
FEMALE_GIVEN: tuple[tuple[str, ...], ...] = (
    _words("秀英 桂兰 玉兰 秀兰 凤英 淑珍 桂英 素梅 玉珍 秀珍 淑华 翠花 美荣 爱华 兰芝"),
    _words("丽 静 敏 燕 艳 娟 霞 红梅 丽娟 海燕 晓红 雪梅 春燕 玲 芳 慧 婷 晓燕 丽萍"),
    _words("欣怡 梓涵 诗涵 雨桐 子涵 佳怡 一诺 梦琪 思琪 雨萱 可馨 紫萱 悦 琳 璐 雪 晨曦"),
)

# Mobile number segments of the three mainland carriers (MIIT numbering plan).
MOBILE_PREFIXES: tuple[str, ...] = _words(
    "134 135 136 137 138 139 150 151 152 157 158 159 182 183 187 188 "  # China Mobile
    "130 131 132 155 156 185 186 "  # China Unicom
    "133 153 177 180 181 189 199"  # China Telecom
)
