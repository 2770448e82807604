"""Cookies declared exempt from consent that cannot be: Google Analytics and third-party trackers.

The ePrivacy rule (Finland: 917/2014 s 205) exempts only what is strictly necessary for the service
the visitor asked for. The proposed GDPR Art 88a (Digital Omnibus, COM(2025) 837; `cookie_rules:
omnibus_88a` in site.yaml) adds the site's own aggregated audience measurement, and only where
the data is never shared (EDPB-EDPS Joint Opinion 2/2026 ¶101–106). Under either rule, a cookie
of Google Analytics or of any third party is not exempt: declared `necessary`, the banner would
set it without asking.
"""

from __future__ import annotations

from collections.abc import Iterator

from notice.checks.context import Context
from notice.checks.findings import Hit

GOOGLE_PREFIXES = ("_ga", "_gid", "_gat", "_gcl")
"""Cookie names Google's tags set."""


def tracker_declared_exempt(ctx: Context) -> Iterator[Hit]:
    """Find a necessary cookie that is Google Analytics' or a third party's."""
    for index, cookie in enumerate(ctx.site.cookies):
        if cookie.category.value != "necessary":
            continue
        google = cookie.name.startswith(GOOGLE_PREFIXES) or "google" in cookie.provider.casefold()
        if google or cookie.party.value == "third":
            yield Hit(
                ("cookies", index, "category"),
                owner="site",
                params={"name": cookie.name, "rules": ctx.site.cookie_rules},
            )


MESSAGE = {
    "en": "cookie {name} is declared necessary, but Google Analytics and third-party "
    "trackers need consent under `cookie_rules: {rules}`",
    "fi": "eväste {name} on merkitty välttämättömäksi, mutta Google Analytics ja kolmansien "
    "osapuolten seurantaevästeet tarvitsevat suostumuksen (`cookie_rules: {rules}`)",
    "sv": "kakan {name} anges som nödvändig, men Google Analytics och tredje parters "
    "spårningskakor kräver samtycke (`cookie_rules: {rules}`)",
}
HINT = {
    "en": "set `category: analytics` (or `marketing`); only the site's own aggregated "
    "audience measurement, never shared, may go without consent under omnibus_88a",
    "fi": "aseta `category: analytics` (tai `marketing`); vain sivuston oma, koottu "
    "kävijämittaus, jota ei jaeta, voi olla ilman suostumusta (omnibus_88a)",
    "sv": "ange `category: analytics` (eller `marketing`); bara webbplatsens egen "
    "sammanställda besöksmätning, som aldrig delas, får ske utan samtycke (omnibus_88a)",
}
SOURCE = "917/2014 s 205; proposed GDPR Art 88a (COM(2025) 837); EDPB-EDPS JO 2/2026 ¶101–106"
EXAMPLE = "cookies:\n  - name: _ga\n    category: analytics"
