import json
from pathlib import Path

from statements.ingest.actors import Gazetteer

REFERENCE = Path(__file__).resolve().parent.parent / "fixtures" / "reference" / "actors.json"
ORGANISATION_KINDS = {
    "government",
    "ministry",
    "military",
    "intergovernmental",
    "ngo",
    "media",
    "party",
    "armed_group",
    "other",
}


def reference():
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def gazetteer():
    data = reference()
    return Gazetteer.from_reference(data["countries"], data["organisations"])


def test_kremlin_spokesman_is_the_kremlin_in_russia():
    match = gazetteer().resolve("Kremlin spokesman")
    assert (match.organisation, match.country, match.organisation_known) == ("Kremlin", "RUS", True)


def test_state_department_spokesperson_is_the_us_department_of_state():
    match = gazetteer().resolve("US State Department spokesperson")
    assert (match.organisation, match.country) == ("US Department of State", "USA")


def test_a_un_envoy_has_no_country_even_when_the_role_names_one():
    match = gazetteer().resolve("United Nations deputy Syria envoy")
    assert (match.organisation, match.country) == ("United Nations", None)


def test_deputy_foreign_minister_of_a_named_country_is_that_foreign_ministry():
    match = gazetteer().resolve("Russian Deputy Foreign Minister")
    assert (match.organisation, match.country) == ("Russian Foreign Ministry", "RUS")


def test_an_office_of_another_country_is_not_given_a_russian_ministry():
    match = gazetteer().resolve("Iranian Foreign Minister")
    assert (match.organisation, match.country) == (None, "IRN")


def test_periods_and_possessives_do_not_matter():
    assert gazetteer().resolve("a U.S. State Department official").organisation == "US Department of State"
    assert (
        gazetteer().resolve("Russia's Defense Ministry spokesman").organisation
        == "Russian Ministry of Defense"
    )


def test_an_organisation_missing_from_reference_data_is_returned_flagged():
    match = gazetteer().resolve("a political scientist at Texas Tech University")
    assert match.organisation == "Texas Tech University"
    assert match.organisation_known is False


def test_a_bare_office_name_is_not_proposed_as_a_new_organisation():
    match = gazetteer().resolve("Foreign Ministry spokeswoman")
    assert match.organisation is None


def test_demonym_alone_gives_the_country():
    match = gazetteer().resolve("French diplomat")
    assert (match.organisation, match.country) == (None, "FRA")


def test_find_reports_offsets_of_countries_and_organisations():
    text = "the chief of the US Department of State press service met the Kremlin"
    found = gazetteer().find(text)
    organisations = [(text[start:end], value) for start, end, kind, value in found if kind == "organisation"]
    assert organisations == [("US Department of State", ["US Department of State"]), ("Kremlin", ["Kremlin"])]


def test_reference_data_has_the_documented_shapes():
    data = reference()
    codes = {country["code"] for country in data["countries"]}
    names = {organisation["name"] for organisation in data["organisations"]}
    assert len(codes) == len(data["countries"]) >= 60
    for country in data["countries"]:
        assert set(country) == {"code", "name", "aliases"} and len(country["code"]) == 3
    for organisation in data["organisations"]:
        assert set(organisation) == {"name", "aliases", "kind", "country", "parent"}
        assert organisation["kind"] in ORGANISATION_KINDS
        assert organisation["country"] is None or organisation["country"] in codes
        assert organisation["parent"] is None or organisation["parent"] in names


def test_reference_data_covers_the_security_council_and_the_seeds():
    data = reference()
    codes = {country["code"] for country in data["countries"]}
    names = {organisation["name"] for organisation in data["organisations"]}
    assert {"USA", "RUS", "CHN", "GBR", "FRA", "SYR", "KAZ"} <= codes
    assert {
        "Kremlin",
        "US Department of State",
        "Russian Ministry of Defense",
        "Russian Foreign Ministry",
        "United Nations",
        "UN Security Council",
        "NATO",
        "European Union",
        "White House",
        "US Department of Defense",
        "US Congress",
        "US Senate",
        "Syrian Government",
        "Syrian Arab Army",
        "Al-Nusra Front",
        "TASS",
        "RT",
        "Reuters",
    } <= names
