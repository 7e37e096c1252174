"""The words the notice, the record of processing and the diff use, in Finnish and English.

The policy's own names (fields, purposes, recipients) come from its ``Text`` values. What is
not the policy's to name, the fixed vocabularies of the language (legal bases, rights, roles,
triggers) and the headings of a Finnish notice, is translated here, in one table, so that a
wording is fixed once for every output.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["fi", "en"]
LANGUAGES: tuple[Lang, ...] = ("fi", "en")

TERMS: dict[str, dict[Lang, str]] = {
    # Headings of the notice, in the order of the seed notice's sections.
    "heading.controller": {"fi": "Rekisterinpitäjä", "en": "Controller"},
    "heading.dpo": {"fi": "Tietosuojavastaava", "en": "Data protection officer"},
    "heading.contact": {
        "fi": "Yhteystiedot rekisteriin liittyvissä asioissa",
        "en": "Contact for matters concerning the register",
    },
    "heading.informing": {"fi": "Tietosuojasta informointi", "en": "About this notice"},
    "heading.role": {"fi": "Rooli rekisterissä", "en": "Role in this register"},
    "heading.data_subjects": {"fi": "Rekisteröidyt", "en": "Data subjects"},
    "heading.legal_basis": {"fi": "Rekisterin pitämisen peruste", "en": "Legal basis"},
    "heading.purposes": {
        "fi": "Henkilötietojen käsittelyn ja rekisterin käyttötarkoitus",
        "en": "Purposes of processing",
    },
    "heading.stored_data": {
        "fi": "Rekisteriin tallennettavat henkilötiedot",
        "en": "Personal data stored in the register",
    },
    "heading.sources": {"fi": "Rekisterin tietolähteet", "en": "Sources of the data"},
    "heading.retention": {"fi": "Tietojen säilyttäminen", "en": "Retention"},
    "heading.rights": {"fi": "Rekisteröidyn oikeudet", "en": "Rights of the data subject"},
    "heading.security": {"fi": "Rekisterin suojaus", "en": "Security of the register"},
    "heading.handlers": {
        "fi": "Henkilötietojen käsittelijät",
        "en": "Who processes the personal data",
    },
    "heading.recipients": {
        "fi": "Tietojen vastaanottajat ja niille luovutettavat tiedot",
        "en": "Recipients and the data they receive",
    },
    "heading.disclosures": {"fi": "Tietojen luovuttaminen", "en": "Disclosure of data"},
    "heading.transfers": {
        "fi": "Tietojen siirto EU:n tai ETA:n ulkopuolelle",
        "en": "Transfers outside the EU or the EEA",
    },
    "heading.complaint": {"fi": "Valitusoikeus", "en": "Right to lodge a complaint"},
    "heading.changes": {"fi": "Tietosuojaselosteen muuttaminen", "en": "Changes to this notice"},
    # Labels inside sections.
    "label.address": {"fi": "Osoite", "en": "Address"},
    "label.business_id": {"fi": "Y-tunnus", "en": "Business ID"},
    "label.email": {"fi": "Sähköposti", "en": "E-mail"},
    "label.phone": {"fi": "Puhelin", "en": "Phone"},
    "label.url": {"fi": "Verkkosivut", "en": "Website"},
    "label.fields": {"fi": "Tiedot", "en": "Data"},
    "label.recipients": {"fi": "Vastaanottajat", "en": "Recipients"},
    "label.legal_basis": {"fi": "Peruste", "en": "Legal basis"},
    "label.honours": {
        "fi": "Tässä käyttötarkoituksessa noudatetaan erityisesti seuraavia rekisteröidyn "
        "oikeuksia",
        "en": "Rights of the data subject that this purpose observes in particular",
    },
    "label.locations": {"fi": "Käsittelypaikka", "en": "Location"},
    # After the recipient's name, in brackets: the old name stays in the nominative.
    "label.formerly": {"fi": "aiemmin", "en": "formerly"},
    "label.exception": {"fi": "Poikkeus", "en": "Exception"},
    "label.processors": {
        "fi": "Henkilötietojen käsittelijät (alihankkijat)",
        "en": "Processors (subcontractors)",
    },
    "label.authority": {"fi": "Valvontaviranomainen", "en": "Supervisory authority"},
    # A colon introduces the places: their names stay in the nominative ("EU/ETA", "Norja").
    "label.allowed": {
        "fi": "Tietoja käsitellään ja säilytetään ainoastaan seuraavilla alueilla",
        "en": "Data is processed and stored only in the following places",
    },
    "label.allowed.safeguarded": {
        "fi": "Ilman erillisiä suojatoimia tietoja käsitellään ja säilytetään ainoastaan "
        "seuraavilla alueilla",
        "en": "Without further safeguards, data is processed and stored only in the following "
        "places",
    },
    "label.ban": {"fi": "Siirtokielto", "en": "Transfer ban"},
    # Sentences; {placeholders} are filled from the policy.
    # Finnish: a name the code inserts stands in the nominative ("rekisterinpitäjänä toimii
    # X"); the case ending of an arbitrary name is never guessed.
    "text.role.controller": {
        "fi": "Tämän rekisterin rekisterinpitäjänä toimii {controller}.",
        "en": "The controller of this register is {controller}.",
    },
    "text.role.processor": {
        "fi": "Tämän rekisterin henkilötietoja käsitellään rekisterinpitäjän lukuun: "
        "{controller} toimii henkilötietojen käsittelijänä ja rekisterinpitäjänä toimii "
        "{owner}. Rekisterinpitäjä vastaa rekisteriin kohdistuviin tietopyyntöihin.",
        "en": "The personal data of this register is processed on the controller's behalf: "
        "{controller} acts as the processor and {owner} is the controller. The controller "
        "answers requests concerning the register.",
    },
    "text.rights_contact": {
        "fi": "Oikeuksien käyttämistä koskevat pyynnöt tulee tehdä osoitteeseen {email}.",
        "en": "Requests to exercise these rights go to {email}.",
    },
    "text.rights_owner": {
        "fi": "Tätä rekisteriä koskeviin pyyntöihin vastaa rekisterinpitäjä {owner}.",
        "en": "Requests concerning this register are answered by the controller, {owner}.",
    },
    "text.staff_trained": {
        "fi": "Kaikki tietoja käsittelevät henkilöt on koulutettu henkilötietojen käsittelyyn "
        "ja tietosuojalainsäädännön määräyksiin.",
        "en": "Everyone who processes the data is trained in handling personal data and in "
        "data protection law.",
    },
    "text.complaint": {
        "fi": "Rekisteröidyllä on oikeus tehdä kantelu valvontaviranomaiselle, jos hän "
        "katsoo, että henkilötietojen käsittelyssä rikotaan tietosuojalainsäädäntöä.",
        "en": "A data subject may lodge a complaint with the supervisory authority if they "
        "consider that the processing of personal data infringes data protection law.",
    },
    "text.retention": {
        "fi": "{what} säilytetään {period} {trigger}, minkä jälkeen ne {action}.",
        "en": "{what} kept for {period} {trigger}; then {action}.",
    },
    "text.retention.at_once": {
        "fi": "{what} {action} viipymättä (säilytysaika lasketaan {trigger}).",
        "en": "{what} {action} at once {trigger}.",
    },
    "text.retention.record": {"fi": "Tiedot", "en": "The data is"},
    "text.retention.fields": {"fi": "Seuraavat tiedot", "en": "These data are"},
    "text.retention.linked": {
        "fi": "Sääntö koskee myös tietoihin kytkettyjä sisältöjä.",
        "en": "The rule also covers the content linked to the data.",
    },
    "text.retention.verified": {
        "fi": "Säilytyksen noudattamisen tarkistaa {by}: {how}.",
        "en": "Compliance is verified by {by}: {how}.",
    },
    "text.recipient_kind": {
        "fi": "Vastaanottaja on {kind}.",
        "en": "The recipient is a {kind}.",
    },
    "text.no_transfers": {
        "fi": "ei siirtoja EU:n tai ETA:n ulkopuolelle",
        "en": "no transfers outside the EU or the EEA",
    },
    "text.no_recipients": {"fi": "ei vastaanottajia", "en": "no recipients"},
    "text.not_declared": {"fi": "ei ilmoitettu", "en": "not declared"},
    "text.not_applicable": {"fi": "ei sovellu", "en": "not applicable"},
    # GDPR Art. 6(1) bases; the point letter is filled in by the code.
    "basis.consent": {"fi": "Suostumus", "en": "Consent"},
    "basis.contract": {"fi": "Sopimus", "en": "Contract"},
    "basis.legal_obligation": {"fi": "Lakisääteinen velvoite", "en": "Legal obligation"},
    "basis.vital_interests": {
        "fi": "Elintärkeiden etujen suojaaminen",
        "en": "Vital interests",
    },
    "basis.public_task": {
        "fi": "Yleisen edun mukainen tehtävä tai julkisen vallan käyttö",
        "en": "Public task or official authority",
    },
    "basis.legitimate_interests": {"fi": "Oikeutettu etu", "en": "Legitimate interests"},
    "basis.article": {
        "fi": "tietosuoja-asetuksen 6 artiklan 1 kohdan {point} alakohta",
        "en": "GDPR Art. 6(1)({point})",
    },
    # Rights: a name and what it gives the data subject.
    "right.access": {"fi": "Tarkastusoikeus", "en": "Right of access"},
    "right.access.text": {
        "fi": "Oikeus tarkastaa, mitä häntä koskevia tietoja rekisteriin on tallennettu.",
        "en": "The right to see what data about them the register holds.",
    },
    "right.rectification": {"fi": "Oikeus tietojen korjaamiseen", "en": "Right to rectification"},
    "right.rectification.text": {
        "fi": "Virheelliset, puutteelliset tai vanhentuneet tiedot korjataan pyynnöstä.",
        "en": "Wrong, incomplete or outdated data is corrected on request.",
    },
    "right.erasure": {"fi": "Oikeus tietojen poistamiseen", "en": "Right to erasure"},
    "right.erasure.text": {
        "fi": "Käsittelyn tarkoituksen kannalta tarpeettomat tiedot poistetaan pyynnöstä.",
        "en": "Data not needed for the purposes of processing is deleted on request.",
    },
    "right.restriction": {
        "fi": "Oikeus käsittelyn rajoittamiseen",
        "en": "Right to restriction of processing",
    },
    "right.restriction.text": {
        "fi": "Kiistanalaisten tietojen käsittelyä rajoitetaan siksi aikaa, kunnes asia "
        "saadaan ratkaistua.",
        "en": "The processing of disputed data is restricted until the dispute is resolved.",
    },
    "right.portability": {"fi": "Oikeus siirtää tiedot", "en": "Right to data portability"},
    "right.portability.text": {
        "fi": "Oikeus saada itse toimittamansa tiedot koneluettavassa muodossa.",
        "en": "The right to receive the data they provided in a machine-readable format.",
    },
    "right.objection": {"fi": "Vastustamisoikeus", "en": "Right to object"},
    "right.objection.text": {
        "fi": "Oikeus vastustaa oikeutettuun etuun perustuvaa käsittelyä.",
        "en": "The right to object to processing based on legitimate interests.",
    },
    "right.marketing_opt_out": {"fi": "Markkinointikielto", "en": "Marketing opt-out"},
    "right.marketing_opt_out.text": {
        "fi": "Rekisteröidyllä on oikeus kieltää tietojen käyttäminen markkinointiin.",
        "en": "A data subject may forbid the use of their data for marketing.",
    },
    "right.article": {"fi": "tietosuoja-asetuksen {article} artikla", "en": "GDPR Art. {article}"},
    # Recipients, by type (GDPR Art. 4(9)-(10), 26, 28), and a register's role.
    "type.processor": {
        "fi": "henkilötietojen käsittelijä, joka käsittelee tietoja rekisterinpitäjän lukuun",
        "en": "processor, acting on the controller's behalf",
    },
    "type.third_party": {
        "fi": "kolmas osapuoli, joka on itse tietojen rekisterinpitäjä",
        "en": "third party, a controller in its own right",
    },
    "type.joint_controller": {"fi": "yhteisrekisterinpitäjä", "en": "joint controller"},
    "type.authority": {"fi": "viranomainen", "en": "public authority"},
    "role.controller": {"fi": "rekisterinpitäjä", "en": "controller"},
    "role.processor": {"fi": "henkilötietojen käsittelijä", "en": "processor"},
    "heading.processors": {
        "fi": "Henkilötietojen käsittelijät (tietosuoja-asetuksen 28 artikla)",
        "en": "Processors (GDPR Art. 28)",
    },
    "heading.third_parties": {
        "fi": "Luovutuksensaajat, jotka ovat itse rekisterinpitäjiä",
        "en": "Recipients that are controllers in their own right",
    },
    "ropa.recipients.processors": {"fi": "Henkilötietojen käsittelijät", "en": "Processors"},
    "ropa.recipients.controllers": {"fi": "Muut rekisterinpitäjät", "en": "Other controllers"},
    # Transfers outside the allowed places, by mechanism (GDPR Chapter V). Finnish keeps the
    # place in the nominative before a colon: a country's name is not inflected by code.
    "transfer.line": {
        "fi": "{recipient}: {what}.",
        "en": "{recipient}: data is transferred {what}.",
    },
    "transfer.adequacy.named": {
        "fi": "{place} – siirto perustuu Euroopan komission tietosuojan riittävyyttä "
        "koskevaan päätökseen ({name}, päätös {date})",
        "en": "to {place} under the {name} (adequacy decision of {date})",
    },
    "transfer.adequacy": {
        "fi": "{place} – siirto perustuu Euroopan komission {date} tekemään tietosuojan "
        "riittävyyttä koskevaan päätökseen",
        "en": "to {place} under the European Commission's adequacy decision of {date}",
    },
    "transfer.adequacy.unknown": {
        "fi": "{place} – siirto perustuu Euroopan komission tietosuojan riittävyyttä "
        "koskevaan päätökseen",
        "en": "to {place} under an adequacy decision of the European Commission",
    },
    "transfer.scc": {
        "fi": "{place} – siirto perustuu Euroopan komission hyväksymiin "
        "vakiosopimuslausekkeisiin (tietosuoja-asetuksen 46 artiklan 2 kohdan c alakohta)",
        "en": "to {place} under standard contractual clauses adopted by the European "
        "Commission (GDPR Art. 46(2)(c))",
    },
    "transfer.bcr": {
        "fi": "{place} – siirto perustuu yritystä koskeviin sitoviin sääntöihin "
        "(tietosuoja-asetuksen 47 artikla)",
        "en": "to {place} under binding corporate rules (GDPR Art. 47)",
    },
    "transfer.derogation": {
        "fi": "{place} – siirto perustuu tietosuoja-asetuksen 49 artiklan mukaiseen "
        "poikkeukseen erityistilanteissa",
        "en": "to {place} under a derogation for a specific situation (GDPR Art. 49)",
    },
    # Retention: when the period starts (fi in the elative: "...-sta") and what happens.
    "trigger.relationship_end": {
        "fi": "asiakas- tai palvelusuhteen päättymisestä",
        "en": "after the customer or service relationship ends",
    },
    "trigger.collection": {"fi": "tietojen keräämisestä", "en": "after collection"},
    "trigger.last_activity": {"fi": "viimeisestä asioinnista", "en": "after the last activity"},
    "trigger.consent_withdrawn": {
        "fi": "suostumuksen peruuttamisesta",
        "en": "after consent is withdrawn",
    },
    # A date field's name would need the genitive ("laskun päivämäärästä"): the sentence is
    # built so that the name stands alone, in quotation marks, in the nominative.
    "trigger.date": {
        "fi": "päivämäärästä, joka on kirjattu tietoon ”{field}”",
        "en": "after the date recorded as “{field}”",
    },
    "action.delete": {"fi": "poistetaan", "en": "deleted"},
    "action.anonymise": {"fi": "anonymisoidaan", "en": "anonymised"},
    # Periods: singular and plural.
    "unit.Y": {"fi": "vuosi|vuotta", "en": "year|years"},
    "unit.M": {"fi": "kuukausi|kuukautta", "en": "month|months"},
    "unit.W": {"fi": "viikko|viikkoa", "en": "week|weeks"},
    "unit.D": {"fi": "päivä|päivää", "en": "day|days"},
    "unit.TH": {"fi": "tunti|tuntia", "en": "hour|hours"},
    "unit.TM": {"fi": "minuutti|minuuttia", "en": "minute|minutes"},
    "unit.TS": {"fi": "sekunti|sekuntia", "en": "second|seconds"},
    # Field kinds (``fields.*.kind``, ``forbidden_kinds``, ``allowed_kinds``); the special
    # categories in the words of GDPR Art. 9(1). The label introduces, under the stored data,
    # the kinds a register holds by its own exception (``allowed_kinds``).
    "label.allowed_kinds": {
        "fi": "Erityistä suojaa vaativat tiedot ja niiden käsittelyperuste",
        "en": "Data that needs special protection, and the basis for processing it",
    },
    "kind.organisation_name": {"fi": "Organisaation nimi", "en": "Name of an organisation"},
    "kind.fi_business_id": {"fi": "Y-tunnus", "en": "Finnish business ID"},
    "kind.registration_number": {"fi": "Rekisterinumero", "en": "Registration number"},
    "kind.person_name": {"fi": "Henkilön nimi", "en": "Name of a person"},
    "kind.postal_address": {"fi": "Postiosoite", "en": "Postal address"},
    "kind.email": {"fi": "Sähköpostiosoite", "en": "E-mail address"},
    "kind.phone": {"fi": "Puhelinnumero", "en": "Phone number"},
    "kind.domain_name": {"fi": "Verkkotunnus", "en": "Domain name"},
    "kind.billing_details": {"fi": "Laskutustiedot", "en": "Billing details"},
    "kind.iban": {"fi": "Tilinumero (IBAN)", "en": "Bank account number (IBAN)"},
    "kind.ip_address": {"fi": "IP-osoite", "en": "IP address"},
    "kind.username": {"fi": "Käyttäjätunnus", "en": "Username"},
    "kind.free_text": {"fi": "Vapaa teksti", "en": "Free text"},
    "kind.date": {"fi": "Päivämäärä", "en": "Date"},
    "kind.timestamp": {"fi": "Aikaleima", "en": "Timestamp"},
    "kind.flag": {"fi": "Kyllä/ei-tieto", "en": "Yes/no flag"},
    "kind.identifier": {"fi": "Tunniste", "en": "Identifier"},
    "kind.birth_date": {"fi": "Syntymäaika", "en": "Date of birth"},
    "kind.location": {"fi": "Sijaintitieto", "en": "Location"},
    "kind.money_amount": {"fi": "Rahamäärä", "en": "Amount of money"},
    "kind.fi_personal_identity_code": {"fi": "Henkilötunnus", "en": "Personal identity code"},
    "kind.special_category": {
        "fi": "Erityiset henkilötietoryhmät",
        "en": "Special categories of personal data",
    },
    "kind.racial_or_ethnic_origin": {
        "fi": "Rotu tai etninen alkuperä",
        "en": "Racial or ethnic origin",
    },
    "kind.political_opinions": {"fi": "Poliittiset mielipiteet", "en": "Political opinions"},
    "kind.religious_or_philosophical_beliefs": {
        "fi": "Uskonnollinen tai filosofinen vakaumus",
        "en": "Religious or philosophical beliefs",
    },
    "kind.trade_union_membership": {
        "fi": "Ammattiliiton jäsenyys",
        "en": "Trade union membership",
    },
    "kind.genetic_data": {"fi": "Geneettiset tiedot", "en": "Genetic data"},
    "kind.biometric_data": {"fi": "Biometriset tiedot", "en": "Biometric data"},
    "kind.health_data": {"fi": "Terveyttä koskevat tiedot", "en": "Data concerning health"},
    "kind.sex_life_or_sexual_orientation": {
        "fi": "Seksuaalinen käyttäytyminen tai suuntautuminen",
        "en": "Sex life or sexual orientation",
    },
    "kind.criminal_offence": {
        "fi": "Rikostuomioita ja rikkomuksia koskevat tiedot",
        "en": "Criminal convictions and offences",
    },
    # Places the policy names by region rather than country.
    "place.EEA": {"fi": "EU/ETA", "en": "EU/EEA"},
    "place.EU": {"fi": "EU", "en": "EU"},
    # The record of processing activities (GDPR Art. 30).
    "ropa.title": {
        "fi": "Seloste käsittelytoimista (tietosuoja-asetuksen 30 artikla)",
        "en": "Record of processing activities (GDPR Art. 30)",
    },
    "ropa.as_controller": {
        "fi": "Rekisterinpitäjänä (30 artiklan 1 kohta)",
        "en": "As controller (Art. 30(1))",
    },
    "ropa.as_processor": {
        "fi": "Henkilötietojen käsittelijänä (30 artiklan 2 kohta)",
        "en": "As processor (Art. 30(2))",
    },
    "ropa.register": {"fi": "Rekisteri", "en": "Register"},
    "ropa.article": {"fi": "Artikla", "en": "Article"},
    "ropa.controller": {
        "fi": "Rekisterinpitäjä ja yhteystiedot",
        "en": "Controller and contact details",
    },
    "ropa.processor": {
        "fi": "Henkilötietojen käsittelijä ja yhteystiedot",
        "en": "Processor and contact details",
    },
    "ropa.dpo": {"fi": "Tietosuojavastaava", "en": "Data protection officer"},
    "ropa.purposes": {"fi": "Käsittelyn tarkoitukset", "en": "Purposes of processing"},
    "ropa.processing": {
        "fi": "Rekisterinpitäjän lukuun suoritettavat käsittelyt",
        "en": "Categories of processing carried out for the controller",
    },
    "ropa.data_subjects": {"fi": "Rekisteröityjen ryhmät", "en": "Categories of data subjects"},
    "ropa.personal_data": {"fi": "Henkilötietoryhmät", "en": "Categories of personal data"},
    "ropa.recipients": {"fi": "Vastaanottajaryhmät", "en": "Categories of recipients"},
    "ropa.transfers": {
        "fi": "Siirrot kolmansiin maihin",
        "en": "Transfers to third countries",
    },
    "ropa.retention": {"fi": "Poistamisen määräajat", "en": "Time limits for erasure"},
    "ropa.security": {
        "fi": "Tekniset ja organisatoriset turvatoimet",
        "en": "Technical and organisational security measures",
    },
}


def term(key: str, lang: Lang, **values: str) -> str:
    """The wording of ``key`` in ``lang``, with its placeholders filled."""
    wording = TERMS[key][lang]
    return wording.format(**values) if values else wording


def terms_for(lang: Lang) -> dict[str, str]:
    """Every wording in one language, for templates."""
    return {key: words[lang] for key, words in TERMS.items()}
