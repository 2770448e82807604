"""Format 2.1: what real registers needed and could only say in prose (issue 17).

A v2 file loads unchanged and `notice migrate` upgrades it keeping its comments; every new element
is validated with a located error, shown on the page in each language, in the JSON-LD and in the
records of processing where Art 30 asks for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from rdflib import Graph, Namespace, URIRef

from notice.build import build_site
from notice.loader import ContentError, load_content
from notice.migrate import migrate_content, migrate_file
from notice.records.output import render_records
from notice.records.rows import activities
from tests import REPO_ROOT

REAL = REPO_ROOT / "tests" / "fixtures" / "registers-real"
DPV = Namespace("https://w3id.org/dpv#")

SITE = """\
version: 2.1
languages: [fi, sv, en]
base_url: https://example.fi/
controller: {name: Isännöinti Oy, email: info@example.fi}
"""

REGISTER = """\
# The board decided on this in 2025.
version: 2.1
id: r
slug: {fi: r, sv: r, en: r}
name: {fi: R, sv: R, en: R}
prepared: 2026-01-01
purposes:
  - id: cctv
    description: {fi: Valvonta, sv: Övervakning, en: Surveillance}
    legal_bases: [legitimate_interests]
    data_categories: [footage]
data_categories:
  - id: footage
    name: {fi: Kuva, sv: Bild, en: Image}
recipients:
  - id: manager
    name: {fi: Isännöitsijä, sv: Disponent, en: Manager}
    role: processor
  - name: {fi: Huolto, sv: Service, en: Maintenance}
    role: sub_processor
    processor: manager
automated_decisions:
  - description: {fi: Pisteytys, sv: Poängsättning, en: Scoring}
    purposes: [cctv]
"""


def _tree(tmp_path: Path, register: str = REGISTER, site: str = SITE) -> Path:
    (tmp_path / "registers").mkdir(parents=True, exist_ok=True)
    (tmp_path / "site.yaml").write_text(site, encoding="utf-8")
    (tmp_path / "registers" / "r.yaml").write_text(register, encoding="utf-8")
    return tmp_path


def _errors(tmp_path: Path, register: str) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_content(_tree(tmp_path, register))
    return [str(error).split("/registers/", 1)[1] for error in raised.value.errors]


# --- validation ----------------------------------------------------------------------------------


def test_a_21_register_loads(tmp_path: Path) -> None:
    register = load_content(_tree(tmp_path)).registers[0]
    assert register.version == 2.1
    assert register.purposes[0].data_categories == ["footage"]
    assert register.recipients[1].processor == "manager"


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "    data_categories: [footage]",
            "    data_categories: [audio]",
            "r.yaml:11: purposes.0.data_categories.0: purposes.0.data_categories names unknown "
            "data category id 'audio' (data category ids: footage)",
        ),
        (
            "    processor: manager",
            "    processor: someone",
            "r.yaml:21: recipients.1.processor: recipients.1 names unknown processor id 'someone' "
            "(ids of recipients with role `processor`: manager)",
        ),
        (
            "    role: sub_processor",
            "    role: controller",
            "r.yaml:21: recipients.1.processor: recipients.1 names a `processor` but its role "
            "is not `sub_processor`",
        ),
        (
            "    purposes: [cctv]",
            "    purposes: [ads]",
            "r.yaml:24: automated_decisions.0.purposes.0: automated_decisions.0 names unknown "
            "purpose id 'ads' (purpose ids: cctv)",
        ),
        (
            "version: 2.1",
            "version: 2.2",
            "r.yaml:2: version: 2.2 is not one of 1, 2 or 2.1 (did you mean '2.1'?)",
        ),
    ],
    ids=["category", "processor", "role", "decision", "version"],
)
def test_a_wrong_reference_is_located(tmp_path: Path, old: str, new: str, error: str) -> None:
    assert old in REGISTER
    assert _errors(tmp_path, REGISTER.replace(old, new)) == [error]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fi",
            "recipients.1 viittaa tuntemattomaan käsittelijän tunnukseen 'someone' "
            "(`processor`-roolisten vastaanottajien tunnukset: manager)",
        ),
        (
            "sv",
            "recipients.1 anger ett okänt id för personuppgiftsbiträde 'someone' (id för "
            "mottagare med rollen `processor`: manager)",
        ),
    ],
)
def test_a_wrong_reference_names_the_item_by_its_key_in_every_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    """'recipient 2' was the loader's name for what its own key calls `recipients.1`."""
    from notice.load_messages import translate

    register = REGISTER.replace("    processor: manager", "    processor: someone")
    [error] = _errors(tmp_path, register)
    assert translate(error.split(": ", 2)[2], lang) == expected


def test_cctv_needs_its_areas_and_marketing_its_channels(tmp_path: Path) -> None:
    register = REGISTER + (
        "cctv:\n  areas: []\n  signs: {fi: K, sv: S, en: S}\n  viewers: {fi: H, sv: S, en: B}\n"
        "marketing:\n  channels: [{channel: fax, basis: consent}]\n"
    )
    errors = _errors(tmp_path, register)
    assert errors[0] == "r.yaml:26: cctv.areas: must not be empty"
    assert errors[1] == (
        "r.yaml:30: marketing.channels.0.channel: 'fax' is not one of 'email', 'sms', 'phone', "
        "'post', 'push' or 'social_media'"
    )


def test_an_scc_module_needs_the_sccs(tmp_path: Path) -> None:
    register = REGISTER.replace(
        "    role: processor\n",
        "    role: processor\n    country: US\n    transfer:\n      mechanisms: [adequacy]\n"
        "      scc_module: controller_to_processor\n",
    )
    assert _errors(tmp_path, register) == [
        "r.yaml:20: recipients.0.transfer: `scc_module` is given but `sccs` is not among the "
        "`mechanisms`"
    ]


def test_a_law_is_one_string_or_a_text_in_every_language(tmp_path: Path) -> None:
    register = REGISTER + (
        "restrictions:\n  - right: rectification\n    reason: {fi: S, sv: S, en: S}\n"
        "    law: {fi: Tietosuojalaki 31 §, sv: Dataskyddslagen 31 §}\n"
    )
    assert _errors(tmp_path, register) == [
        "r.yaml:28: restrictions.0.law: missing translation for language 'en'"
    ]


# --- v2 keeps loading; migrate upgrades -----------------------------------------------------------


def test_a_v2_register_loads_unchanged_and_migrates_to_21_keeping_comments(
    tmp_path: Path,
) -> None:
    v2 = REGISTER.replace("version: 2.1", "version: 2")
    v2 = v2[: v2.index("    data_categories: [footage]")] + v2[v2.index("data_categories:\n") :]
    v2 = v2.replace("  - id: footage\n    name:", "  - name:").replace(
        "    processor: manager\n", ""
    )
    v2 = v2.replace("    purposes: [cctv]\n", "")
    root = _tree(tmp_path, v2, SITE.replace("version: 2.1", "version: 2"))
    before = load_content(root).registers[0]
    assert before.version == 2
    migration = migrate_file(root / "registers" / "r.yaml", site=False)
    assert [str(change) for change in migration.changes] == [
        "version: set to 2.1 (a v2 file reads unchanged)"
    ]
    assert migration.text == v2.replace("version: 2\n", "version: 2.1\n")
    assert migration.text.startswith("# The board decided on this in 2025.\n")
    site = next(m for m in migrate_content(root) if m.path.name == "site.yaml")
    assert site.text.startswith("version: 2.1\n")


def test_a_21_file_needs_no_migration(tmp_path: Path) -> None:
    assert migrate_file(_tree(tmp_path) / "registers" / "r.yaml", site=False).changes == []


# --- the page, the PDF, the JSON-LD, the records -----------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("format21")
    sites = {}
    for name in ("housing-company", "study"):
        build_site(REAL / name, out / name, pdf=False, jobs=1, cache_dir=out / f"{name}-cache")
        sites[name] = out / name
    return sites


def _section(site: Path, page: str, section: str) -> str:
    soup = BeautifulSoup((site / page / "index.html").read_text("utf-8"), "lxml")
    found = soup.find(id=section)
    assert found is not None, (page, section)
    return " ".join(found.get_text(" ").split())


def test_the_housing_company_is_the_controller_of_its_own_cctv(built: dict[str, Path]) -> None:
    site = built["housing-company"]
    controller = _section(site, "sv/kameraovervakning", "controller")
    assert controller.startswith("Personuppgiftsansvarig Bostads Ab Rantapääsky (Asunto Oy")
    assert "Rannikko" not in controller
    soup = BeautifulSoup((site / "en/camera-surveillance/index.html").read_text("utf-8"), "lxml")
    first = " ".join(soup.select_one("section.first-layer").get_text(" ").split())
    assert "Asunto Oy Rantapääsky processes personal data in the register" in first
    assert soup.select_one("p.eyebrow").get_text() == "Privacy notice · Asunto Oy Rantapääsky"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "fi/kameravalvonta",
            "Kameravalvonta Valvotut alueet Porraskäytävien A ja B ulko-ovet Pyörävarasto "
            "Pysäköintihalli Kyltit Jokaisen valvotun tilan ovessa on kameravalvonnasta kertova "
            "kyltti, jossa on rekisterinpitäjän nimi. Ääni Kamerat eivät tallenna ääntä. Kuka saa "
            "katsoa tallenteita Vain isännöitsijä ja hallituksen puheenjohtaja yhdessä, ja vain "
            "kun on syytä epäillä vahinkoa tai rikosta.",
        ),
        (
            "sv/kameraovervakning",
            "Kameraövervakning Övervakade områden Ytterdörrarna till trapphus A och B "
            "Cykelförrådet Parkeringshallen Skyltar På dörren till varje övervakat utrymme finns "
            "en skylt om kameraövervakningen med den personuppgiftsansvariges namn. Ljud "
            "Kamerorna spelar inte in ljud. Vem får granska inspelningarna Endast disponenten och "
            "styrelsens ordförande tillsammans, och endast när det finns skäl att misstänka skada "
            "eller brott.",
        ),
        (
            "en/camera-surveillance",
            "Camera surveillance Areas under surveillance The front doors of stairwells A and B "
            "The bicycle store The car park Signs The door of every monitored area has a sign "
            "about the surveillance that names the controller. Sound The cameras record no sound. "
            "Who may view the recordings Only the manager and the chair of the board together, "
            "and only when damage or a crime is suspected.",
        ),
    ],
)
def test_the_cctv_section_in_each_language(
    built: dict[str, Path], page: str, expected: str
) -> None:
    assert _section(built["housing-company"], page, "cctv") == expected


def test_no_direct_marketing_and_a_linked_sub_processor(built: dict[str, Path]) -> None:
    site = built["housing-company"]
    assert _section(site, "fi/kameravalvonta", "direct-marketing") == (
        "Suoramarkkinointi Emme käytä tietojasi suoramarkkinointiin."
    )
    recipients = _section(site, "fi/kameravalvonta", "recipients")
    assert (
        "Turvatekniikka Valvoja Oy (Suomi) (Käsittelijä, jonka lukuun se toimii: "
        "Isännöinti Rannikko Oy): Kameroiden ja tallentimen huolto." in recipients
    )
    purposes = _section(site, "en/camera-surveillance", "purposes")
    assert "Data used: Video recording; Log of who viewed recordings" in purposes
    assert "Whose data: Residents, their guests and the staff of maintenance companies." in purposes


def test_the_study_shows_its_research_transfer_and_law(built: dict[str, Path]) -> None:
    site = built["study"]
    assert _section(site, "fi/unitutkimus", "research").startswith(
        "Tieteellinen tutkimus Tutkimussuunnitelma Tutkimus kestää vuodet 2026–2029;"
    )
    transfers = _section(site, "en/sleep-study", "transfers")
    assert (
        "Decision: Commission Implementing Decision (EU) 2021/914. Clauses used: module 2, "
        "controller to processor." in transfers
    )
    assert "Transfer impact assessment: We assessed US law;" in transfers
    rights = _section(site, "sv/somnstudie", "rights")
    assert "till materialet. (Dataskyddslagen 1050/2018, 31 §)" in rights
    controller = _section(site, "fi/unitutkimus", "controller")
    assert "Tietosuojavastaava Sairaalan tietosuojavastaava" in controller


def test_the_jsonld_carries_the_new_elements(built: dict[str, Path]) -> None:
    text = (built["study"] / "registers" / "unitutkimus.jsonld").read_text("utf-8")
    data = json.loads(text)
    joint = data["dpv:hasJointDataControllers"]["dpv:hasDataController"][1]
    assert joint["dpv:hasDataProtectionOfficer"]["@type"] == "dpv:DataProtectionOfficer"
    assert data["dpv:hasPurpose"][0]["dpv:hasPersonalData"] == [
        {"@id": "#data-contact"},
        {"@id": "#data-recordings"},
        {"@id": "#data-survey"},
    ]
    survey = data["dpv:hasRecipient"][0]
    assert [m["@type"] for m in survey["dpv:hasLegalMeasure"]] == [
        "dpv:LegalMeasure",
        "dpv:ImpactAssessment",
    ]
    assert data["dpv:hasRecipient"][1]["dpv:isImplementedByEntity"] == {
        "@id": "#recipient-survey-service"
    }
    kinds = [m["@type"] for m in data["dpv:hasOrganisationalMeasure"]]
    assert kinds == [
        "dpv:OrganisationalMeasure",
        "dpv:ReviewProcedure",
        "dpv:DPIA",
        "dpv:Pseudonymisation",
        "dpv:OrganisationalMeasure",
    ]
    graph = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(data=text, format="json-ld")
    kinds_in_graph = {
        str(kind) for kind in graph.objects(None, URIRef(str(DPV) + "hasLegalMeasure"))
    }
    assert len(kinds_in_graph) == 2
    index = json.loads((built["housing-company"] / "registers.json").read_text("utf-8"))
    assert index["controller"]["name"] == "Isännöinti Rannikko Oy"
    assert index["registers"][0]["controller"]["name"] == "Asunto Oy Rantapääsky"
    cctv = json.loads(
        (built["housing-company"] / "registers" / "kameravalvonta.jsonld").read_text("utf-8")
    )
    assert cctv["dpv:hasDataController"]["dct:identifier"] == "3141592-6"
    assert cctv["dpv:hasContext"][0]["dct:title"] == "camera surveillance, image only"


def test_records_follow_the_purpose_and_the_register_controller() -> None:
    content = load_content(REAL / "housing-company")
    (activity,) = activities(content)
    assert activity.controller.name["fi"] == "Asunto Oy Rantapääsky"
    assert activity.data_subjects == (content.registers[0].purposes[0].data_subjects,)
    study = activities(load_content(REAL / "study"))[0]
    assert study.joint_controllers[0].dpo is not None
    (transfer,) = study.transfers
    assert transfer.scc_module == "controller_to_processor"
    data, _ = render_records(load_content(REAL / "study"), "csv", "en", today=dt.date(2026, 9, 1))
    row = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    cell = next(value for value in row.values() if "Survey Inc." in value and "module 2" in value)
    assert "Survey service Survey Inc. (United States): Standard contractual clauses" in cell
    assert "module 2, controller to processor; Commission Implementing Decision" in cell
    assert "Transfer impact assessment: We assessed US law;" in cell


@pytest.mark.slow
def test_the_pdfs_show_the_new_sections(tmp_path: Path) -> None:
    build_site(REAL / "study", tmp_path / "site", jobs=1, cache_dir=tmp_path / "cache")
    pdf = tmp_path / "site" / "sv" / "somnstudie" / "somnstudie.pdf"
    text = " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    text = " ".join(text.split())
    assert "Vetenskaplig forskning" in text
    assert "Vem förvarar pseudonymiseringsnyckeln" in text
    assert "Konsekvensbedömning av överföringen:" in text


HEALTH_APP = """\
version: 2.1
id: r
slug: {fi: r, sv: r, en: r}
name: {fi: Sovellus, sv: Appen, en: The app}
prepared: 2026-01-01
purposes:
  - id: care
    description: {fi: Hoito, sv: Vård, en: Care}
    legal_bases: [legal_obligation]
  - id: tips
    description: {fi: Vinkit, sv: Tips, en: Tips}
    legal_bases: [consent]
children:
  minimum_age: 7
  parental_consent: {fi: Pankkitunnuksilla, sv: Med bankkoder, en: With online banking codes}
health:
  kanta_refusal: {fi: Kanta-kielto OmaKannassa., sv: Förbud i MinaKanta., en: A ban in My Kanta.}
  access_log: {fi: Lokitiedot pyynnöstä., sv: Loggen på begäran., en: The log on request.}
automated_decisions:
  - description: {fi: Muistutukset, sv: Påminnelser, en: Reminders}
    purposes: [tips]
profiling: {fi: Vinkkien järjestys., sv: Tipsens ordning., en: The order of tips.}
cookies:
  - name: app_id
    provider: Sovellus Oy
    party: first
    category: analytics
    storage: sdk_identifier
    purpose: {fi: Käytön mittaus, sv: Mätning, en: Measuring use}
    duration: {fi: 1 vuosi, sv: 1 år, en: 1 year}
"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "sv",
            [
                "Tjänsten tar inte emot någon som är yngre än 7 år.",
                "Hur vårdnadshavarens samtycke kontrolleras: Med bankkoder",
                "Att förbjuda utlämnande av uppgifter via Kanta-tjänsterna Förbud i MinaKanta.",
                "Vem har behandlat dina uppgifter Loggen på begäran.",
                "Påminnelser Ändamål 2 : Tips.",  # one purpose is named
                "Profilering utan automatiserade beslut Vi profilerar också på ett sätt som inte "
                "har rättsliga följder eller på liknande sätt betydande följder för dig, och som "
                "därför inte är ett beslut enligt artikel 22: Tipsens ordning.",
                "app_id (identifierare i en apps programkomponent (SDK)) Sovellus Oy",
            ],
        ),
        (
            "fi",
            [
                "Palveluun ei hyväksytä alle 7-vuotiaita.",
                "Miten huoltajan suostumus varmistetaan: Pankkitunnuksilla",
                "Tietojen luovutuksen kieltäminen Kanta-palveluissa Kanta-kielto OmaKannassa.",
                "Kuka on käsitellyt tietojasi Lokitiedot pyynnöstä.",
                "Muistutukset Käyttötarkoitus 2 : Vinkit.",  # one purpose is named
                "Profilointi ilman automaattisia päätöksiä",
                "app_id (sovelluksen ohjelmistokomponentin (SDK) tunniste) Sovellus Oy",
            ],
        ),
    ],
)
def test_children_health_profiling_and_an_apps_identifier(
    tmp_path: Path, lang: str, expected: list[str]
) -> None:
    root = _tree(tmp_path / "content", HEALTH_APP)
    # A short register: the checks find what it leaves out; the page is what is tested here.
    build_site(
        root, tmp_path / "site", pdf=False, jobs=1, allow_errors=True, cache_dir=tmp_path / "c"
    )
    soup = BeautifulSoup((tmp_path / "site" / lang / "r" / "index.html").read_text("utf-8"), "lxml")
    main = " ".join(soup.find("main").get_text(" ").split())
    for text in expected:
        assert text in main


def test_a_21_register_is_as_structured_as_a_v2_one(tmp_path: Path) -> None:
    assert load_content(_tree(tmp_path)).registers[0].structured
    v1 = REGISTER.replace("version: 2.1\n", "")
    assert not load_content(_tree(tmp_path / "v1", v1)).registers[0].structured


def test_an_apps_identifier_is_a_technology_in_the_jsonld(tmp_path: Path) -> None:
    root = _tree(tmp_path / "content", HEALTH_APP)
    build_site(root, tmp_path / "site", pdf=False, allow_errors=True, cache_dir=tmp_path / "c")
    data = json.loads((tmp_path / "site" / "registers" / "r.jsonld").read_text("utf-8"))
    assert data["@context"]["tech"] == "https://w3id.org/dpv/tech#"
    assert data["@context"]["schema"] == "https://schema.org/"
    (technology,) = data["dpv:isImplementedUsingTechnology"]
    assert technology["@type"] == "tech:Technology"
    assert technology["dct:type"] == "sdk_identifier"
    assert data["dpv:hasDataSubject"]["schema:suggestedMinAge"] == 7
    assert [right.get("dct:description") for right in data["dpv:hasRight"][-2:]] == [
        [
            {"@language": "en", "@value": "A ban in My Kanta."},
            {"@language": "fi", "@value": "Kanta-kielto OmaKannassa."},
            {"@language": "sv", "@value": "Förbud i MinaKanta."},
        ],
        [
            {"@language": "en", "@value": "The log on request."},
            {"@language": "fi", "@value": "Lokitiedot pyynnöstä."},
            {"@language": "sv", "@value": "Loggen på begäran."},
        ],
    ]
    kinds = [context["@type"] for context in data["dpv:hasContext"]]
    assert kinds == ["dpv:AutomatedDecisionMaking", "dpv:Profiling"]
    assert data["dpv:hasContext"][0]["dpv:hasPurpose"] == {"@id": "#purpose-tips"}
