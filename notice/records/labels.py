"""Labels of the records by model value: the notice's own (gettext msgids), and a few more."""

from __future__ import annotations

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
CONDITIONS: dict[str, str] = {cond.value: label for cond, label in ART9_CONDITIONS.items()}
DEROGATIONS: dict[str, str] = {ground.value: label for ground, label in ART49_GROUNDS.items()}
DECISION_GROUNDS: dict[str, str] = {ground.value: label for ground, label in ART22_GROUNDS.items()}
SCC_MODULES: dict[str, str] = {module.value: label for module, label in SCC_MODULES.items()}

CRIMINAL = N_("Criminal convictions and offences (Article 10)")
PUBLIC_SOURCE = N_("publicly accessible")
NO_MECHANISM = N_("no transfer mechanism stated")
LOGIC = N_("Logic")
SIGNIFICANCE = N_("Significance")
CONSEQUENCES = N_("Consequences")
GROUND = N_("Ground")
SAFEGUARDS = N_("Safeguards")
