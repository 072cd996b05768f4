"""The schedule table of the 2016 plan (일정별 추진 계획, SPEC §6), as plain data.

Used by ``plan_year_ensure`` when a year has no plan yet (the data migration that seeded 2016
and 2026 keeps its own frozen copy). Codes name the activities the portal acts on."""

ALL_YEAR = list(range(1, 13))

# (code, name, months)
STANDARD_ACTIVITIES: list[tuple[str, str, list[int]]] = [
    ("plan", "{year} 창의구정 추진계획", [1]),
    ("board", "지식통합게시판 『지식나눔』 구축", [2]),
    ("clubs", "학습동아리 구성 및 운영", list(range(2, 13))),
    ("knowledge_day", "지식등록의 날 운영", [3, 6, 9]),
    ("theme_proposals", "맞춤형 테마제안 운영", [4, 10]),
    ("best_practice_contest", "창의행정우수사례 경진대회", [9]),
    ("policy_contest", "구민정책제안 공모 및 콘테스트", [8, 9, 10]),
    ("club_review", "학습동아리 연구성과 심사", [11]),
    ("review_committee", "구민창안심사위원회", [5, 11]),
    ("proposals", "구민 및 직원 제안 모집", ALL_YEAR),
    ("benchmarking", "언론보도 벤치마킹", ALL_YEAR),
]

BUDGET_2016_THOUSAND_WON = 31_945
