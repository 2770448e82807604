"""What identification a register asks for a right (the content's `identification`).

It lives in the content, beside the register's rights and restrictions, because proportionality is
a property of the data (EDPB 01/2022): a patient register needs more than a newsletter list, and the
notice can say in advance how people will be identified. The portal's settings only say which
provider does strong identification.
"""

from __future__ import annotations

from notice.model import Identification, Register, Right


def required(register: Register, right: str) -> Identification:
    """Return the identification `register` asks for `right` (e-mail when it says nothing)."""
    try:
        model_right = Right(right)
    except ValueError:
        return Identification.email
    return register.identification.get(model_right, Identification.email)


def strong_before_accept(register: Register, right: str) -> bool:
    """Return whether a request is accepted only after strong identification."""
    return required(register, right) == Identification.strong_before_accept


def strong_before_release(register: Register, right: str) -> bool:
    """Return whether an answer's files are released only after strong identification."""
    return required(register, right) == Identification.strong_before_release
