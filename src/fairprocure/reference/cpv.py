"""CPV 2008 codes: recognising one in messy input."""

from __future__ import annotations


def normalise_cpv(code: object) -> str | None:
    """Return the 8 leading digits of a CPV code such as ``'03000000-1'`` or ``'15861000'``, else None."""
    if code is None:
        return None
    text = str(code).strip()
    digits, _, check = text.partition("-")
    if check and not (len(check) == 1 and check.isdigit()):
        return None  # "32121701-003" is some other catalogue's code, not CPV with its check digit
    digits = digits.replace(" ", "").replace(".", "")
    if len(digits) == 7 and digits.isdigit():  # leading zero lost in a spreadsheet
        digits = "0" + digits
    if len(digits) != 8 or not digits.isdigit():
        return None
    return digits
