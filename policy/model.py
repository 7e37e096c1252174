"""The policy language: what a privacy notice promises, in the notice's own terms.

Two documents, kept apart so one policy can serve several databases:

- a **policy** (``kind: policy``): controller, fields, registers, purposes, recipients,
  retention and transfer rules, and the human text a notice needs;
- **bindings** (``kind: bindings``): how one database holds a policy's registers.

Models are strict (no coercion: ``"yes"`` is not a boolean, ``10`` is not a string) and forbid
unknown keys, so a typo in a policy is an error and never a rule that silently does nothing.
References between parts (a purpose naming a field) are plain IDs here and are checked by the
policy lint rules, which report every dangling one with its place.
"""

# No ``from __future__ import annotations`` here: pydantic would then compile and evaluate each
# field's annotation from its string when the class is made (about 2 ms a run); written as
# objects, they are ready. Every model is therefore defined before the models that use it.

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from seloste.policy import periods, regions, timechecks
from seloste.policy.tables import (
    PENDING_TRIGGERS as PENDING_TRIGGERS,
)
from seloste.policy.tables import (
    RULE_COLUMNS as RULE_COLUMNS,
)
from seloste.policy.tables import (
    TRIGGER_COLUMNS as TRIGGER_COLUMNS,
)
from seloste.policy.tables import (
    declared_columns,
    time_column,
)
from seloste.policy.tables import (
    subject_chain as subject_chain,
)

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
# An ISO 8601 period, as policy/periods.py reads it.
Duration = Annotated[str, AfterValidator(periods.check)]
# A retention rule's period may also be zero (P0D) with trigger consent_withdrawn: "until
# consent is withdrawn" (RetentionRule checks the trigger).
RetentionPeriod = Annotated[str, AfterValidator(periods.check_retention)]


# A country or region (policy/regions.py, where the pre-commit hook checks it without pydantic).
Place = Annotated[str, AfterValidator(regions.place)]


# Checked in policy/timechecks.py, where the pre-commit hook checks them without pydantic.
TimeFormat = Annotated[str, AfterValidator(timechecks.time_format)]
TimeZone = Annotated[str, AfterValidator(timechecks.time_zone)]


# Defaults for the empty list and mapping. Not ``default_factory=list``: pydantic inspects a
# factory's signature, and a builtin's is parsed from its text signature (about 0.1 ms each,
# 3 ms a run on the pre-commit path); a Python function's is read in microseconds.
def empty_list() -> list[Any]:
    return []


def empty_dict() -> dict[Any, Any]:
    return {}


Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]

# The special categories of personal data, GDPR Art. 9(1), in the article's order.
SpecialCategory = Literal[
    "racial_or_ethnic_origin",
    "political_opinions",
    "religious_or_philosophical_beliefs",
    "trade_union_membership",
    "genetic_data",
    "biometric_data",
    "health_data",
    "sex_life_or_sexual_orientation",
]
Kind = Literal[
    "organisation_name",
    "fi_business_id",
    "registration_number",
    "person_name",
    "postal_address",
    "email",
    "phone",
    "domain_name",
    "billing_details",
    "iban",
    "ip_address",
    "username",
    "free_text",
    "date",
    "timestamp",
    "flag",
    "identifier",
    "birth_date",
    "location",
    "money_amount",
    "fi_personal_identity_code",
    # The special categories of GDPR Art. 9(1), each a kind of its own. ``special_category``
    # is their group: an entry under it in forbidden_kinds or allowed_kinds covers them all
    # (policy/kinds.py), and it is the kind of a field that holds several of them.
    "special_category",
    SpecialCategory,
    "criminal_offence",
]
LegalBasisName = Literal[
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
]
Right = Literal[
    "access",
    "rectification",
    "erasure",
    "restriction",
    "portability",
    "objection",
    "marketing_opt_out",
]
Honours = Literal["marketing_opt_out", "restriction"]


class Model(BaseModel):
    # defer_build: a model's validator is built when it first validates, and only for the
    # models validated directly (a policy, a flows file); the nested ones go into their
    # parent's validator. A run (the pre-commit hook) does not build what it does not read.
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True, defer_build=True)


class Text(Model):
    """Human text for the notice, in Finnish and English (Swedish optional)."""

    fi: str | None = Field(None, description="the text in Finnish")
    en: str | None = Field(None, description="the text in English")
    sv: str | None = Field(None, description="the text in Swedish (optional)")


class Address(Model):
    street: str = Field(description="street address")
    postal_code: str = Field(description='postal code, quoted ("00100")')
    city: str = Field(description="city or town")
    country: Place = Field("FI", description="country code (ISO 3166-1 alpha-2)")


class Party(Model):
    """A legal person named in the notice."""

    name: str = Field(description="the legal name, as the notice prints it")
    business_id: str | None = Field(None, description="Finnish Y-tunnus, e.g. 1234567-1")
    address: Address | None = Field(None, description="postal address")
    email: Email | None = Field(None, description="general e-mail address")
    url: str | None = Field(None, description="website")


class Controller(Party):
    """The organisation that decides why and how the data is processed."""

    contact: Email = Field(description="contact for register matters")
    rights_contact: Email | None = Field(
        None, description="where data subjects send requests about their rights"
    )
    also_known_as: list[str] = Field(
        default_factory=empty_list, description="other spellings seen in old documents"
    )


class Person(Model):
    name: str = Field(description="the person's name")
    email: Email | None = Field(None, description="e-mail address")
    phone: str | None = Field(None, description="phone number")


class Authority(Model):
    name: Text = Field(description="the authority's name")
    url: str | None = Field(None, description="its contact page")


class LegalBasis(Model):
    """A lawful basis of GDPR Art. 6(1), with the statute or contract that gives it."""

    basis: LegalBasisName = Field(description="the lawful basis of GDPR Art. 6(1)")
    reference: str | None = Field(None, description="statute, contract or assessment")
    description: Text | None = Field(None, description="the basis in the notice's own words")


class FieldDef(Model):
    """One entry of the vocabulary: a kind of value a register may hold."""

    name: Text = Field(description="the field's name in the notice")
    kind: Kind = Field(
        description="what the value is; the accuracy rules check email, phone, fi_business_id, "
        "iban and ip_address values, and each special category of GDPR Art. 9(1) "
        "(health_data, ...) is a kind of its own, special_category standing for them all"
    )
    personal: bool = Field(
        description="whether the value is personal data (identifies a person directly or "
        "indirectly)"
    )
    description: Text | None = Field(None, description="what the field holds, for the notice")


class ForbiddenKind(Model):
    reason: Text = Field(description="why no register may hold it, for the notice")
    article: str | None = Field(None, description="e.g. GDPR Art. 9, Tietosuojalaki 29 §")


class AllowedKind(Model):
    """A register's explicit exception to a forbidden kind."""

    legal_basis: LegalBasis = Field(
        description="the basis on which this register may hold the kind (for special categories "
        "also an Art. 9(2) condition)"
    )
    reason: Text = Field(description="why the register needs it, for the notice")


# When a retention period starts. ``date``: the date held in the record's ``date_field``.
Trigger = Literal["relationship_end", "collection", "last_activity", "consent_withdrawn", "date"]


class VerifiedOutside(Model):
    """Who verifies a retention rule that this database cannot show, and how."""

    by: Text = Field(description="who verifies it, e.g. the finance team")
    how: Text = Field(description="how it is verified, e.g. the quarterly archive review")


class RetentionException(Model):
    """Data kept longer than its rule says, on its own legal basis."""

    description: Text = Field(description="the exception in the notice's words")
    fields: list[Id] = Field(
        min_length=1,
        description="the fields kept longer; the exception keeps a table only if it lists "
        "every field the table holds",
    )
    trigger: Trigger | None = Field(
        None, description="when the longer period starts; the rule's own trigger if absent"
    )
    date_field: Id | None = Field(
        None,
        description="with trigger date: the field (of kind date, birth_date or timestamp) "
        "whose value the period counts from",
    )
    period: Duration = Field(description="ISO 8601 period after the trigger (P7Y)")
    legal_basis: LegalBasis = Field(description="why the data may be kept longer")
    verified_outside: VerifiedOutside | None = Field(
        None,
        description="the exception is kept and ended outside this database (who and how): "
        "seloste does not check the tables it covers against the rule, and says so in a note",
    )


class RetentionRule(Model):
    """When data must go: ``period`` after ``trigger``, by ``action``, on ``scope``."""

    description: Text | None = Field(None, description="the rule in the notice's words")
    trigger: Trigger = Field(
        description="when the period starts: relationship_end, collection, last_activity, "
        "consent_withdrawn (the binding's consent_withdrawn column; empty while consent holds) "
        "or date (the value of date_field)"
    )
    date_field: Id | None = Field(
        None,
        description="with trigger date: the field (of kind date, birth_date or timestamp) "
        "whose value the period counts from, e.g. a birth date or an agreement's end date",
    )
    period: RetentionPeriod = Field(
        description="ISO 8601 period after the trigger (P3M, P7Y); with trigger "
        "consent_withdrawn also P0D: until consent is withdrawn"
    )
    action: Literal["delete", "anonymise"] = Field(description="what then happens to the data")
    scope: Literal["record", "fields"] = Field(
        "record", description="record: the whole row; fields: only the fields listed"
    )
    fields: list[Id] = Field(default_factory=empty_list, description="when scope is fields")
    linked_content: bool = Field(
        False,
        description="the rule also covers content linked to the record in other tables of "
        "the register (each table binding may opt out with linked_content: false)",
    )
    exceptions: dict[Id, RetentionException] = Field(
        default_factory=empty_dict, description="data kept longer, on its own legal basis"
    )
    verified_outside: VerifiedOutside | None = Field(
        None,
        description="the rule cannot be checked in this database (no column holds its "
        "trigger) and is verified elsewhere (who and how): seloste reports it as a note, "
        "not as an error",
    )

    @field_validator("period")
    @classmethod
    def _zero_only_until_consent(cls, period: str, info: ValidationInfo) -> str:
        # "Until consent is withdrawn" is P0D; after any other trigger, a period of nothing
        # at all is a slip, as it was before consent_withdrawn existed.
        if info.data.get("trigger") != "consent_withdrawn" and not periods.positive(period):
            raise ValueError(
                f"{period!r} must be a positive duration (P0D only with trigger consent_withdrawn)"
            )
        return period


class Register(Model):
    """A personal data register (rekisteri) and what the organisation promises about it."""

    name: Text = Field(description="the register's name in the notice")
    description: Text | None = Field(None, description="what the register is, for the notice")
    role: Literal["controller", "processor"] = Field(
        description="controller: the organisation's own register; processor: kept on behalf of "
        "another controller (on_behalf_of)"
    )
    on_behalf_of: Id | None = Field(
        None,
        description="the recipient ID of the controller (its type third_party, "
        "joint_controller or authority), when role is processor",
    )
    data_subjects: dict[Id, Text] = Field(
        description="whose data it holds: an ID per group of data subjects; registers that declare "
        "the same ID share their subjects",
        min_length=1,
    )
    legal_basis: LegalBasis = Field(description="the register's lawful basis (GDPR Art. 6(1))")
    fields: list[Id] = Field(
        description="the fields the register holds: IDs from the policy's fields", min_length=1
    )
    purposes: list[Id] = Field(
        description="the purposes it serves: IDs from the policy's purposes",
        default_factory=empty_list,
    )
    sources: list[Text] = Field(
        description="where the data comes from (GDPR Art. 14(2)(f))", default_factory=empty_list
    )
    retention: dict[Id, RetentionRule] = Field(
        description="retention rules by ID: when the data must go (at least one)",
        default_factory=empty_dict,
    )
    rights: list[Right] = Field(
        description="the data subjects' rights the register grants", default_factory=empty_list
    )
    security_measures: list[Text] = Field(
        description="how the data is protected, for the notice", default_factory=empty_list
    )
    handled_by: list[Text] = Field(default_factory=empty_list, description="who processes, and how")
    staff_trained: bool | None = Field(
        None, description="whether everyone who processes the data is trained for it"
    )
    allowed_kinds: dict[Kind, AllowedKind] = Field(
        default_factory=empty_dict,
        description="forbidden kinds this register may hold; special_category allows every "
        "special category of GDPR Art. 9(1)",
    )


class Purpose(Model):
    """A purpose of processing (käyttötarkoitus); nothing may be processed for another."""

    name: Text = Field(description="the purpose's name in the notice")
    description: Text | None = Field(None, description="the purpose in the notice's words")
    legal_basis: LegalBasis = Field(description="the purpose's lawful basis (GDPR Art. 6(1))")
    fields: list[Id] = Field(description="the fields it may use", min_length=1)
    recipients: list[Id] = Field(
        description="the recipients it discloses to: processors act for it, others receive",
        default_factory=empty_list,
    )
    marketing: bool = Field(
        False, description="whether it is direct marketing: the marketing opt-out must be honoured"
    )
    honours: list[Honours] = Field(
        description="rights it honours: its tables and flows leave out subjects who used them",
        default_factory=empty_list,
    )


# The ways data may lawfully leave the allowed places (GDPR Chapter V).
Mechanism = Literal["adequacy", "scc", "bcr", "derogation"]
# The recipient types whose own purposes make them controllers (all but processor).
RecipientType = Literal["processor", "third_party", "joint_controller", "authority"]


def _day(value: str) -> str:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    return value


Day = Annotated[str, AfterValidator(_day)]


class Safeguard(Model):
    """How one transfer outside the allowed places is lawful (GDPR Chapter V)."""

    mechanism: Mechanism = Field(
        description="adequacy: an EU Commission adequacy decision for the country (Art. 45), "
        "in policy/adequacy.yaml or transfers.adequacy; scc: standard contractual clauses "
        "(Art. 46(2)(c)); bcr: binding corporate rules (Art. 47); derogation: a derogation "
        "for a specific situation (Art. 49), with its reason"
    )
    reference: str | None = Field(
        None,
        description="the instrument: e.g. SCC module 2 (Commission Implementing Decision "
        "(EU) 2021/914), or the BCR approval",
    )
    reason: Text | None = Field(
        None, description="why the derogation applies (Art. 49(1)); required for derogation"
    )


class Recipient(Model):
    """Anyone outside the controller who receives data, typed by what it does with it."""

    name: Text = Field(description="the recipient's name in the notice")
    type: RecipientType = Field(
        description="processor: acts for the controller (Art. 28); third_party: a "
        "controller in its own right; joint_controller: decides purposes together with the "
        "controller (Art. 26); authority: a public authority receiving data under law"
    )
    locations: list[Place] = Field(
        min_length=1, description="where it processes and stores data: countries or regions"
    )
    fields: list[Id] = Field(min_length=1, description="the exact fields it may receive")
    description: Text | None = Field(None, description="what it does with the data, for the notice")
    formerly: list[str] = Field(default_factory=empty_list, description="earlier names")
    transfers: dict[Place, Safeguard] = Field(
        default_factory=empty_dict,
        description="for each place outside transfers.allowed where it (or its "
        "sub-processors) gets data: the mechanism that makes the transfer lawful",
    )


class TransferBan(Model):
    places: list[Place] = Field(description="countries or regions no data may reach", min_length=1)
    reason: Text = Field(description="why, for the notice")


class AdequacyDecision(Model):
    """An EU Commission adequacy decision (GDPR Art. 45) for one country."""

    name: str | None = Field(
        None,
        description="the framework's name where it has one (EU-US Data Privacy Framework); "
        "the notice names it",
    )
    decision: str | None = Field(
        None, description="the act: Commission Implementing Decision (EU) 2023/1795"
    )
    adopted: Day = Field(description="the decision's date, YYYY-MM-DD: in force from then")
    until: Day | None = Field(
        None,
        description="the last day it applies (a sunset clause, or the day before a court "
        "annulled it), YYYY-MM-DD; absent while it stands",
    )
    scope: Text | None = Field(
        None,
        description="what it covers, when not everything, as the notice says it: "
        "which covers certified organisations only",
    )


class Transfers(Model):
    """Where data may go: allowed places (countries or regions), the transfer mechanisms the
    notice permits beyond them, and explicit bans."""

    allowed: list[Place] = Field(
        description="places data may go without further safeguards: countries or regions (EEA)",
        min_length=1,
    )
    mechanisms: list[Mechanism] = Field(
        default_factory=empty_list,
        description="the transfer mechanisms the notice permits for places outside allowed; "
        "none (the default) means nothing leaves the allowed places",
    )
    adequacy: dict[Place, list[AdequacyDecision]] = Field(
        default_factory=empty_dict,
        description="adequacy decisions by country, added to policy/adequacy.yaml; a "
        "country listed here replaces its built-in entries",
    )
    bans: list[TransferBan] = Field(
        description="places no data may ever reach, with the reason", default_factory=empty_list
    )
    description: Text | None = Field(None, description="the notice's own words on transfers")


def _titled(value: Any) -> Any:
    """Refuse, with the way out, a section written as format 1 first had it: a bare text."""
    if isinstance(value, dict) and value and "title" not in value and set(value) <= {*LANGS}:
        raise ValueError(
            "a section has a title and a text: write {title: {fi: ..., en: ...}, text: {fi: "
            "..., en: ...}}; a complaint or disclosures section is now notice.complaint or "
            "notice.disclosures"
        )
    return value


LANGS = ("fi", "en", "sv")


class Section(Model):
    """A section of the notice with no fixed place in it: its heading and its text."""

    title: Text = Field(description="the section's heading, as the notice prints it")
    text: Text = Field(description="the section's text")


class Notice(Model):
    """Text of the published notice that is not a checkable rule."""

    title: Text = Field(description="the notice's title")
    informing: Text | None = Field(None, description="why the notice is given (its opening)")
    changes: Text | None = Field(None, description="how changes to the notice are announced")
    purposes: Text | None = Field(
        None,
        description="what the notice says before each register's purposes, e.g. that data is "
        "processed only for the purposes listed (GDPR Art. 5(1)(b), 13(1)(c))",
    )
    complaint: Text | None = Field(
        None,
        description="the right to lodge a complaint with the supervisory authority "
        "(GDPR Art. 13(2)(d)); a standard sentence if absent",
    )
    disclosures: Text | None = Field(
        None, description="what the notice says about disclosing data, before the recipients"
    )
    sections: dict[Id, Annotated[Section, BeforeValidator(_titled)]] = Field(
        default_factory=empty_dict,
        description="further sections, in order, each with its own title and text",
    )


class Policy(Model):
    """A privacy notice as code."""

    seloste: Literal[1] = Field(description="format version")
    kind: Literal["policy"] = Field(description="the kind of document: policy")
    controller: Controller = Field(
        description="the organisation that decides why and how the data is processed"
    )
    dpo: Person | None = Field(None, description="the data protection officer, if one is appointed")
    supervisory_authority: Authority | None = Field(
        None, description="where a data subject may lodge a complaint"
    )
    notice: Notice | None = Field(
        None, description="text of the published notice that is no checkable rule"
    )
    regions: dict[str, list[Place]] = Field(
        default_factory=empty_dict, description="extra named regions; EU and EEA are built in"
    )
    fields: dict[Id, FieldDef] = Field(
        description="the vocabulary: every kind of value a register may hold, by ID", min_length=1
    )
    forbidden_kinds: dict[Kind, ForbiddenKind] = Field(
        default_factory=empty_dict,
        description="kinds no register may hold unless it allows them; special_category "
        "forbids every special category of GDPR Art. 9(1) (health_data, ...)",
    )
    registers: dict[Id, Register] = Field(
        description="the personal data registers, by ID", min_length=1
    )
    purposes: dict[Id, Purpose] = Field(
        description="the purposes of processing, by ID", default_factory=empty_dict
    )
    recipients: dict[Id, Recipient] = Field(
        description="everyone outside the controller who receives data, by ID",
        default_factory=empty_dict,
    )
    transfers: Transfers = Field(description="where data may go: allowed places, mechanisms, bans")


class SubjectLink(Model):
    """How a row reaches its data subject: a column that refers to another bound table, of
    the same register or of one that declares a data subject of the same ID."""

    table: str = Field(description="the bound table holding the subject's row")
    column: str = Field(description="the column here that holds that row's key")


class TableBinding(Model):
    """One database table holding (part of) a register."""

    register_id: Id = Field(description="the register this table holds (part of)", alias="register")
    db_schema: str | None = Field(
        None, description="the database schema of the table, when not the default", alias="schema"
    )
    key: str = Field(description="the column that identifies a row in reports")
    columns: dict[str, Id] = Field(default_factory=empty_dict, description="column -> field ID")
    other_columns: list[str] = Field(
        default_factory=empty_list, description="columns known to hold no personal data"
    )
    subject: SubjectLink | None = Field(
        None, description="for linked content: the column pointing at the subject's table"
    )
    purposes: list[Id] = Field(
        default_factory=empty_list,
        description="purposes this table serves (a mailing list: marketing)",
    )
    outbound_to: list[Id] = Field(
        default_factory=empty_list,
        description="recipients this table's rows are sent to (an export or send queue): no "
        "subject whose processing is restricted may be in it (GDPR Art. 18(2))",
    )
    linked_content: bool = Field(
        True,
        description="false: this table's rows follow their own register's rules only, not a "
        "linked_content rule of the subject they link to (a consent-based subscription); "
        "true (the default): they go with the subject",
    )
    relationship_end: str | None = Field(
        None, description="the column holding when the relationship ended; empty while it goes on"
    )
    collected_at: str | None = Field(None, description="the column holding when it was collected")
    last_activity: str | None = Field(
        None, description="the column holding the subject's last activity"
    )
    consent_withdrawn: str | None = Field(
        None,
        description="the column holding when consent was withdrawn; empty while consent holds",
    )
    marketing_opt_out: str | None = Field(
        None, description="the column flagging a subject who opted out of marketing"
    )
    restricted: str | None = Field(
        None, description="the column flagging a subject whose processing is restricted"
    )
    time_formats: dict[str, TimeFormat] = Field(
        default_factory=empty_dict,
        description="column -> how it writes times, when not as ISO 8601 text or a native "
        "date/time type: epoch_seconds, epoch_milliseconds, or a pattern such as %d.%m.%Y",
    )
    timezone: TimeZone | None = Field(
        None,
        description="the zone of this table's times written without an offset; the "
        "bindings' timezone if absent",
    )

    def declared_columns(self) -> set[str]:
        """Every column the binding says something about (policy/tables.py)."""
        return declared_columns(self)

    def time_column(self, trigger: str, date_field: str | None = None) -> str | None:
        """The column here holding the time a retention trigger counts from, if any
        (policy/tables.py)."""
        return time_column(self, trigger, date_field)


class Bindings(Model):
    """How one database holds a policy's registers."""

    seloste: Literal[1] = Field(description="format version")
    kind: Literal["bindings"] = Field(description="the kind of document: bindings")
    policy: str = Field(description="path of the policy file, relative to this file")
    description: str | None = Field(None, description="what database this describes")
    timezone: TimeZone = Field(
        "UTC",
        description="the zone of times written without an offset (naive times, dates): an "
        "IANA name such as Europe/Helsinki",
    )
    tables: dict[str, TableBinding] = Field(
        description="the tables that hold the policy's registers, by table name", min_length=1
    )
    ignore_tables: list[str] = Field(
        default_factory=empty_list, description="tables known to hold no personal data"
    )
