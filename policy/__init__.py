"""The declarative policy: what a privacy notice promises, as a model that tools can check."""

from policy.errors import InputError, Problem
from policy.loader import load_bindings, load_policy
from policy.model import Bindings, Policy

__all__ = ["Bindings", "InputError", "Policy", "Problem", "load_bindings", "load_policy"]
