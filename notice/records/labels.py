"""Fixed labels of the records that the notice pages do not already have (gettext msgids)."""

from __future__ import annotations

from notice.model import Art9Condition, Art22Ground, Art49Ground
from notice.render import LEGAL_BASES, N_, RECIPIENT_ROLES, TRANSFER_MECHANISMS

BASES: dict[str, str] = {basis.value: label for basis, label in LEGAL_BASES.items()}
ROLES: dict[str, str] = {role.value: label for role, label in RECIPIENT_ROLES.items()}
MECHANISMS: dict[str, str] = {mech.value: label for mech, label in TRANSFER_MECHANISMS.items()}

ART9_LETTERS: dict[str, str] = {
    condition.value: letter for condition, letter in zip(Art9Condition, "abcdefghij", strict=True)
}
"""Art 9(2) point of each condition, in the order of the article."""

ART9_CONDITIONS: dict[str, str] = {
    Art9Condition.explicit_consent: N_("explicit consent"),
    Art9Condition.employment_and_social_security: N_("employment and social security law"),
    Art9Condition.vital_interests: N_("vital interests"),
    Art9Condition.not_for_profit_body: N_("not-for-profit body"),
    Art9Condition.made_public: N_("made public by the data subject"),
    Art9Condition.legal_claims: N_("legal claims"),
    Art9Condition.substantial_public_interest: N_("substantial public interest"),
    Art9Condition.health_or_social_care: N_("health or social care"),
    Art9Condition.public_health: N_("public health"),
    Art9Condition.archiving_research_statistics: N_("archiving, research or statistics"),
}

ART49_LETTERS: dict[str, str] = {
    Art49Ground.explicit_consent: "1(a)",
    Art49Ground.contract: "1(b)",
    Art49Ground.contract_in_interest: "1(c)",
    Art49Ground.public_interest: "1(d)",
    Art49Ground.legal_claims: "1(e)",
    Art49Ground.vital_interests: "1(f)",
    Art49Ground.public_register: "1(g)",
    Art49Ground.compelling_legitimate_interests: "1, second subparagraph",
}
"""Art 49 point of each derogation ground whose point is certain; others show their name."""

ART22_GROUNDS: dict[str, str] = {
    Art22Ground.contract: N_("necessary for a contract (Article 22(2)(a))"),
    Art22Ground.law: N_("authorised by law (Article 22(2)(b))"),
    Art22Ground.explicit_consent: N_("explicit consent (Article 22(2)(c))"),
}

CRIMINAL = N_("Criminal convictions and offences (Article 10)")
PUBLIC_SOURCE = N_("publicly accessible")
NO_MECHANISM = N_("no transfer mechanism stated")
LOGIC = N_("Logic")
SIGNIFICANCE = N_("Significance")
CONSEQUENCES = N_("Consequences")
GROUND = N_("Ground")
SAFEGUARDS = N_("Safeguards")
