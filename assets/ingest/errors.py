"""Exceptions of the ingestion core, with French messages meant for the coordinator.

A file whose *content* is wrong (bad encoding, missing required column) is not an exception:
`validate_file` returns it with status `rejected`. Exceptions are kept for what stops the
validation before it starts: an unknown file name, a missing pseudonymisation key, a missing
reference file.
"""

from __future__ import annotations


class IngestError(Exception):
    """Base class of the errors raised by `assets.ingest`."""


class UnknownSourceError(IngestError, ValueError):
    """The file name matches no source contract and no valid source was given."""


class PseudoKeyError(IngestError, ValueError):
    """The pseudonymisation key is missing or empty."""


class EncodingDetectionError(IngestError):
    """The bytes are neither UTF-8 (with or without BOM) nor plausible Windows-1252."""


class ReferenceDataError(IngestError):
    """A reference file needed for validation (COG communes, arrondissements, aliases) is missing or invalid."""
