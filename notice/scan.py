"""`notice scan`: what a site really stores and contacts, held against what its notice declares.

Chromium (Debian's, driven by Playwright) visits the given pages three times, each in a fresh
profile: before any consent, after accepting everything, after refusing everything (through the
banner's own API, `CookieConsent.acceptCategory`). It records the cookies and local-storage items
each visit leaves and every host the pages contact before consent. The comparison with
`site.yaml`'s cookie list gives checker findings, located at the line of the cookie they concern:
stored but not declared, declared but never seen, stored before consent (or after refusal) while
not `necessary`, kept longer than declared, and other hosts contacted before consent.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from notice.banner import matches
from notice.checks.findings import Finding, Severity
from notice.checks.rules import swedish_messages
from notice.durations import DAY, SESSION, declared_seconds
from notice.loader import Content
from notice.model import Cookie, CookieCategory
from notice.render import asks_consent

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync")
TIMEOUT_MS = 30_000
SETTLE_MS = 1_500
"""How long a page may keep loading after its load event (late scripts, beacons)."""
DURATION_SLACK = DAY
"""A cookie may outlive its declared duration by this much (rounding of days and months)."""

Phase = Literal["before", "accept", "reject"]
PHASES: tuple[Phase, ...] = ("before", "accept", "reject")
_PHASE_WORDS = {
    "before": {"en": "before consent", "fi": "ennen suostumusta", "sv": "före samtycke"},
    "accept": {
        "en": "after accepting all",
        "fi": "kaikkien hyväksymisen jälkeen",
        "sv": "efter att allt godkänts",
    },
    "reject": {
        "en": "after rejecting all",
        "fi": "kaikkien hylkäämisen jälkeen",
        "sv": "efter att allt avvisats",
    },
}

_SETUP_HINT = "run `make setup-test` (Playwright and Debian's chromium) and scan again"


class ScanError(Exception):
    """The scan could not run or a page could not be loaded; the message says what to do."""


class ScanSetupError(ScanError):
    """The browser tools are not installed (a runtime-only install); the message says which."""


@dataclass(frozen=True)
class Seen:
    """A cookie or local-storage item found after a visit."""

    name: str
    kind: Literal["cookie", "storage"]
    phase: Phase
    url: str
    seconds: int | None = None
    """Remaining lifetime of a cookie (None: ends with the session, or not a cookie)."""


@dataclass
class Observation:
    """Everything one scan saw."""

    urls: list[str]
    seen: list[Seen] = field(default_factory=list)
    hosts: dict[str, str] = field(default_factory=dict)
    """Other hosts contacted before consent → the first page that contacted them."""
    no_banner: list[str] = field(default_factory=list)
    """Pages where no banner answered, so consent could be neither given nor refused."""


# --- the browser ---------------------------------------------------------------------------------


def observe(urls: Sequence[str], chromium: Path = CHROMIUM) -> Observation:
    """Visit `urls` in Chromium before consent, after accepting and after rejecting."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ScanSetupError(
            f"`notice scan` needs Playwright, which is not installed; {_SETUP_HINT}"
        ) from None
    if not chromium.is_file():
        raise ScanSetupError(f"`notice scan` needs Chromium at {chromium}; {_SETUP_HINT}")
    result = Observation(list(urls))
    first_party = {urlsplit(url).netloc for url in urls}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium), headless=True, args=list(CHROMIUM_ARGS)
            )
            try:
                for phase in PHASES:
                    _visit(browser, phase, result, first_party)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ScanError(str(exc).splitlines()[0]) from None
    return result


def _visit(browser: Any, phase: Phase, result: Observation, first_party: set[str]) -> None:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    current = {"url": ""}
    if phase == "before":

        def on_request(request: Any) -> None:
            netloc = urlsplit(request.url).netloc
            if netloc and netloc not in first_party and urlsplit(request.url).scheme != "data":
                result.hosts.setdefault(netloc, current["url"])

        context.on("request", on_request)
    try:
        page = context.new_page()
        if phase != "before":
            current["url"] = result.urls[0]
            _load(page, result.urls[0])
            if not _answer(page, phase):
                if result.urls[0] not in result.no_banner:
                    result.no_banner.append(result.urls[0])
                return
        for url in result.urls:
            current["url"] = url
            _load(page, url)
            keys = page.evaluate(_STORAGE_KEYS)
            result.seen.extend(Seen(key, "storage", phase, url) for key in keys)
            result.seen.extend(_cookies(context.cookies(), phase, url))
    finally:
        context.close()


def _load(page: Any, url: str) -> None:
    response = page.goto(url, wait_until="load")
    if response is not None and response.status >= 400:
        raise ScanError(f"{url} answered HTTP {response.status}")
    try:
        page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
    except Exception:  # noqa: BLE001 - a page that never goes quiet is scanned as it is
        pass


_STORAGE_KEYS = "() => { try { return Object.keys(localStorage); } catch (e) { return []; } }"

_ANSWER = """async (choice) => {
    for (let i = 0; i < 50 && !(window.CookieConsent && window.CookieConsent.getConfig); i++) {
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    if (!window.CookieConsent || !window.CookieConsent.getConfig) { return false; }
    window.CookieConsent.acceptCategory(choice);
    return true;
}"""


def _answer(page: Any, phase: Phase) -> bool:
    """Accept or reject everything through the banner; False when the page has no banner."""
    return bool(page.evaluate(_ANSWER, "all" if phase == "accept" else []))


def _cookies(cookies: Iterable[dict[str, Any]], phase: Phase, url: str) -> list[Seen]:
    now = time.time()
    found = []
    for cookie in cookies:
        expires = cookie.get("expires", -1)
        seconds = None if expires is None or expires < 0 else max(0, round(expires - now))
        found.append(Seen(cookie["name"], "cookie", phase, url, seconds))
    return found


# --- the comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    id: str
    severity: Severity
    message: dict[str, str]
    hint: dict[str, str]


RULES: dict[str, _Rule] = {
    rule.id: rule
    for rule in (
        _Rule(
            "scan-undeclared",
            Severity.error,
            {
                "en": "{kind} {name} is stored ({phase}, {url}) but the cookie list does not "
                "declare it",
                "fi": "{kind} {name} tallennetaan ({phase}, {url}), mutta evästeluettelo ei "
                "mainitse sitä",
            },
            {
                "en": "add it to `cookies` with its purpose, category and duration, or stop "
                "setting it",
                "fi": "lisää se `cookies`-luetteloon tarkoituksineen, luokkineen ja kestoineen, "
                "tai lopeta sen tallentaminen",
            },
        ),
        _Rule(
            "scan-not-seen",
            Severity.warning,
            {
                "en": "cookie {name} is declared but no scanned page stored it",
                "fi": "eväste {name} on luettelossa, mutta mikään skannattu sivu ei "
                "tallentanut sitä",
            },
            {
                "en": "scan the pages that set it (some set it only after consent to "
                "a service that loads it, or at a sign-in), or remove it from the list if "
                "no page of the site sets it",
                "fi": "skannaa sivut, jotka asettavat sen (osa vasta suostumuksen jälkeen "
                "ladattavan palvelun tai kirjautumisen yhteydessä), tai poista se "
                "luettelosta, jos mikään sivuston sivu ei aseta sitä",
            },
        ),
        _Rule(
            "scan-before-consent",
            Severity.error,
            {
                "en": "{kind} {name} ({category}) is stored {phase} ({url}); only necessary "
                "cookies may be",
                "fi": "{kind} {name} ({category}) tallennetaan {phase} ({url}); vain "
                "välttämättömät evästeet saa",
            },
            {
                "en": "gate the script that sets it with "
                '`type="text/plain" data-category="{key}"`, or correct its category',
                "fi": "estä sen asettava skripti merkinnällä "
                '`type="text/plain" data-category="{key}"` tai korjaa sen luokka',
            },
        ),
        _Rule(
            "scan-duration",
            Severity.error,
            {
                "en": "cookie {name} is kept for {observed} but the notice declares {declared}",
                "fi": "eväste {name} säilyy {observed}, mutta selosteen mukaan {declared}",
            },
            {
                "en": "declare the real duration, or shorten the cookie's lifetime",
                "fi": "ilmoita todellinen kesto tai lyhennä evästeen voimassaoloa",
            },
        ),
        _Rule(
            "scan-third-party-host",
            Severity.error,
            {
                "en": "{host} is contacted before consent (from {url})",
                "fi": "palvelimeen {host} otetaan yhteyttä ennen suostumusta (sivulta {url})",
            },
            {
                "en": "serve the resource from your own site, or load it only after consent",
                "fi": "tarjoa resurssi omalta sivustoltasi tai lataa se vasta suostumuksen jälkeen",
            },
        ),
        _Rule(
            "scan-no-banner",
            Severity.warning,
            {
                "en": "no consent banner answered on {url}, so consent could be neither given "
                "nor refused",
                "fi": "sivulla {url} ei vastannut suostumusbanneri, joten suostumusta ei voitu "
                "antaa eikä evätä",
            },
            {
                "en": "add the banner (consent/snippet.txt of the built notice site)",
                "fi": "lisää banneri (rakennetun selostesivuston consent/snippet.txt)",
            },
        ),
    )
}

_KINDS = {
    "cookie": {"en": "cookie", "fi": "eväste", "sv": "kakan"},
    "storage": {
        "en": "local storage item",
        "fi": "paikallisen tallennustilan kohde",
        "sv": "posten i lokal lagring",
    },
}
_CATEGORY_WORDS = {
    CookieCategory.necessary: {"en": "necessary", "fi": "välttämätön", "sv": "nödvändig"},
    CookieCategory.preferences: {"en": "preferences", "fi": "asetukset", "sv": "inställningar"},
    CookieCategory.analytics: {"en": "analytics", "fi": "analytiikka", "sv": "analys"},
    CookieCategory.marketing: {"en": "marketing", "fi": "markkinointi", "sv": "marknadsföring"},
}


def compare(observation: Observation, content: Content) -> list[Finding]:
    """Return the findings of an observation against the notice's cookie list."""
    cookies = list(content.site.cookies)
    findings: list[Finding] = []
    reported: set[tuple[str, ...]] = set()

    swedish = swedish_messages()

    def add(rule_id: str, key_path: tuple[str | int, ...], **params: Any) -> None:
        rule = RULES[rule_id]
        path, line = content.locate("site", key_path)
        # The Swedish texts live with every other rule's, in the checker's messages_sv.yaml.
        message_texts = {**rule.message, "sv": swedish[rule_id]["message"]}
        hint_texts = {**rule.hint, "sv": swedish[rule_id]["hint"]}
        message = {lang: _fill(text, params, lang) for lang, text in message_texts.items()}
        hint = {lang: _fill(text, params, lang) for lang, text in hint_texts.items()}
        findings.append(
            Finding(rule.id, rule.severity, "site", key_path, path, line, None, message, hint)
        )

    for item in observation.seen:
        index = _declared(cookies, item.name)
        if index is None:
            if _once(reported, "undeclared", item.kind, item.name):
                add("scan-undeclared", ("cookies",), **_about(item))
            continue
        cookie = cookies[index]
        if item.phase in ("before", "reject") and cookie.category != CookieCategory.necessary:
            if _once(reported, "consent", item.name, item.phase):
                category = _CATEGORY_WORDS[cookie.category]
                add("scan-before-consent", ("cookies", index, "category"),
                    category=category, key=cookie.category.value, **_about(item))  # fmt: skip
        declared = declared_seconds(cookie.duration)
        if item.kind == "cookie" and declared is not None and item.seconds is not None:
            # A cookie declared for the session must not outlive it at all.
            slack = 0 if declared == SESSION else DURATION_SLACK
            if item.seconds > declared + slack and _once(reported, "duration", item.name):
                add("scan-duration", ("cookies", index, "duration"), name=item.name,
                    observed=_human(item.seconds),
                    declared={lang: text for lang, text in cookie.duration.items()})  # fmt: skip
    names = {item.name for item in observation.seen}
    for index, cookie in enumerate(cookies):
        if not any(matches(cookie.name, name) for name in names):
            add("scan-not-seen", ("cookies", index, "name"), name=cookie.name)
    for host, url in sorted(observation.hosts.items()):
        add("scan-third-party-host", ("cookies",), host=host, url=url)
    # A site of strictly necessary cookies has, rightly, no banner to answer (`asks_consent`).
    for url in observation.no_banner if asks_consent(content.site) else []:
        add("scan-no-banner", ("consent",) if content.site.consent else ("cookies",), url=url)
    return sorted(findings, key=Finding.sort_key)


def _declared(cookies: list[Cookie], name: str) -> int | None:
    for index, cookie in enumerate(cookies):
        if matches(cookie.name, name):
            return index
    return None


def _once(reported: set[tuple[str, ...]], *key: str) -> bool:
    if key in reported:
        return False
    reported.add(key)
    return True


def _about(item: Seen) -> dict[str, Any]:
    return {"name": item.name, "kind": _KINDS[item.kind], "phase": _PHASE_WORDS[item.phase],
            "url": item.url}  # fmt: skip


def printable(value: object, limit: int = 200) -> str:
    """Return what a scanned page named (a cookie, a storage key, a URL) safe to print on a line.

    A page chooses these names: a newline could forge a finding line, an escape sequence could
    drive the terminal, an invisible character could hide a difference. Control, format and
    separator characters are shown as escapes, and a long name is cut.
    """
    text = "".join(
        ch
        if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"}
        else ch.encode("unicode_escape").decode("ascii")
        for ch in str(value)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fill(text: str, params: dict[str, Any], lang: str) -> str:
    values = {
        key: printable(
            (value.get(lang) or next(iter(value.values()))) if isinstance(value, dict) else value
        )
        for key, value in params.items()
    }
    return text.format(**values)


def _human(seconds: int) -> str:
    if seconds == SESSION:
        return "0 s"
    if seconds >= DAY:
        return f"{seconds / DAY:.0f} d"
    return f"{seconds / 3600:.1f} h"
