"""Unseen real-kind registers, built with their PDFs and read back as a person reads them.

The social-welfare, association and web-shop trees of tests/fixtures/registers-real are built
once with PDFs; every page and PDF is read in its language (tests/readback.py), the PDFs are
tagged, in their language and set in the shipped font, and the names written in Greek and
Cyrillic, the `c/o` lines and the very long register names come out whole.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from notice.build import build_site
from tests import REPO_ROOT
from tests.readback import font_problems, html_text, off_page, pdf_text, problems

REAL = REPO_ROOT / "tests" / "fixtures" / "registers-real"
TREES = ("social-welfare", "association", "eu-webshop")
# What each notice must say whole, in every language and format: the long register names and
# the names and lines that are easy to lose.
MUST_READ = {
    "social-welfare": [
        "Αικατερίνη Παπαδοπούλου-Virtanen",
        "c/o Kirjaamo, Raatihuoneentori 1 A, 02770 Vaskilahti",
    ],
    "association": ["Мария Öhman-Лундквист (medlemssekreterare)", "c/o Öhman, Strandvägen 14 B 7"],
    "eu-webshop": [
        "Δημήτρης Αλεξίου",
        "c/o Privasec Advisory Oy, Mannerheimintie 12",
        "G-7QX2K9LMNB",
    ],
}


def _flat(text: str) -> str:
    """The text with line breaks and the PDF's page footers joined, as a reader follows it."""
    text = re.sub(r"\d+ / \d+(?=\S)", " ", text)  # "1 / 8" glued to the next page's first line
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("real")
    out = {}
    for tree in TREES:
        out[tree] = root / tree
        build_site(REAL / tree, out[tree], pdf=True, jobs=1, cache_dir=root / f"cache-{tree}")
    return out


def _registers(tree: str) -> list[dict]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((REAL / tree / "registers").glob("*.yaml"))
    ]


def _languages(tree: str) -> list[str]:
    return yaml.safe_load((REAL / tree / "site.yaml").read_text(encoding="utf-8"))["languages"]


@pytest.mark.parametrize("tree", TREES)
def test_every_page_reads_in_its_language(built: dict[str, Path], tree: str) -> None:
    found = {}
    for lang in _languages(tree):
        pages = sorted((built[tree] / lang).rglob("*.html"))
        assert len(pages) >= 4
        for page in pages:
            text = html_text(page.read_text(encoding="utf-8"))
            if issues := problems(text, lang):
                found[str(page.relative_to(built[tree]))] = issues
    assert found == {}


@pytest.mark.parametrize("tree", TREES)
def test_every_pdf_is_tagged_in_its_language_and_says_everything(
    built: dict[str, Path], tree: str
) -> None:
    for register in _registers(tree):
        for lang in _languages(tree):
            slug = register["slug"][lang]
            data = (built[tree] / lang / slug / f"{slug}.pdf").read_bytes()
            reader = PdfReader(io.BytesIO(data))
            root = reader.trailer["/Root"]
            assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
            assert root["/Lang"] == lang
            text = pdf_text(data)
            assert problems(text, lang) == []
            assert font_problems(data) == [] and off_page(data) == []
            assert "\ufffd" not in text
            flat = _flat(text)
            name = " ".join(register["name"][lang].split())
            assert name in flat, f"{slug}.pdf loses its register's name"
            for words in MUST_READ[tree]:
                assert words in flat, f"{slug}.pdf loses {words!r}"


@pytest.mark.parametrize("tree", TREES)
def test_every_page_names_what_is_easy_to_lose(built: dict[str, Path], tree: str) -> None:
    for register in _registers(tree):
        for lang in _languages(tree):
            page = built[tree] / lang / register["slug"][lang] / "index.html"
            flat = _flat(html_text(page.read_text(encoding="utf-8")))
            assert " ".join(register["name"][lang].split()) in flat
            for words in MUST_READ[tree]:
                assert words in flat


@pytest.mark.parametrize("tree", TREES)
def test_json_and_json_ld_load_and_keep_the_scripts(built: dict[str, Path], tree: str) -> None:
    for register in _registers(tree):
        raw = (built[tree] / "registers" / f"{register['id']}.json").read_text(encoding="utf-8")
        data = json.loads(raw)
        assert data["id"] == register["id"]
        json.loads((built[tree] / "registers" / f"{register['id']}.jsonld").read_text("utf-8"))
    dump = json.dumps(json.loads((built[tree] / "registers.json").read_text("utf-8")))
    assert "\\ufffd" not in dump


# --- defects these registers found ---------------------------------------------------------------


def test_a_register_kept_by_law_does_not_promise_children_a_consent_it_never_asks(
    built: dict[str, Path], tmp_path: Path
) -> None:
    # Social welfare keeps children's data by law: Art 8's age of consent has no place there.
    page = built["social-welfare"] / "fi" / "sosiaalihuollon-asiakasrekisteri" / "index.html"
    text = _flat(html_text(page.read_text(encoding="utf-8")))
    assert "Huoltaja käyttää alaikäisen oikeuksia." in text
    assert "pyydetään suostumusta" not in text and "13 vuotta täyttänyt" not in text
    # The same register with one purpose on consent says it again.
    content = Path(shutil.copytree(REAL / "social-welfare", tmp_path / "content"))
    path = next((content / "registers").glob("*.yaml"))
    register = yaml.safe_load(path.read_text(encoding="utf-8"))
    register["purposes"].append(
        {
            "description": {"fi": "Asiakaskyselyt.", "sv": "Klientenkäter."},
            "legal_bases": ["consent"],
            "withdrawal": {"fi": "Ilmoita kirjaamoon.", "sv": "Meddela registratorskontoret."},
        }
    )
    path.write_text(yaml.safe_dump(register, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, cache_dir=tmp_path / "cache")
    page = out / "fi" / "sosiaalihuollon-asiakasrekisteri" / "index.html"
    assert "13 vuotta täyttänyt lapsi antaa sen itse" in html_text(page.read_text("utf-8"))


def test_social_welfare_client_rights_are_not_headed_as_patient_rights(
    built: dict[str, Path],
) -> None:
    for lang, slug, heading, wrong in (
        (
            "fi",
            "sosiaalihuollon-asiakasrekisteri",
            "Oikeudet sosiaali- ja terveydenhuollon asiakastietoihin",
            "Potilaan",
        ),
        (
            "sv",
            "socialvardens-klientregister",
            "Rättigheter som gäller klientuppgifter inom social- och hälsovården",
            "Patientens",
        ),
    ):
        page = (built["social-welfare"] / lang / slug / "index.html").read_text("utf-8")
        assert heading in html_text(page) and wrong not in html_text(page)
        pdf = _flat(pdf_text((built["social-welfare"] / lang / slug / f"{slug}.pdf").read_bytes()))
        assert heading in pdf and wrong not in pdf


def test_a_site_with_only_necessary_cookies_does_not_speak_of_consent_it_never_asks(
    built: dict[str, Path],
) -> None:
    expected = {
        "sv": "Webbplatsen sätter inga andra kakor och ber därför inte om samtycke.",
        "fi": "Sivusto ei aseta muita evästeitä, joten se ei kysy suostumusta.",
        "en": "The website sets no other cookies, so it does not ask for consent.",
    }
    never = {
        "sv": "Alla andra kakor sätts först när du har samtyckt",
        "fi": "Muut evästeet asetetaan vasta, kun olet antanut suostumuksen",
        "en": "Every other cookie is set only after you have consented",
    }
    for lang in ("sv", "fi", "en"):
        text = _flat(
            html_text((built["association"] / lang / "cookies" / "index.html").read_text())
        )
        assert expected[lang] in text
        assert never[lang] not in text
    # A site with analytics keeps the sentence about consent.
    text = _flat(html_text((built["eu-webshop"] / "en" / "cookies" / "index.html").read_text()))
    assert "Every other cookie is set only after you have consented to its category" in text


def test_the_right_to_object_says_also_only_after_the_direct_marketing_paragraph(
    built: dict[str, Path],
) -> None:
    # The social-welfare register does no direct marketing: its objection paragraph stands alone.
    page = built["social-welfare"] / "fi" / "sosiaalihuollon-asiakasrekisteri" / "index.html"
    text = _flat(html_text(page.read_text(encoding="utf-8")))
    assert "Sinulla on oikeus erityiseen tilanteeseesi liittyvällä perusteella vastustaa" in text
    assert "Sinulla on myös oikeus erityiseen" not in text
    page = built["social-welfare"] / "sv" / "socialvardens-klientregister" / "index.html"
    text = _flat(html_text(page.read_text(encoding="utf-8")))
    assert "Du har rätt att, av skäl som hänför sig till din särskilda situation" in text
    # The association sends a newsletter: the direct-marketing paragraph comes first, then "also".
    page = built["association"] / "sv" / "medlemsregister" / "index.html"
    text = _flat(html_text(page.read_text(encoding="utf-8")))
    assert text.index("Direktmarknadsföring:") < text.index("Du har också rätt att, av skäl")


def test_a_site_with_only_necessary_cookies_gets_no_banner_to_paste(
    built: dict[str, Path],
) -> None:
    # A banner there would ask for a consent the site never needs, and set its own cookie
    # (cc_cookie) that the notice does not declare.
    snippet = (built["association"] / "consent" / "snippet.txt").read_text(encoding="utf-8")
    assert "<script" not in snippet and "<button" not in snippet
    assert "needs no cookie banner" in snippet
    # The web shop measures with consent: its snippet loads the banner and the gated Google tag.
    snippet = (built["eu-webshop"] / "consent" / "snippet.txt").read_text(encoding="utf-8")
    assert "cookieconsent-config.js" in snippet and 'data-category="analytics"' in snippet


def test_provision_given_per_category_is_not_called_unspecified(built: dict[str, Path]) -> None:
    # The association says per data category whether it must be given (the checker counts that);
    # the page said "Not specified." under the Art 13(2)(e) question all the same.
    for lang, slug, pointer in (
        ("sv", "medlemsregister", "anges för varje uppgiftskategori om du måste lämna"),
        ("fi", "jasenrekisteri", "kerrotaan kunkin tietoryhmän kohdalla, onko tiedot pakko antaa"),
        ("en", "member-register", "Each data category in Data content of the register says"),
    ):
        page = (built["association"] / lang / slug / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(page, "lxml")
        answer = soup.find(id="provision-requirement").find_next_sibling("p")
        assert pointer in answer.get_text(" ", strip=True)
        assert answer.find("a")["href"] == "#data-content"
        assert "missing" not in (answer.get("class") or [])
        pdf = _flat(pdf_text((built["association"] / lang / slug / f"{slug}.pdf").read_bytes()))
        assert pointer in pdf
