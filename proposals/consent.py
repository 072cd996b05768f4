"""The consent notice of the public form (개인정보 수집·이용 동의), versioned.

The Personal Information Protection Act (개인정보 보호법 제15조 제2항) asks for four elements:
the purpose, the items collected, the retention period, and the right to refuse with what
refusing means. A proposal stores the version it was given under; a changed text gets a new
version, and the old texts stay here so any stored consent can be shown as it was.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentNotice:
    version: str
    purpose: str
    items: str
    retention: str
    retention_years: int
    refusal: str


NOTICES: dict[str, ConsentNotice] = {
    "2016-1": ConsentNotice(
        version="2016-1",
        purpose="구민 제안의 접수·검토·심사 결과 안내와 시상, 채택 제안의 실시 안내",
        items="(필수) 성명, 거주 동, 연락처(휴대전화 또는 전자우편 중 하나 이상)",
        retention="접수일로부터 3년간 보유하며, 기간이 끝나면 지체 없이 파기(익명 처리)합니다",
        retention_years=3,
        refusal=(
            "개인정보 수집·이용에 동의하지 않을 권리가 있습니다. 다만 동의하지 않으면 "
            "제안 접수와 결과 안내를 할 수 없습니다. 이름 없이 의견만 전하시려면 "
            "구청 민원 창구를 이용해 주세요."
        ),
    ),
}
CURRENT_VERSION = "2016-1"


def current_notice() -> ConsentNotice:
    return NOTICES[CURRENT_VERSION]


def notice(version: str) -> ConsentNotice:
    return NOTICES[version]
