"""A directory of fideslang manifests, read with the place of every value.

fideslang reads each ``*.yml``/``*.yaml`` file under a directory as a mapping from resource
type (``system``, ``dataset``, ``organization``, ``data_category``...) to a list of resources,
and joins the lists. This does the same through seloste's strict YAML reader, so a mistake
is reported as ``file:line:column`` (and ``NO`` stays a string). The models hold only what
the importer reads; other keys are left alone, as fideslang itself ignores unknown ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from seloste.checks.fides.taxonomy import table
from seloste.policy import yamlsource
from seloste.policy.errors import InputError, Problem, quoted
from seloste.policy.loader import validate

# fideslang's FIDES_KEY_PATTERN.
FidesKey = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_.<>-]+$")]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class ContactDetails(_Model):
    name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""


class Organization(_Model):
    fides_key: FidesKey
    name: str | None = None
    description: str | None = None
    controller: ContactDetails | None = None
    data_protection_officer: ContactDetails | None = None


class Declaration(_Model):
    name: str | None = None
    data_categories: list[FidesKey]
    data_use: FidesKey
    data_subjects: list[FidesKey] = Field(default_factory=list)
    dataset_references: list[FidesKey] | None = None
    egress: list[FidesKey] | None = None
    legal_basis_for_processing: str | None = None
    retention_period: str | None = None
    data_shared_with_third_parties: bool = False
    third_parties: str | None = None


class DataFlow(_Model):
    fides_key: FidesKey
    type: str
    data_categories: list[FidesKey] | None = None


class System(_Model):
    fides_key: FidesKey
    name: str | None = None
    description: str | None = None
    system_type: str
    privacy_declarations: list[Declaration]
    egress: list[DataFlow] | None = None
    ingress: list[DataFlow] | None = None
    dataset_references: list[FidesKey] = Field(default_factory=list)
    responsibility: list[str] = Field(default_factory=list)
    meta: dict[str, Any] | None = None
    does_international_transfers: bool = False
    legal_basis_for_transfers: list[str] = Field(default_factory=list)
    data_security_practices: str | None = None


class Reference(_Model):
    dataset: FidesKey
    field: str
    direction: str | None = None


class FieldMeta(_Model):
    references: list[Reference] | None = None
    primary_key: bool | None = None


class DatasetField(_Model):
    name: str
    description: str | None = None
    data_categories: list[FidesKey] | None = None
    fides_meta: FieldMeta | None = None
    fields: list[DatasetField] | None = None


class Collection(_Model):
    name: str
    description: str | None = None
    data_categories: list[FidesKey] | None = None
    fields: list[DatasetField]


class Dataset(_Model):
    fides_key: FidesKey
    name: str | None = None
    description: str | None = None
    meta: dict[str, Any] | None = None
    collections: list[Collection]


class TaxonomyEntry(_Model):
    fides_key: FidesKey
    name: str | None = None
    parent_key: FidesKey | None = None


class Manifest(_Model):
    """One manifest file: lists of resources by type."""

    system: list[System] = Field(default_factory=list)
    dataset: list[Dataset] = Field(default_factory=list)
    organization: list[Organization] = Field(default_factory=list)
    data_category: list[TaxonomyEntry] = Field(default_factory=list)
    data_use: list[TaxonomyEntry] = Field(default_factory=list)
    data_subject: list[TaxonomyEntry] = Field(default_factory=list)


@dataclass
class Manifests:
    """Every resource of a directory, each with the file it came from."""

    systems: list[System] = field(default_factory=list)
    datasets: list[Dataset] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    # Taxonomy entries the manifests add to the default: key -> (name, parent_key).
    custom: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)

    def name_of(self, part: str, key: str) -> str:
        """The human name of a taxonomy key: the manifests' own, else the default's."""
        own = self.custom.get(part, {}).get(key)
        if own is not None:
            return own[0]
        return table().default[part].get(key, key)

    def resolved(self, part: str, key: str) -> str:
        """``key`` itself when the default taxonomy has it, else its nearest declared
        ancestor that the default has (a custom ``user.contact.email.work`` with parent
        ``user.contact.email``)."""
        seen: set[str] = set()
        while key not in table().default[part] and key not in seen:
            seen.add(key)
            parent = self.custom.get(part, {}).get(key, ("", None))[1]
            if parent is None:
                break
            key = parent
        return key


def files_in(directory: Path) -> list[Path]:
    """The manifest files fideslang would read under ``directory``, in a stable order."""
    if directory.is_file():
        return [directory]
    found = [p for ext in ("yml", "yaml") for p in directory.rglob(f"*.{ext}")]
    return sorted(p for p in found if p.is_file())


def read(directory: Path) -> Manifests:
    """Read and check every manifest under ``directory``; every problem, with its place, is
    one ``InputError``."""
    paths = files_in(directory)
    if not paths:
        raise InputError([Problem(str(directory), 0, 0, "no *.yml or *.yaml manifests here")])
    problems: list[Problem] = []
    loaded: list[tuple[yamlsource.Document, Manifest]] = []
    for path in paths:
        try:
            doc = yamlsource.read(path)
            loaded.append((doc, validate(doc, Manifest)))
        except InputError as exc:
            problems.extend(exc.problems)
    out = Manifests()
    for _, manifest in loaded:
        out.systems += manifest.system
        out.datasets += manifest.dataset
        out.organizations += manifest.organization
        for part in ("data_category", "data_use", "data_subject"):
            entries = getattr(manifest, part)
            out.custom.setdefault(part, {}).update(
                {e.fides_key: (e.name or e.fides_key, e.parent_key) for e in entries}
            )
    for doc, manifest in loaded:
        problems += _unknown_keys(doc, manifest, out)
    problems += _duplicates(loaded)
    if problems:
        raise InputError(problems)
    if not out.systems:
        raise InputError([Problem(str(directory), 0, 0, "no system in the manifests")])
    return out


def _known(m: Manifests, part: str, key: str) -> bool:
    return key in table().default[part] or key in m.custom.get(part, {})


_WHAT = {"data_category": "data category", "data_use": "data use", "data_subject": "data subject"}


def _unknown_keys(doc: yamlsource.Document, manifest: Manifest, m: Manifests) -> list[Problem]:
    """Taxonomy keys that neither fideslang's default taxonomy nor the manifests declare."""
    found: list[Problem] = []

    def check(part: str, key: str, path: tuple[str | int, ...]) -> None:
        if not _known(m, part, key):
            found.append(
                doc.problem(
                    path,
                    f"unknown {_WHAT[part]} {quoted(key)}: not in fideslang's default "
                    f"taxonomy, nor declared as a {part} in the manifests",
                )
            )

    for i, system in enumerate(manifest.system):
        for j, d in enumerate(system.privacy_declarations):
            at = ("system", i, "privacy_declarations", j)
            for k, c in enumerate(d.data_categories):
                check("data_category", c, (*at, "data_categories", k))
            check("data_use", d.data_use, (*at, "data_use"))
            for k, s in enumerate(d.data_subjects):
                check("data_subject", s, (*at, "data_subjects", k))
    for i, dataset in enumerate(manifest.dataset):
        for j, collection in enumerate(dataset.collections):
            at = ("dataset", i, "collections", j)
            for k, c in enumerate(collection.data_categories or []):
                check("data_category", c, (*at, "data_categories", k))
            for k, f in enumerate(collection.fields):
                for n, c in enumerate(f.data_categories or []):
                    check("data_category", c, (*at, "fields", k, "data_categories", n))
    return found


def _duplicates(loaded: list[tuple[yamlsource.Document, Manifest]]) -> list[Problem]:
    """A resource declared twice, and a collection or field named twice in its dataset
    (fideslang refuses both; seloste would get a table or column twice)."""
    seen: dict[tuple[str, str], str] = {}
    found: list[Problem] = []
    for doc, manifest in loaded:
        for i, dataset in enumerate(manifest.dataset):
            names = [c.name for c in dataset.collections]
            for j, c in enumerate(dataset.collections):
                if c.name in names[:j]:
                    where: tuple[str | int, ...] = ("dataset", i, "collections", j, "name")
                    found.append(doc.problem(where, f"collection {quoted(c.name)} is named twice"))
                fields = [f.name for f in c.fields]
                for k, f in enumerate(c.fields):
                    if f.name in fields[:k]:
                        where = ("dataset", i, "collections", j, "fields", k, "name")
                        message = f"field {quoted(f.name)} of {quoted(c.name)} is named twice"
                        found.append(doc.problem(where, message))
    for doc, manifest in loaded:
        for part in ("system", "dataset", "organization"):
            for i, resource in enumerate(getattr(manifest, part)):
                key = (part, resource.fides_key)
                place = doc.mark((part, i, "fides_key"))
                if key in seen:
                    message = (
                        f"{part} {quoted(resource.fides_key)} is declared twice (first {seen[key]})"
                    )
                    found.append(Problem(doc.path, *place, message))
                else:
                    seen[key] = f"{doc.path}:{place[0]}"
    return found
