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
    "label.honours.one": {
        "fi": "Tässä käyttötarkoituksessa noudatetaan erityisesti seuraavaa rekisteröidyn oikeutta",
        "en": "Right of the data subject that this purpose observes in particular",
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

# ``seloste diff``: one wording per kind of change ("diff.<kind>"), filled with names the
# policy gives (quoted, so in Finnish they stand in the nominative beside a fixed word:
# 'rekisteri “Asiakasrekisteri”') and with the items added or removed ({items}).
DIFF_TERMS: dict[str, dict[Lang, str]] = {
    "diff.none": {"fi": "Selosteeseen ei tule muutoksia.", "en": "No changes to the notice."},
    "diff.summary.one": {
        "fi": "1 muutos, josta {told} on kerrottava rekisteröidyille ennen sen voimaantuloa "
        "(tietosuoja-asetuksen 13 artiklan 3 kohta ja 14 artiklan 4 kohta).",
        "en": "1 change, {told} to tell data subjects about before it applies "
        "(GDPR Art. 13(3), 14(4)).",
    },
    "diff.summary.many": {
        "fi": "{count} muutosta, joista {told} on kerrottava rekisteröidyille ennen niiden "
        "voimaantuloa (tietosuoja-asetuksen 13 artiklan 3 kohta ja 14 artiklan 4 kohta).",
        "en": "{count} changes, {told} to tell data subjects about before it applies "
        "(GDPR Art. 13(3), 14(4)).",
    },
    "diff.md.notice": {"fi": "Tietosuojaseloste", "en": "Privacy notice"},
    "diff.md.changes": {
        "fi": "Muutokset tietosuojaselosteeseen",
        "en": "Privacy notice changes",
    },
    "diff.md.told": {
        "fi": "Muutokset, joista on kerrottava rekisteröidyille",
        "en": "Data subjects must be told",
    },
    "diff.md.other": {"fi": "Muut muutokset", "en": "Other changes"},
    # Why a change must be told: the information GDPR Art. 13(1)-(2) requires.
    "diff.why.new_purpose": {
        "fi": "uusi käyttötarkoitus (13 artiklan 1 kohdan c alakohta)",
        "en": "new purpose (Art. 13(1)(c))",
    },
    "diff.why.new_processing": {
        "fi": "uusi käsittely (13 artiklan 1 kohdan c alakohta)",
        "en": "new processing (Art. 13(1)(c))",
    },
    "diff.why.new_register_purpose": {
        "fi": "rekisterin uusi käyttötarkoitus (13 artiklan 1 kohdan c alakohta)",
        "en": "new purpose for the register (Art. 13(1)(c))",
    },
    "diff.why.legal_basis": {
        "fi": "muuttunut käsittelyperuste (13 artiklan 1 kohdan c alakohta)",
        "en": "changed legal basis (Art. 13(1)(c))",
    },
    "diff.why.new_recipient": {
        "fi": "uusi vastaanottaja (13 artiklan 1 kohdan e alakohta)",
        "en": "new recipient (Art. 13(1)(e))",
    },
    "diff.why.recipient_type": {
        "fi": "vastaanottajan asema muuttui (13 artiklan 1 kohdan e alakohta)",
        "en": "changed kind of recipient (Art. 13(1)(e))",
    },
    "diff.why.new_data_disclosed": {
        "fi": "uusia tietoja luovutetaan (13 artiklan 1 kohdan e alakohta)",
        "en": "new data disclosed (Art. 13(1)(e))",
    },
    "diff.why.new_transfer_place": {
        "fi": "uusi siirtokohde (13 artiklan 1 kohdan f alakohta)",
        "en": "new transfer place (Art. 13(1)(f))",
    },
    "diff.why.transfer_outside": {
        "fi": "siirto EU:n tai ETA:n ulkopuolelle (13 artiklan 1 kohdan f alakohta)",
        "en": "transfer outside the EU/EEA (Art. 13(1)(f))",
    },
    "diff.why.new_safeguard": {
        "fi": "uusi siirtoperuste (13 artiklan 1 kohdan f alakohta)",
        "en": "new transfer safeguard (Art. 13(1)(f))",
    },
    "diff.why.changed_safeguard": {
        "fi": "muuttunut siirtoperuste (13 artiklan 1 kohdan f alakohta)",
        "en": "changed transfer safeguard (Art. 13(1)(f))",
    },
    "diff.why.longer_retention": {
        "fi": "pidempi säilytysaika (13 artiklan 2 kohdan a alakohta)",
        "en": "longer retention (Art. 13(2)(a))",
    },
    "diff.why.retention_may_be_longer": {
        "fi": "säilytysaika voi pidentyä (13 artiklan 2 kohdan a alakohta)",
        "en": "retention may be longer (Art. 13(2)(a))",
    },
    "diff.why.removed_right": {
        "fi": "rekisteröidyn oikeus poistui (13 artiklan 2 kohdan b alakohta)",
        "en": "removed right (Art. 13(2)(b))",
    },
    # Labels that the messages below start with.
    "diff.label.purpose": {"fi": "käyttötarkoitus {name}", "en": "purpose {name}"},
    "diff.label.register": {"fi": "rekisteri {name}", "en": "{name}"},
    "diff.label.retention": {
        "fi": "säilytyssääntö {rule} (rekisteri {register})",
        "en": "retention {rule} of {register}",
    },
    "diff.label.exception": {
        "fi": "poikkeus {rule}, {label}",
        "en": "exception {rule} to {label}",
    },
    # The controller.
    "diff.controller-changed": {
        "fi": "rekisterinpitäjän tiedoissa muuttui: {detail}",
        "en": "controller {detail} changed",
    },
    "diff.controller.name": {"fi": "nimi", "en": "name"},
    "diff.controller.address": {"fi": "osoite", "en": "address"},
    "diff.controller.contact": {"fi": "yhteystieto", "en": "contact"},
    "diff.controller.rights_contact": {
        "fi": "oikeuksia koskevien pyyntöjen osoite",
        "en": "rights contact",
    },
    "diff.controller.email": {"fi": "sähköposti", "en": "email"},
    "diff.controller.business_id": {"fi": "Y-tunnus", "en": "business id"},
    "diff.dpo-changed": {
        "fi": "tietosuojavastaavan tiedot muuttuivat",
        "en": "data protection officer changed",
    },
    # Purposes.
    "diff.purpose-added": {
        "fi": "uusi käyttötarkoitus {name} ({basis}), käytettävät tiedot: {fields}",
        "en": "new purpose {name} ({basis}) uses: {fields}",
    },
    "diff.purpose-removed": {
        "fi": "käyttötarkoitus {name} poistettiin",
        "en": "purpose {name} removed",
    },
    "diff.legal-basis-changed": {
        "fi": "{label}: käsittelyperuste {old} → {new}",
        "en": "legal basis of {label}: {old} → {new}",
    },
    "diff.legal-basis-reference-changed": {
        "fi": "{label}: käsittelyperuste {old} → {new}",
        "en": "legal basis of {label}: {old} → {new}",
    },
    "diff.purpose-fields-added": {
        "fi": "{label}: käytettäviin tietoihin lisättiin {items}",
        "en": "{label} now also uses: {items}",
    },
    "diff.purpose-fields-removed": {
        "fi": "{label}: käytettävistä tiedoista poistettiin {items}",
        "en": "{label} no longer uses: {items}",
    },
    "diff.purpose-recipient-added": {
        "fi": "{label}: vastaanottajiin lisättiin {items}",
        "en": "{label} now discloses data to {items}",
    },
    "diff.purpose-recipient-removed": {
        "fi": "{label}: vastaanottajista poistettiin {items}",
        "en": "{label} no longer discloses data to {items}",
    },
    "diff.purpose-honours-added": {
        "fi": "{label}: erityisesti noudatettaviin oikeuksiin lisättiin {items}",
        "en": "{label} now honours {items}",
    },
    "diff.purpose-honours-removed": {
        "fi": "{label}: erityisesti noudatettavista oikeuksista poistettiin {items}",
        "en": "{label} no longer honours {items}",
    },
    "diff.purpose-marketing-on": {
        "fi": "käyttötarkoitus {name} on nyt markkinointia",
        "en": "{name} is now marketing",
    },
    "diff.purpose-marketing-off": {
        "fi": "käyttötarkoitus {name} ei ole enää markkinointia",
        "en": "{name} is no longer marketing",
    },
    # Registers.
    "diff.register-added": {
        "fi": "uusi rekisteri {name}, tallennettavat tiedot: {fields}",
        "en": "new register {name} holds: {fields}",
    },
    "diff.register-removed": {
        "fi": "rekisteri {name} poistettiin",
        "en": "register {name} removed",
    },
    "diff.register-role-changed": {
        "fi": "rekisteri {name}: rooli on nyt {role}",
        "en": "role in {name}: {role}",
    },
    "diff.register-fields-added": {
        "fi": "rekisteri {name}: tallennettaviin tietoihin lisättiin {items}",
        "en": "{name} now also stores: {items}",
    },
    "diff.register-fields-removed": {
        "fi": "rekisteri {name}: tallennettavista tiedoista poistettiin {items}",
        "en": "{name} no longer stores: {items}",
    },
    "diff.register-purpose-added": {
        "fi": "rekisteri {name}: käyttötarkoituksiin lisättiin {items}",
        "en": "{name} is now also used for: {items}",
    },
    "diff.register-purpose-removed": {
        "fi": "rekisteri {name}: käyttötarkoituksista poistettiin {items}",
        "en": "{name} is no longer used for: {items}",
    },
    "diff.right-added": {
        "fi": "rekisteri {name}: rekisteröidyn oikeuksiin lisättiin {items}",
        "en": "new right in {name}: {items}",
    },
    "diff.right-removed": {
        "fi": "rekisteri {name}: rekisteröidyn oikeuksista poistettiin {items}",
        "en": "right removed from {name}: {items}",
    },
    "diff.register-sources-added": {
        "fi": "rekisteri {name}: tietolähteisiin lisättiin {items}",
        "en": "new source in {name}: {items}",
    },
    "diff.register-sources-removed": {
        "fi": "rekisteri {name}: tietolähteistä poistettiin {items}",
        "en": "source removed from {name}: {items}",
    },
    "diff.register-security-measures-added": {
        "fi": "rekisteri {name}: suojaustoimiin lisättiin {items}",
        "en": "new security measure in {name}: {items}",
    },
    "diff.register-security-measures-removed": {
        "fi": "rekisteri {name}: suojaustoimista poistettiin {items}",
        "en": "security measure removed from {name}: {items}",
    },
    "diff.register-data-subjects-added": {
        "fi": "rekisteri {name}: rekisteröityjen ryhmiin lisättiin {items}",
        "en": "new data subjects in {name}: {items}",
    },
    "diff.register-data-subjects-removed": {
        "fi": "rekisteri {name}: rekisteröityjen ryhmistä poistettiin {items}",
        "en": "data subjects removed from {name}: {items}",
    },
    # Retention.
    "diff.retention-added": {
        "fi": "rekisteri {register}: uusi säilytyssääntö {rule}, säilytysaika {period}",
        "en": "new retention rule {rule} in {register}: {period}",
    },
    "diff.retention-removed": {
        "fi": "rekisteri {register}: säilytyssääntö {rule} poistettiin, eikä tiedoilla ole enää "
        "poistamisaikaa",
        "en": "retention rule {rule} removed from {register}: no deletion time",
    },
    "diff.retention-changed": {
        "fi": "{label}: säilytysaika lasketaan nyt {new} (aiemmin {old})",
        "en": "{label}: the period now runs {new} (before: {old})",
    },
    "diff.retention-longer": {
        "fi": "{label}: säilytysaika {old} → {new} (pidempi)",
        "en": "{label}: {old} → {new} (longer)",
    },
    "diff.retention-shorter": {
        "fi": "{label}: säilytysaika {old} → {new} (lyhyempi)",
        "en": "{label}: {old} → {new} (shorter)",
    },
    "diff.retention-exception-added": {
        "fi": "{label}: uusi poikkeus {rule}, jonka mukaan tietoja säilytetään {period}: {fields}",
        "en": "new exception {rule} to {label} keeps {fields} for {period}",
    },
    "diff.retention-exception-removed": {
        "fi": "{label}: poikkeus {rule} poistettiin",
        "en": "exception {rule} to {label} removed",
    },
    "diff.retention-exception-fields-added": {
        "fi": "poikkeus {rule}: säilytettäviin tietoihin lisättiin {items}",
        "en": "exception {rule} now also keeps: {items}",
    },
    "diff.retention-exception-fields-removed": {
        "fi": "poikkeus {rule}: säilytettävistä tiedoista poistettiin {items}",
        "en": "exception {rule} no longer keeps: {items}",
    },
    # Recipients and transfers.
    "diff.recipient-added": {
        "fi": "uusi vastaanottaja {name} ({kind}), käsittelypaikka: {places}, luovutettavat "
        "tiedot: {fields}",
        "en": "new recipient {name} ({kind}) in {places} receives: {fields}",
    },
    "diff.recipient-removed": {
        "fi": "vastaanottaja {name} poistettiin",
        "en": "recipient {name} removed",
    },
    "diff.transfer-added": {
        "fi": "vastaanottaja {name} käsittelee tietoja EU:n tai ETA:n ulkopuolella: {places}",
        "en": "{name} processes data outside the EU/EEA: {places}",
    },
    "diff.recipient-transfer-added": {
        "fi": "vastaanottaja {name}, uusi siirto: {said}",
        "en": "{name}: data is transferred {said}",
    },
    "diff.recipient-transfer-changed": {
        "fi": "vastaanottaja {name}, siirtoperuste muuttui: {said}",
        "en": "{name}: data is now transferred {said}",
    },
    "diff.recipient-transfer-removed": {
        "fi": "vastaanottaja {name}: siirtoperustetta ei enää ilmoiteta, siirtokohde: {places}",
        "en": "{name}: no transfer mechanism declared for {places} any more",
    },
    "diff.recipient-renamed": {
        "fi": "vastaanottaja {old} on nyt nimeltään {name}",
        "en": "recipient {old} is now called {name}",
    },
    "diff.recipient-type-changed": {
        "fi": "vastaanottaja {name}: asema on nyt {new} (aiemmin {old})",
        "en": "{name} is now a {new}, no longer a {old}",
    },
    "diff.recipient-fields-added": {
        "fi": "vastaanottaja {name}: luovutettaviin tietoihin lisättiin {items}",
        "en": "{name} now also receives: {items}",
    },
    "diff.recipient-fields-removed": {
        "fi": "vastaanottaja {name}: luovutettavista tiedoista poistettiin {items}",
        "en": "{name} no longer receives: {items}",
    },
    "diff.recipient-location-added": {
        "fi": "vastaanottaja {name}: käsittelypaikkoihin lisättiin {items}",
        "en": "{name} now also processes data in: {items}",
    },
    "diff.recipient-location-removed": {
        "fi": "vastaanottaja {name}: käsittelypaikoista poistettiin {items}",
        "en": "{name} no longer processes data in: {items}",
    },
    "diff.transfer-allowed-added": {
        "fi": "sallittuihin siirtokohteisiin lisättiin {items}",
        "en": "transfers now allowed to: {items}",
    },
    "diff.transfer-allowed-removed": {
        "fi": "sallituista siirtokohteista poistettiin {items}",
        "en": "transfers no longer allowed to: {items}",
    },
    "diff.transfer-ban-added": {
        "fi": "siirtokieltoihin lisättiin {items}",
        "en": "transfers now banned to: {items}",
    },
    "diff.transfer-ban-removed": {
        "fi": "siirtokielloista poistettiin {items}",
        "en": "transfer ban lifted for: {items}",
    },
    "diff.transfer-mechanism-added": {
        "fi": "selosteen sallimiin siirtoperusteisiin lisättiin {items}",
        "en": "the notice now permits transfers under: {items}",
    },
    "diff.transfer-mechanism-removed": {
        "fi": "selosteen sallimista siirtoperusteista poistettiin {items}",
        "en": "the notice no longer permits transfers under: {items}",
    },
    "diff.field-renamed": {
        "fi": "tieto {old} on nyt nimeltään {new}",
        "en": "field {old} is now called {new}",
    },
}
TERMS.update(DIFF_TERMS)


def term(key: str, lang: Lang, /, **values: str) -> str:
    """The wording of ``key`` in ``lang``, with its placeholders filled."""
    wording = TERMS[key][lang]
    return wording.format(**values) if values else wording


def terms_for(lang: Lang) -> dict[str, str]:
    """Every wording in one language, for templates."""
    return {key: words[lang] for key, words in TERMS.items()}
