"""Vocabulary check: every class and property a data file uses is declared in the ontology, or is a term of a
standard vocabulary the ontology aligns to. A misspelt term is reported with a "did you mean" suggestion."""

from __future__ import annotations

import difflib

import pyoxigraph as ox

from wpsgraph.namespaces import DCT, FOAF, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, Names

STANDARD = {
    RDF: "type first rest nil value Property List langString Statement subject predicate object",
    RDFS: "label comment seeAlso isDefinedBy subClassOf subPropertyOf domain range Class Resource Literal Datatype",
    OWL: "sameAs differentFrom deprecated versionInfo Thing NamedIndividual",
    DCT: "title creator subject description publisher contributor date type format identifier source language "
         "relation coverage rights audience alternative tableOfContents abstract created valid available issued "
         "modified extent medium isVersionOf hasVersion isReplacedBy replaces isRequiredBy requires isPartOf "
         "hasPart isReferencedBy references isFormatOf hasFormat conformsTo spatial temporal license rightsHolder "
         "provenance accessRights bibliographicCitation Agent Location PeriodOfTime LicenseDocument",
    SKOS: "prefLabel altLabel hiddenLabel definition note scopeNote editorialNote changeNote historyNote example "
          "notation inScheme hasTopConcept topConceptOf broader narrower related exactMatch closeMatch broadMatch "
          "narrowMatch relatedMatch Concept ConceptScheme Collection",
    SCHEMA: "name url identifier legalName alternateName description sameAs startDate endDate location address "
            "image author publisher datePublished dateModified headline inLanguage about mentions organizer "
            "attendee jobTitle memberOf member parentOrganization subOrganization foundingDate keywords isPartOf "
            "hasPart text citation sponsor funder email telephone Person Organization Event Place Country City "
            "CreativeWork NewsArticle Article WebPage GovernmentOrganization",
    FOAF: "name homepage page mbox nick title givenName familyName based_near knows member topic primaryTopic "
          "depiction logo isPrimaryTopicOf Person Organization Agent Document Group",
    PROV: "wasDerivedFrom wasGeneratedBy wasAttributedTo used wasAssociatedWith actedOnBehalfOf generatedAtTime "
          "startedAtTime endedAtTime hadPrimarySource wasQuotedFrom wasRevisionOf atLocation value Entity "
          "Activity Agent Organization Person Location",
    ORG: "subOrganizationOf hasSubOrganization transitiveSubOrganizationOf unitOf hasUnit memberOf hasMember "
         "member organization role holds heldBy postIn hasPost reportsTo headOf identifier classification purpose "
         "hasSite siteOf basedAt linkedTo memberDuring location Organization FormalOrganization "
         "OrganizationalUnit Membership Post Role Site",
}
STANDARD_TERMS = {ns + local for ns, words in STANDARD.items() for local in words.split()}
STANDARD_NAMESPACES = set(STANDARD) | {XSD}


def declared_terms(store: ox.Store, names: Names) -> set[str]:
    """Terms the ontology declares or mentions (external terms it aligns to count as declared)."""
    out = set()
    for q in store.quads_for_pattern(None, None, None, names.ontology_graph):
        for t in (q.subject, q.predicate, q.object):
            if isinstance(t, ox.NamedNode):
                out.add(t.value)
    return out


def check(store: ox.Store, names: Names, graphs: list) -> list:
    """Findings for undeclared classes and properties used in ``graphs`` (unlocated; validate.locate places them)."""
    from wpsgraph.validation.findings import Finding

    known = declared_terms(store, names) | STANDARD_TERMS
    wps_terms = sorted(t for t in known if t.startswith(names.wps))
    candidates = sorted(known)
    rdf_type = ox.NamedNode(RDF + "type")
    findings, seen = [], set()
    for graph in graphs:
        for q in store.quads_for_pattern(None, None, None, graph):
            used = [("property", q.predicate, q)]
            if q.predicate == rdf_type and isinstance(q.object, ox.NamedNode):
                used.append(("class", q.object, q))
            for kind, term, quad in used:
                iri = term.value
                if iri in known or (graph, iri) in seen:
                    continue
                seen.add((graph, iri))
                ns = _namespace(iri)
                standard = ns in STANDARD_NAMESPACES and not iri.startswith(names.base)
                pool = [c for c in candidates if _namespace(c) == ns] or wps_terms
                guess = _suggest(iri, pool, kind)
                short = _short(iri, names)
                if standard:
                    severity = "warning"
                    message = (f"The {kind} {short} is not a term wpsgraph knows in its vocabulary "
                               f"({_short(ns, names).rstrip(':')}).")
                else:
                    severity = "violation"
                    message = (f"The {kind} {short} is not declared in the wps ontology or in a standard vocabulary "
                               f"it aligns to.")
                message += f" Did you mean {_short(guess, names)}?" if guess else \
                    " Check its spelling, or add it to ontology/wps.ttl."
                findings.append(Finding(severity=severity, message=message, focus_node=quad.subject,
                                        result_path=("pred", quad.predicate),
                                        value_node=term if kind == "class" else None, source_shape="vocabulary",
                                        check="vocabulary", statement=quad))
    return findings


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def _local(iri: str) -> str:
    return iri[len(_namespace(iri)):]


def _suggest(iri: str, pool: list[str], kind: str) -> str | None:
    local = _local(iri)
    by_local: dict[str, str] = {}
    for c in pool:
        name = _local(c)
        if name and (name[0].isupper() == (kind == "class") or not name[0].isalpha()):
            by_local.setdefault(name.lower(), c)
    match = difflib.get_close_matches(local.lower(), list(by_local), n=1, cutoff=0.6)
    return by_local[match[0]] if match else None


def _short(iri: str, names: Names) -> str:
    return names.compact(iri) or f"<{iri}>"
