"""What ``seloste subject`` writes to its ``-o`` file: a data subject's rows and what the
policy says about them (GDPR Art. 15(1)), in a form another controller can read (Art. 20),
and with ``--erasure`` a decision for every row (Art. 17, 19).

The models are the format: ``seloste schema subject`` publishes their JSON Schema, so the
file and its schema cannot drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Value = str | int | float | bool | None
Decision = Literal["erase", "keep", "review", "controller_decides"]
Status = Literal["pending", "running", "past", "unreadable", "verified_outside"]
NO_DATA = "no data found"


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LegalBasisOut(Out):
    basis: str = Field(description="the lawful basis of GDPR Art. 6(1)")
    reference: str | None = Field(None, description="statute, contract or assessment")
    description: dict[str, str] = Field(default_factory=dict, description="in the notice's words")


class PurposeOut(Out):
    id: str
    name: dict[str, str]
    legal_basis: LegalBasisOut


class CategoryOut(Out):
    field: str = Field(description="the policy's field ID")
    name: dict[str, str]
    kind: str


class TransferOut(Out):
    place: str = Field(description="a country or region outside the allowed places")
    mechanism: str = Field(description="adequacy, scc, bcr or derogation")
    reference: str | None = None


class RecipientOut(Out):
    id: str
    name: dict[str, str]
    type: str = Field(description="processor, third_party, joint_controller or authority")
    locations: list[str]
    fields: list[str] = Field(description="the fields it may receive")
    transfers: list[TransferOut] = Field(description="transfers outside the allowed places")


class ExceptionOut(Out):
    id: str
    description: dict[str, str]
    fields: list[str]
    period: str
    legal_basis: LegalBasisOut


class RetentionOut(Out):
    id: str
    description: dict[str, str]
    trigger: str
    period: str
    action: str
    exceptions: list[ExceptionOut]


class FieldValue(Out):
    column: str
    field: str | None = Field(description="the policy field the bindings map the column to")
    name: dict[str, str] | None = Field(description="the field's name in the notice")
    value: Value


class RowRetention(Out):
    """When this row falls due under one rule (or an exception that keeps its table)."""

    rule: str
    exception: str | None = Field(default=None, description="the exception that keeps the table")
    status: Status = Field(
        description="pending: the trigger has not happened (an empty relationship end); "
        "running: the period runs until due; past: due is before the as-of time; "
        "unreadable: the trigger's value is not a time; verified_outside: not in this database"
    )
    counts_from: str | None = Field(
        default=None, description="the table and column the period counts from"
    )
    due: str | None = Field(default=None, description="when the period ends (ISO 8601, UTC)")


class Erasure(Out):
    decision: Decision = Field(
        description="erase: nothing keeps it; keep: an exception's legal basis keeps it until "
        "`until`; review: whether an exception keeps it cannot be told from the data; "
        "controller_decides: the register is kept on behalf of another controller"
    )
    reason: str
    exception: str | None = None
    legal_basis: LegalBasisOut | None = None
    until: str | None = None
    overdue: bool = Field(description="the row was already past its retention rule")
    inform: list[str] = Field(description="recipients to tell of the erasure (GDPR Art. 19)")
    kept_links: list[str] = Field(
        default_factory=list,
        description="kept rows that link to this one (table and key): erasing it first would "
        "break their link, so its DELETE is left commented out until they go",
    )


class Row(Out):
    key: Value
    fields: list[FieldValue]
    retention: list[RowRetention]
    erasure: Erasure | None = None


class TableOut(Out):
    table: str
    rows: list[Row]


class RegisterOut(Out):
    id: str
    name: dict[str, str]
    role: str
    on_behalf_of: str | None = Field(None, description="the controller, for a processor's register")
    data_subjects: dict[str, dict[str, str]]
    legal_basis: LegalBasisOut
    purposes: list[PurposeOut]
    categories: list[CategoryOut]
    recipients: list[RecipientOut]
    retention: list[RetentionOut]
    sources: list[dict[str, str]]
    rights: list[str]
    tables: list[TableOut]


class Request(Out):
    type: Literal["access", "erasure"]
    selector: Literal["key", "email", "phone", "business_id"] = Field(
        description="how the subject was found (its value is not repeated here)"
    )
    as_of: str
    source: str = Field(description="the snapshot, any password masked")


class SubjectKey(Out):
    table: str
    key: Value


class SubjectDocument(Out):
    """A data subject's data as one snapshot holds it."""

    seloste: Literal[1] = 1
    kind: Literal["subject"] = "subject"
    request: Request
    found: bool
    message: str = Field(description='"no data found" when nothing matched')
    subjects: list[SubjectKey] = Field(
        description="the row each part of the subject's data leads to: one, or one in each "
        "register that declares the same data subject; none when nothing matched"
    )
    controller: str
    rights_contact: str | None
    registers: list[RegisterOut]


def schema() -> dict[str, object]:
    data = SubjectDocument.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **data}
