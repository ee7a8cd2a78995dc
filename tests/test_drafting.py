"""`wpsgraph draft`: each cue by a small text, and a draft of each seed article that parses and validates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from wpsgraph.cli import main
from wpsgraph.drafting import draft
from wpsgraph.drafting.assemble import Item, term
from wpsgraph.drafting.dates import find_dates

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_STEMS = {"000_2f32cd25bb357683": "jtfcs-wps-design-workshop-2024",
              "001_e96a8ccce94c7d77": "usnorthcom-wps-training-mexico-2021",
              "002_5105ac25b859e205": "osf-wps-nap-academy"}
ID = "https://w3id.org/wpsgraph/id/"


def article(body: str, title: str = "A test article") -> str:
    return f"{title}\n\nNews | Sept. 22, 2021\n\n{body}\n"


def linked(text: str) -> set[str]:
    """What the draft links, and what the linker finds in the text (a resolution with nothing implementing it is
    only listed for review)."""
    from wpsgraph.drafting.known import load_known
    from wpsgraph.drafting.link import Linker

    found = {m.iri for m in Linker(load_known()).mentions(text) if m.iri}
    return {i[len(ID):] for i in found | draft(article(text), stem="test-article").linked()}


# ------------------------------------------------------------------ linking

@pytest.mark.parametrize("text, iri", [
    ("The plan implements UNSCR 1325 on women.", "resolution/1325"),
    ("The National Action Plan implements resolution 1325 (2000).", "resolution/1325"),
    ("U.S. Northern Command hosted the Regional Design Workshop on May 3, 2021.", "organisation/usnorthcom"),
    ("USNORTHCOM hosted the Regional Design Workshop on May 3, 2021.", "organisation/usnorthcom"),
    ("U.S. Northen Command hosted the Regional Design Workshop on May 3, 2021.", "organisation/usnorthcom"),
    ("Las Naciones Unidas organised the Regional Design Workshop on May 3, 2021.", "organisation/united-nations"),
    ("The Regional Design Workshop addressed sexual harassment.", "theme/sexual-harassment"),
    ("The Regional Design Workshop gathered experts from Canada and Trinidad and Tobago.", "country/TT"),
])
def test_linking(text, iri):
    assert iri in linked(text)


def test_names_inside_longer_names_are_not_linked():
    got = linked("The Regional Design Workshop was held in Port of Spain, Trinidad and Tobago.")
    assert "country/ES" not in got and "country/TT" in got


def test_demonym_gives_the_country_of_a_new_organisation():
    d = draft(article("The Canadian Ministry of Gender Affairs hosted the Regional Design Workshop."),
              stem="test-article")
    ministry = next(it for it in d.items.values() if it.types == ["Ministry"])
    assert ("wps:country", "country:CA") in {(s.predicate, s.object) for s in ministry.statements}


def test_demonyms_come_from_countryinfo():
    # Neither form was in the hand-kept table the drafter used before: they come from the package's data.
    d = draft(article("The Namibian Ministry of Gender Equality hosted the Regional Design Workshop."),
              stem="test-article")
    ministry = next(it for it in d.items.values() if it.types == ["Ministry"])
    assert ("wps:country", "country:NA") in {(s.predicate, s.object) for s in ministry.statements}
    from wpsgraph.drafting.known import load_known
    from wpsgraph.drafting.link import Linker

    linker = Linker(load_known())
    assert [m.iris for m in linker.mentions("Twelve Fijians took part.")] == [[ID + "country/FJ"]]
    assert linker.mentions("Cadets learned to polish their boots.") == []        # not 'Polish'


def test_every_iri_the_linker_can_name_is_a_known_resource():
    # what the drafter restates must be in the graph's known resources, and a country must be one the graph takes
    import pycountry

    from wpsgraph.drafting.known import load_known

    known = load_known()
    named = {iri for table in (known.names, known.acronyms, known.demonyms) for iris in table.values() for iri in iris}
    assert named - set(known.resources) == set()
    countries = {iri.rsplit("/", 1)[1] for iri in named if "/country/" in iri}
    assert len(countries) > 200 and {c for c in countries if pycountry.countries.get(alpha_2=c) is None} == set()
    assert known.demonyms["serbian"] == {ID + "country/RS"}


def test_a_country_after_and_the_in_a_list_is_linked():
    assert "country/GM" in linked("Experts from Chile, Peru and The Gambia joined the Regional Design Workshop.")


@pytest.mark.parametrize("text, iri", [
    ("The Regional Design Workshop taught treaty laws.", "theme/treaty-law"),                       # a plural
    ("The Regional Design Workshop stressed partnership with civil society.",                       # head first
     "theme/civil-society-partnership"),
    ("The Regional Design Workshop covered international human rights and humanitarian law.",       # shared head
     "theme/international-human-rights-law"),
])
def test_themes_by_their_words(text, iri):
    assert iri in linked(text)


@pytest.mark.parametrize("text, iri", [
    ("The Regional Design Workshop discussed Chile's second National Action Plan.", "theme/national-action-plans"),
    ("The Regional Design Workshop stressed gender equality in peace and security processes.",
     "theme/peace-processes"),
])
def test_themes_by_their_words_not_from_names_or_one_word_coordinations(text, iri):
    assert iri not in linked(text)


def test_an_x_led_event_is_organised_by_x_and_the_names_are_split():
    d = draft(article("Chile co-chaired with Peru the United Nations-led Regional Design Workshop on May 3, 2021."),
              stem="test-article")
    event = next(it for it in d.items.values() if it.kind == "event")
    got = {(s.predicate, s.object) for s in event.statements}
    assert event.label == "Regional Design Workshop"
    assert ("wps:organisedBy", "organisation:united-nations") in got
    assert ("wps:coChairedBy", "organisation:united-nations") not in got
    assert {("wps:coChairedBy", "country:CL"), ("wps:coChairedBy", "country:PE")} <= got


@pytest.mark.parametrize("text, names", [
    ("delivered the Gender Course to the Peruvian Navy", ["Gender Course", "Peruvian Navy"]),
    ("delivered the Gender Course to Peruvian Navy officers", ["Gender Course", "Peruvian Navy"]),
    ("the Ministry of the Interior and the Office for the Advancement of Women",
     ["Ministry of the Interior", "Office for the Advancement of Women"]),
])
def test_names_joined_only_by_words_that_join_names(text, names):
    from wpsgraph.drafting.cues import proper_spans

    assert [sp.text for sp in proper_spans(text)] == names


def test_a_name_with_of_the_inside_is_one_name():
    d = draft(article("The Secretariat of the Interior hosted the Regional Design Workshop."), stem="test-article")
    assert ID + "organisation/secretariat-of-interior" in d.items
    assert d.items[ID + "organisation/secretariat-of-interior"].types == ["Ministry"]


# ------------------------------------------------------------------ offices named without their holders

def statements(d, iri: str) -> set[tuple[str, str, bool]]:
    return {(s.predicate, s.object, s.certain) for s in d.items[ID + iri].statements}


@pytest.mark.parametrize("adjective, post, ministry", [
    ("Danish", "post/denmark-minister-of-defence", "organisation:denmark-ministry-of-defence"),
    ("Brazilian", "post/brazil-minister-of-defence", "organisation:brazil-ministry-of-defence"),   # "... of Brazil"
    ("Chilean", "post/chile-minister-of-defence", "organisation:chile-ministry-of-defence"),       # not in the graph
    # countryinfo's former Serbia and Montenegro (CS) outnumbers Montenegro: a code the graph refuses is no answer
    ("Montenegrin", "post/montenegro-minister-of-defence", "organisation:montenegro-ministry-of-defence"),
])
def test_an_office_is_a_post_in_the_ministry_of_its_portfolio_and_country(adjective, post, ministry):
    d = draft(article(f"The {adjective} Minister of Defence opened the Regional Design Workshop on May 3, 2021."),
              stem="test-article")
    assert ("wps:postIn", ministry, True) in statements(d, post)
    event = next(it for it in d.items.values() if it.kind == "event")
    assert ("wps:openedBy", "post:" + post.split("/")[1], True) in statements(d, event.iri[len(ID):])
    org = d.items[ID + ministry.replace(":", "/")]
    assert org.known or org.type_note == "the ministry is not named in the text: its name is a guess"


def test_an_office_of_the_us_and_an_office_the_graph_has():
    d = draft(article("The U.S. Secretary of Labor opened the Regional Design Workshop."), stem="test-article")
    assert ("wps:postIn", "organisation:us-department-of-labor", True) in statements(
        d, "post/us-secretary-of-labor")
    assert ("wps:country", "country:US", True) in statements(d, "organisation/us-department-of-labor")
    d = draft(article("The U.S. Secretary of State opened the Regional Design Workshop."), stem="test-article")
    assert [it.iri[len(ID):] for it in d.items.values() if it.kind == "post"] == ["post/us-secretary-of-state"]


def test_a_chain_of_participles_and_a_role_noun_give_the_roles_of_one_event():
    d = draft(article("The Regional Security Dialogue co-chaired by UN Women, hosted by the Danish Minister of "
                      "Justice, and with Kenyan co-chairs Ministers of Defence and Foreign Affairs to address "
                      "peacebuilding."), stem="test-article")
    got = statements(d, "event/regional-security-dialogue")
    assert {("wps:coChairedBy", "organisation:un-women", True),
            ("wps:hostedBy", "post:denmark-minister-of-justice", True),
            ("wps:coChairedBy", "post:kenya-minister-of-defence", True),
            ("wps:coChairedBy", "post:kenya-minister-of-foreign-affairs", True)} <= got
    assert not any(o == "post:denmark-minister-of-justice" for p, o, _ in got if p != "wps:hostedBy")


def test_the_holder_named_after_an_office_holds_it():
    d = draft(article("Minister for Foreign Affairs Simon Coveney opened the Regional Design Workshop."),
              stem="test-article")
    assert ("wps:holdsPost", "post:minister-for-foreign-affairs", True) in statements(d, "person/simon-coveney")


def test_an_event_named_again_by_part_of_its_name_is_one_event():
    d = draft(article("The North Atlantic Gender Design Workshop opened on May 3, 2021. The Gender Design Workshop "
                      "agreed a plan. The Gender Design Workshop closed."), stem="test-article")
    assert [it.label for it in d.items.values() if it.kind == "event"] == ["North Atlantic Gender Design Workshop"]


# ------------------------------------------------------------------ new organisations and posts

def new_orgs(d) -> dict[str, tuple[str, list[str]]]:
    return {it.label: (it.types[0], sorted(s.object for s in it.statements)) for it in d.items.values()
            if it.kind == "organisation" and not it.known}


def test_a_country_adjective_is_shared_by_coordinated_names():
    d = draft(article("The Regional Design Workshop trained officers of the Chilean Army and Air Force (FACH) and "
                      "Chilean Navy and Marines."), stem="test-article")
    got = new_orgs(d)
    assert {"Chilean Army", "Chilean Air Force", "Chilean Navy", "Chilean Marines"} <= set(got)
    assert got["Chilean Air Force"] == ("MilitaryService", ["country:CL"])


def test_an_office_of_a_named_body_is_a_unit_of_it():
    d = draft(article("The Regional Design Workshop heard the Peruvian Embassy’s Office of Defense Liaison."),
              stem="test-article")
    got = new_orgs(d)
    assert got["Peruvian Embassy"][0] == "DiplomaticMission"
    unit = next(it for it in d.items.values() if it.label == "Peruvian Embassy Office of Defense Liaison")
    assert unit.types == ["OrganisationalUnit"] and unit.alt == ["Office of Defense Liaison"]
    assert ("wps:subOrganisationOf", "organisation:peruvian-embassy") in {(s.predicate, s.object)
                                                                         for s in unit.statements}


def test_an_office_inside_a_department_is_part_of_it_and_plays_the_role():
    d = draft(article("The Army’s Legal Affairs Department Gender Complaints Office presented the Regional Design "
                      "Workshop on May 3, 2021."), stem="test-article")
    office = next(it for it in d.items.values() if it.alt == ["Gender Complaints Office"])
    assert office.label == "Army Legal Affairs Department Gender Complaints Office"
    assert ("wps:subOrganisationOf", "organisation:army-legal-affairs-department") in {
        (s.predicate, s.object) for s in office.statements}
    roles = {(s.predicate, s.object) for s in events(d)["Regional Design Workshop"].statements}
    assert ("wps:presentedBy", term(office.iri)) in roles
    assert ("wps:presentedBy", "organisation:army-legal-affairs-department") not in roles


@pytest.mark.parametrize("name, cls", [("U.S. Army South", "MilitaryCommand"),
                                       ("Marine Forces Pacific", "MilitaryCommand"),
                                       ("Office of the Gender Ombudsperson", "OrganisationalUnit")])
def test_kinds_of_organisation_from_their_names(name, cls):
    from wpsgraph.drafting import cues

    assert cues.classify(name, cues.ORG_CUES) == cls


def test_a_post_without_holder_in_each_organisation_listed():
    d = draft(article("Gender advisers from U.S. Northern Command, U.S. Army South and the Peruvian Navy joined a "
                      "team from UN Women to deliver the Regional Gender Course on May 3, 2021."), stem="test-article")
    posts = {s.object: it.label for it in d.items.values() if it.kind == "post" for s in it.statements
             if s.predicate == "wps:postIn"}
    assert posts == {"organisation:usnorthcom": "Gender Adviser", "organisation:us-army-south": "Gender Adviser",
                     "organisation:peruvian-navy": "Gender Adviser"}
    event = next(it for it in d.items.values() if it.kind == "event")
    roles = {(s.predicate, s.object) for s in event.statements}
    assert ("wps:deliveredBy", "post:usnorthcom-gender-adviser") in roles
    assert ("wps:deliveredBy", "organisation:un-women") in roles
    assert not any(p == "wps:hasParticipant" for p, _ in roles)                    # "joined a team"


# ------------------------------------------------------------------ events, places and hosts

def events(d) -> dict[str, Item]:
    return {it.label: it for it in d.items.values() if it.kind == "event"}


def test_a_name_followed_by_a_kind_of_event_names_an_event():
    d = draft(article("UN Women delivered its Gender Mainstreaming Basics training on May 3, 2021."),
              stem="test-article")
    assert events(d)["Gender Mainstreaming Basics Training"].types == ["Training"]


def test_a_part_of_an_event_and_its_participants():
    d = draft(article("The Regional Design Workshop was held on May 3, 2021. The workshop included a closing "
                      "roundtable including UN Women."), stem="test-article")
    panel = events(d)["Closing Roundtable"]
    got = {(s.predicate, s.object) for s in panel.statements}
    assert ("wps:partOfEvent", "event:regional-design-workshop") in got
    assert ("wps:hasParticipant", "organisation:un-women") in got
    assert panel.types == ["Meeting"]


def test_an_edition_of_a_named_event_is_the_event_the_article_dates():
    d = draft(article("Our partners announce the Gender Leadership Academy. The second session of the Gender "
                      "Leadership Academy was held May 3 to May 5 in Suva, Fiji. The attendees took part in a "
                      "two-day workshop."), stem="test-article")
    session = events(d)["Second Session of the Gender Leadership Academy"]
    got = {(s.predicate, s.object) for s in session.statements}
    assert {("wps:edition", '"2"^^xsd:positiveInteger'), ("wps:partOfEvent", "event:gender-leadership-academy"),
            ("wps:startDate", '"--05-03"^^xsd:gMonthDay'), ("wps:durationDays", '"2"^^xsd:positiveInteger')} <= got
    assert not any(s.predicate == "wps:startDate" for s in events(d)["Gender Leadership Academy"].statements)


def test_the_government_of_a_country_thanked_for_hosting_hosts():
    d = draft(article("“We thank the government of Antigua and Barbuda for hosting the Regional Design Workshop,” "
                      "said Jane Doe."), stem="test-article")
    gov = next(it for it in d.items.values() if it.label == "Government of Antigua and Barbuda")
    assert gov.types == ["Government"] and ("wps:country", "country:AG") in {(s.predicate, s.object)
                                                                            for s in gov.statements}
    got = {(s.predicate, s.object) for s in events(d)["Regional Design Workshop"].statements}
    assert ("wps:hostedBy", "organisation:government-of-antigua-and-barbuda") in got
    assert not any(p in ("wps:hostedBy", "wps:coHostedBy") and o != "organisation:government-of-antigua-and-barbuda"
                   for p, o in got)


def test_a_country_name_with_and_is_not_split():
    d = draft(article("The Gender Advisory Council of Bosnia and Herzegovina met UN Women."), stem="test-article")
    assert "Gender Advisory Council of Bosnia and Herzegovina" in new_orgs(d)


@pytest.mark.parametrize("name", ["Western Africa", "West Africa", "Melanesia"])
def test_regions_are_places_of_their_own(name):
    d = draft(article(f"The Regional Design Workshop gathered experts from {name} on May 3, 2021."),
              stem="test-article")
    place = next(it for it in d.items.values() if it.kind == "place")
    assert (place.label, place.types) == (name, ["Region"])


def test_partnered_with_names_both_organisers():
    d = draft(article("Our Secure Future partnered with UN Women to hold the Regional Design Workshop on May 3, "
                      "2021."), stem="test-article")
    got = {(s.predicate, s.object) for s in events(d)["Regional Design Workshop"].statements}
    assert {("wps:organisedBy", "organisation:our-secure-future"), ("wps:organisedBy", "organisation:un-women")} <= got


# ------------------------------------------------------------------ groups of participants

def groups(d) -> dict[str, set[tuple[str, str]]]:
    return {it.label: {(s.predicate, s.object) for s in it.statements} for it in d.items.values()
            if it.kind == "group"}


def test_groups_listed_among_participants():
    d = draft(article("The Regional Design Workshop gathered over 40 participants, including police officers, "
                      "women mediators and youth, and members of parliament from Chile and Peru."),
              stem="test-article")
    got = groups(d)
    assert set(got) == {"Police officers", "Women mediators and youth", "Members of parliament from Chile and Peru"}
    assert {("wps:representsCountry", "country:CL"), ("wps:representsCountry", "country:PE")} <= got[
        "Members of parliament from Chile and Peru"]
    event = events(d)["Regional Design Workshop"]
    assert ("wps:hasParticipant", "group:test-article-police-officers") in {(s.predicate, s.object)
                                                                           for s in event.statements}


def test_the_audience_of_a_training_is_a_group_until_the_organisation_it_belongs_to():
    d = draft(article("UN Women delivered the Regional Gender Course to judges and young prosecutors in the Chilean "
                      "Navy on May 3, 2021."), stem="test-article")
    assert set(groups(d)) == {"Judges and young prosecutors"}
    got = {(s.predicate, s.object) for s in events(d)["Regional Gender Course"].statements}
    assert {("wps:hasAudience", "group:test-article-judges-and-young-prosecutors"),
            ("wps:hasAudience", "organisation:chilean-navy")} <= got


def test_no_group_from_counts_things_or_organisations():
    d = draft(article("The Regional Design Workshop brought together diverse perspectives with diverse partners, "
                      "including UN Women representatives and over 30 participants."), stem="test-article")
    assert groups(d) == {}


def test_a_relative_clause_between_commas_keeps_the_subject_of_the_verb():
    d = draft(article("The Chilean Army Gender Office, which investigates cases of harassment, presented the "
                      "Regional Design Workshop on May 3, 2021."), stem="test-article")
    got = {(s.predicate, s.object) for s in events(d)["Regional Design Workshop"].statements}
    assert ("wps:presentedBy", "organisation:chilean-army-gender-office") in got


# ------------------------------------------------------------------ statements, end states, figures, labels

def test_a_quoted_speaker_makes_a_statement_that_a_following_quotation_continues():
    d = draft(article("“Training matters,” said Colonel Jane Doe, gender advisor for U.S. Northern Command. “It is "
                      "about gender equality.” The Regional Design Workshop ended on May 3, 2021."),
              stem="test-article")
    st = d.items[ID + "statement/test-article-jane-doe"]
    got = {(s.predicate, s.object) for s in st.statements}
    assert ("wps:statementBy", "person:jane-doe") in got
    assert ("wps:inCapacityOf", "post:usnorthcom-gender-advisor") in got
    assert ("wps:addresses", "theme:gender-equality") in got
    assert st.type_note and "statement:test-article-jane-doe: no wps:summary" in d.review_text()


def test_end_states_listed_after_a_colon():
    d = draft(article("The Chilean Army published its Gender Strategy. The strategy has two end states: Building "
                      "Trust; and, Ending Gender-Based Violence in All Units, above all in conflict."),
              stem="test-article")
    ends = {it.label: it for it in d.items.values() if it.kind == "endstate"}
    assert set(ends) == {"Building Trust", "Ending Gender-Based Violence in All Units"}
    assert ("wps:addresses", "theme:gender-based-violence") in {
        (s.predicate, s.object) for s in ends["Ending Gender-Based Violence in All Units"].statements}
    strategy = next(it for it in d.items.values() if it.kind == "commitment")
    assert {s.object for s in strategy.statements if s.predicate == "wps:hasEndState"} == {
        "endstate:building-trust", "endstate:ending-gender-based-violence-in-all-units"}


@pytest.mark.parametrize("text, prop, value", [
    ("More than 80 countries have adopted a National Action Plan.", "wps:observedValueMoreThan", '"80"^^xsd:integer'),
    ("Chile is one of twelve countries worldwide that have signed the charter.", "wps:observedValue",
     '"12"^^xsd:integer'),
])
def test_a_count_of_countries_is_a_figure(text, prop, value):
    d = draft(article(text), stem="test-article")
    (obs,) = [it for it in d.items.values() if it.kind == "observation"]
    got = {(s.predicate, s.object) for s in obs.statements}
    assert {("wps:indicator", "indicator:countries"), ("wps:unit", "unit:count"), (prop, value)} <= got
    rdflib.Graph().parse(data=d.turtle(), format="turtle")


def test_a_new_name_spells_out_wps_and_keeps_the_short_form():
    d = draft(article("UN Women launched the WPS Leadership Academy on May 3, 2021."), stem="test-article")
    (event,) = [it for it in d.items.values() if it.kind == "event"]
    assert (event.label, event.alt) == ("Women, Peace and Security Leadership Academy", ["WPS Leadership Academy"])


def test_a_bilateral_event_takes_part_of_the_countries_of_its_actors():
    d = draft(article("The Chilean Army delivered the Regional Gender Course to the Peruvian Navy on May 3, 2021. "
                      "The bilateral course ended on May 5."), stem="test-article")
    got = {(s.predicate, s.object) for s in events(d)["Regional Gender Course"].statements}
    assert {("wps:participatingCountry", "country:CL"), ("wps:participatingCountry", "country:PE")} <= got


def test_an_indefinite_description_adds_a_kind_to_the_event():
    d = draft(article("The Regional Consultation opened on May 3, 2021. The attendees took part in an intensive "
                      "two-day workshop."), stem="test-article")
    assert events(d)["Regional Consultation"].types == ["Consultation", "Workshop"]


def test_an_acronym_of_initials_and_the_headline():
    text = ("GAO joins the Regional Design Workshop\n\nNews | Sept. 22, 2021\n\nThe Regional Design Workshop "
            "opened on May 3, 2021. “It matters,” said Jane Doe, gender advisor for the Gender Action Office.\n")
    d = draft(text, stem="test-article")
    office = next(it for it in d.items.values() if it.label == "Gender Action Office")
    assert "GAO" in office.alt
    got = {(s.predicate, s.object) for s in events(d)["Regional Design Workshop"].statements}
    assert ("wps:hasParticipant", "organisation:gender-action-office") in got


def test_a_region_is_where_an_event_is_not_a_city():
    d = draft(article("The Regional Design Workshop gathered experts in Western Africa on May 3, 2021."),
              stem="test-article")
    got = {(s.predicate, s.object) for s in events(d)["Regional Design Workshop"].statements}
    assert ("wps:inRegion", "place:western-africa") in got and not any(p == "wps:heldIn" for p, _ in got)


def test_an_unnamed_event_is_of_the_kind_the_article_calls_it_most_often():
    d = draft(article("UN Women held a training on May 3, 2021, adapted from its Gender Basics training. The "
                      "seminar covered mediation. Participants praised the seminar."), stem="test-article")
    main = next(it for it in d.items.values() if it.label == "A test article")
    assert main.types == ["Seminar"]


def test_what_the_participants_discussed_the_event_addressed():
    d = draft(article("The Regional Design Workshop opened on May 3, 2021. Trainees also discussed mediation. "
                      "Peacekeeping matters."), stem="test-article")
    got = {(s.predicate, s.object, s.certain) for s in events(d)["Regional Design Workshop"].statements}
    assert ("wps:addresses", "theme:mediation", True) in got
    assert ("wps:addresses", "theme:peacekeeping", False) in got


def test_two_new_names_this_close_are_listed_as_maybe_one_body():
    d = draft(article("The Chilean Office of Gender Coordination in Santiago hosted the Regional Design Workshop on "
                      "May 3, 2021. The Chilean Embassy’s Office of Gender Cooperation and the Chilean Army Gender "
                      "Office presented the workshop."), stem="test-article")
    notes = [r for r in d.review if "may be one body" in r]
    assert len(notes) == 1
    assert "office-of-gender-coordination" in notes[0] and "office-of-gender-cooperation" in notes[0]


# ------------------------------------------------------------------ dates

@pytest.mark.parametrize("text, start, end", [
    ("on February 28-29, 2024.", ("2024-02-28", "date"), ("2024-02-29", "date")),
    ("on 3 to 5 March 2019.", ("2019-03-03", "date"), ("2019-03-05", "date")),
    ("during the May 2021 ministerial", ("2021-05", "gYearMonth"), None),
    ("on 12 December 2023.", ("2023-12-12", "date"), None),
    ("was held May 13th to May 15th, in", ("--05-13", "gMonthDay"), ("--05-15", "gMonthDay")),
])
def test_date_forms(text, start, end):
    (d,) = find_dates(text, "2024-06-04")
    assert (d.start_value, d.end_value) == (start, end)


@pytest.mark.parametrize("text, resolved, method", [
    ("Aug. 1 – 13 in Mexico City", ("2021-08-01", "date"), "year-of-publication"),
    ("held on December 12 in", ("2020-12-12", "date"), "year-of-publication"),   # after publication: year before
    ("the meeting last month", ("2021-08", "gYearMonth"), "relative-to-publication"),
    ("the minister spoke on Tuesday", ("2021-09-21", "date"), "weekday-before-publication"),
])
def test_relative_dates(text, resolved, method):
    (d,) = find_dates(text, "2021-09-22")
    assert (d.resolved_start, d.method) == (resolved, method)


def test_relative_date_in_the_draft_records_how_it_was_resolved():
    d = draft(article("U.S. Northern Command hosted the Regional Design Workshop last month."), stem="test-article")
    ttl = d.turtle()
    assert 'wps:resolvedStartDate "2021-08"^^xsd:gYearMonth' in ttl
    assert "wps:dateResolutionMethod dateresolution:relative-to-publication" in ttl
    assert "wps:dateResolvedFrom source:test-article" in ttl


# ------------------------------------------------------------------ roles, titles, counts

@pytest.mark.parametrize("text, role", [
    ("U.S. Northern Command hosted the Regional Design Workshop on May 3, 2021.", "wps:hostedBy"),
    ("The Regional Design Workshop was co-chaired by U.S. Northern Command on May 3, 2021.", "wps:coChairedBy"),
    ("U.S. Northern Command opened the Regional Design Workshop on May 3, 2021.", "wps:openedBy"),
    ("U.S. Northern Command delivered the Regional Gender Course on May 3, 2021.", "wps:deliveredBy"),
    ("U.S. Northern Command briefed the Regional Design Workshop on May 3, 2021.", "wps:briefedBy"),
])
def test_roles(text, role):
    d = draft(article(text), stem="test-article")
    event = next(it for it in d.items.values() if it.kind == "event")
    assert (role, "organisation:usnorthcom") in {(s.predicate, s.object) for s in event.statements}


def test_rank_title_and_participants():
    d = draft(article("The Regional Design Workshop brought together over 35 participants. "
                      "“It matters,” said Major Jane Doe, gender advisor for U.S. Northern Command."),
              stem="test-article")
    person = d.items[ID + "person/jane-doe"]
    got = {(s.predicate, s.object) for s in person.statements}
    assert ('wps:rank', '"Major"') in got and any(p == "wps:holdsPost" for p, _ in got)
    event = next(it for it in d.items.values() if it.kind == "event")
    assert ("wps:participantCountMoreThan", '"35"^^xsd:nonNegativeInteger') in {
        (s.predicate, s.object) for s in event.statements}


def test_every_statement_names_its_sentence_and_unsure_ones_are_commented_out():
    d = draft(article("Experts from Canada took part. The Regional Design Workshop addressed gender equality. "
                      "Peace operations matter."), stem="test-article")
    ttl = d.turtle()
    rdflib.Graph().parse(data=ttl, format="turtle")
    assert "# [s2] The Regional Design Workshop addressed gender equality." in ttl
    assert re.search(r"#\? wps:addresses theme:peace-operations ;\s+# unsure", ttl)


# ------------------------------------------------------------------ the seeds

@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles (../shared/seeds) are not here")
@pytest.mark.parametrize("seed", sorted(SEED_STEMS))
def test_seed_draft_parses_and_validates(seed, tmp_path):
    from wpsgraph.namespaces import Names
    from wpsgraph.validation.command import run

    stem = SEED_STEMS[seed]
    d = draft((SEEDS / f"{seed}.txt").read_text(encoding="utf-8"), stem=f"draft-{stem}", exclude=(stem,))
    out = tmp_path / f"draft-{stem}.ttl"
    out.write_text(d.turtle(), encoding="utf-8")
    rdflib.Graph().parse(out, format="turtle")
    report = run([out], Names(), "fast", use_cache=False)
    review = d.review_text()
    for f in report.findings:
        if f.severity == "error":
            focus = f.focus or ""
            compact = "".join(focus.replace(ID, "").split("/", 1)[:1]) + ":" + focus.rsplit("/", 1)[-1]
            assert compact in review and "left open" in review, f"violation the draft does not announce: {f}"


# ------------------------------------------------------------------ the command

def test_cli_draft_from_stdin_and_to_a_file(tmp_path):
    runner = CliRunner()
    text = article("U.S. Northern Command hosted the Regional Design Workshop on May 3, 2021.")
    r = runner.invoke(main, ["draft", "-", "--url", "https://example.org/a"], input=text)
    assert r.exit_code == 0 and "wps:hostedBy organisation:usnorthcom" in r.stdout
    out = tmp_path / "example-2021.ttl"
    r = runner.invoke(main, ["draft", "-", "--out", str(out), "--publisher", "U.S. Northern Command"], input=text)
    assert r.exit_code == 0 and out.exists() and (tmp_path / "example-2021.ttl.review.txt").exists()
    assert "source:example-2021" in out.read_text()


@pytest.mark.parametrize("args, stdin", [(["draft", "/no/such/article.txt"], None), (["draft", "-"], "\n\n"),
                                         (["draft", "-", "--published", "yesterday-ish"], "A title\n\nA text.\n")])
def test_cli_bad_input_is_one_line_and_exit_2(args, stdin):
    r = CliRunner().invoke(main, args, input=stdin)
    assert r.exit_code == 2
    assert r.output.count("\n") == 1 and r.output.startswith("error:") and "Traceback" not in r.output


def test_a_known_name_at_the_head_of_a_longer_name_is_not_that_resource():
    """"U.S. Army Pacific" names another command than the U.S. Army the graph knows; a title after the name
    ("U.S. Army Gender Advisor") keeps the link to the Army."""
    assert "organisation/us-army" not in linked("Officers of the U.S. Army Pacific met in Manila on May 3, 2021.")
    assert "organisation/us-army" in linked("The U.S. Army Gender Advisor spoke in Manila on May 3, 2021.")
