"""Data flows: which register sends which fields to which recipient, for what, and where.

A flows file (``kind: flows``) sits next to the integrations it describes, so a change to an
integration and to its declaration land in the same commit and the CI gate can ask: does this
change send personal data somewhere the notice does not allow? References (register,
recipient, purpose, fields) are plain IDs here; the flow rules check them against the policy
and report every dangling one with its place.
"""

from typing import Literal

from pydantic import Field
from seloste.policy.model import Id, Model, Place, Text, empty_dict, empty_list
from seloste.policy.names import SYSTEM as SYSTEM

Exclusion = Literal["marketing_opt_out", "restricted"]


class SubProcessor(Model):
    """A party the recipient hands the data on to (a data centre, a spam filter)."""

    name: str = Field(description="who the sub-processor is")
    locations: list[Place] = Field(
        min_length=1, description="where it processes and stores data: countries or regions"
    )
    description: Text | None = Field(None, description="what it does with the data")


class Flow(Model):
    """One integration that moves personal data: from a register, to a recipient, for a purpose."""

    description: Text | None = Field(None, description="what the integration does")
    register_id: Id = Field(
        alias="register", description="the register it reads, or `system` for all of them"
    )
    recipient: Id | None = Field(
        None, description="recipient ID; absent when the data stays inside the controller"
    )
    purpose: Id = Field(description="the purpose the data is processed for")
    fields: list[Id] = Field(min_length=1, description="the fields it carries")
    locations: list[Place] | None = Field(
        None,
        min_length=1,
        description="where the data is processed and stored: countries or regions; "
        "the recipient's declared locations if absent",
    )
    storage: list[Place] = Field(
        default_factory=empty_list,
        description="where the data is kept at rest, when elsewhere too (backups, archives)",
    )
    sub_processors: list[SubProcessor] = Field(
        description="the processors the recipient passes the data on to, with their locations",
        default_factory=empty_list,
    )
    excludes: list[Exclusion] = Field(
        default_factory=empty_list, description="data subjects it leaves out"
    )
    processing: Literal["use", "storage"] = Field(
        "use",
        description="storage: the flow only stores the controller's own copy (a backup, "
        "hosting), which restricted data may still undergo (GDPR Art. 18(2)); use: any other "
        "processing, disclosure included",
    )


class Flows(Model):
    """The data flows of one integration or system, checked against a policy."""

    seloste: Literal[1] = Field(description="format version")
    kind: Literal["flows"] = Field(description="the kind of document: flows")
    policy: str | None = Field(None, description="path of the policy, relative to this file")
    description: str | None = Field(None, description="what these flows are")
    flows: dict[Id, Flow] = Field(description="the flows, by ID", default_factory=empty_dict)
