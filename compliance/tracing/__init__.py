"""Tracing requirements to the policies above them (上下贯通). Pure: text in, ranked candidates out."""

from .similarity import Candidate, Passage, UpstreamIndex, propose, tokenize

__all__ = ["Candidate", "Passage", "UpstreamIndex", "propose", "tokenize"]
