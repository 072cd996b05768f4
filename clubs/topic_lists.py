"""The topic lists a club picks from (SPEC §4): 'Vision 2018 창조도시 중구 10대 핵심과제' and a
sample of the district head's 106 pledges 민선6기 구청장 공약사항.

The plan names both lists but its text does not give their items, so every title here is
sample wording (stored with is_sample=True) written to fit the plan's themes; admins replace
them with the office's own text in Django admin (the numbers stay stable)."""

VISION_2018 = [
    "도심 재생으로 활력 있는 창조도시 중구",
    "전통시장·소상공인 살리기와 좋은 일자리 만들기",
    "세계인이 찾는 관광·문화 명소 중구",
    "촘촘한 맞춤형 복지 안전망",
    "재난과 범죄로부터 안전한 생활환경",
    "아이 키우기 좋은 교육·보육 환경",
    "깨끗한 환경과 푸른 녹지 공간",
    "걷기 편한 길, 교통·주차 불편 해소",
    "주민이 참여하는 소통·협치 구정",
    "건전 재정과 세입 확충으로 일 잘하는 구청",
]
PLEDGES = [
    "전통시장 시설 현대화와 공동 마케팅 지원",
    "골목상권 활성화를 위한 특화거리 조성",
    "어르신 일자리 확대와 경로당 기능 강화",
    "국공립 어린이집 확충",
    "1인 가구·홀몸 어르신 안부 확인 서비스",
    "CCTV 확충과 안심귀갓길 조성",
    "노후 주택가 주거환경 개선",
    "공영주차장 확충과 거주자 우선주차 개선",
    "남산·도심 산책로 연결과 녹지 확충",
    "외국인 관광객 안내 체계 개선",
    "동 주민센터 복지 기능 강화",
    "주민참여예산 확대와 구정 정보 공개",
]
