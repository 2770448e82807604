"""Labels of the records by model value: the notice's own (gettext msgids), and a few more.

The records are the controller's internal document, for itself and the supervisory authority
(Art 30(4)): a label the notice words to the person it informs ("your explicit consent", "a
contract with you") has the records' own wording here, which names the data subject instead.
"""

from __future__ import annotations

from notice.model import Art9Condition, Art22Ground, Art49Ground
from notice.render import (
    ART9_CONDITIONS,
    ART22_GROUNDS,
    ART49_GROUNDS,
    LEGAL_BASES,
    N_,
    RECIPIENT_ROLES,
    SCC_MODULES,
    TRANSFER_MECHANISMS,
)

BASES: dict[str, str] = {basis.value: label for basis, label in LEGAL_BASES.items()}
ROLES: dict[str, str] = {role.value: label for role, label in RECIPIENT_ROLES.items()}
MECHANISMS: dict[str, str] = {mech.value: label for mech, label in TRANSFER_MECHANISMS.items()}

_ART9_IN_RECORDS: dict[Art9Condition, str] = {
    Art9Condition.explicit_consent: N_("the data subject's explicit consent (Article 9(2)(a))"),
    Art9Condition.made_public: N_(
        "data manifestly made public by the data subject (Article 9(2)(e))"
    ),
}
_ART49_IN_RECORDS: dict[Art49Ground, str] = {
    Art49Ground.explicit_consent: N_("the data subject's explicit consent (Article 49(1)(a))"),
    Art49Ground.contract: N_("performing a contract with the data subject (Article 49(1)(b))"),
    Art49Ground.contract_in_interest: N_(
        "a contract made in the data subject's interest (Article 49(1)(c))"
    ),
}
_ART22_IN_RECORDS: dict[Art22Ground, str] = {
    Art22Ground.contract: N_("necessary for a contract with the data subject (Article 22(2)(a))"),
    Art22Ground.explicit_consent: N_("the data subject's explicit consent (Article 22(2)(c))"),
}

CONDITIONS: dict[str, str] = {
    cond.value: label for cond, label in {**ART9_CONDITIONS, **_ART9_IN_RECORDS}.items()
}
DEROGATIONS: dict[str, str] = {
    ground.value: label for ground, label in {**ART49_GROUNDS, **_ART49_IN_RECORDS}.items()
}
DECISION_GROUNDS: dict[str, str] = {
    ground.value: label for ground, label in {**ART22_GROUNDS, **_ART22_IN_RECORDS}.items()
}
SCC_MODULES: dict[str, str] = {module.value: label for module, label in SCC_MODULES.items()}

CRIMINAL = N_("Criminal convictions and offences (Article 10)")
PUBLIC_SOURCE = N_("publicly accessible")
NO_MECHANISM = N_("no transfer mechanism stated")
LOGIC = N_("Logic")
SIGNIFICANCE = N_("Significance")
CONSEQUENCES = N_("Consequences")
GROUND = N_("Ground")
SAFEGUARDS = N_("Safeguards")
