"""Ingest: read documents (txt, md, html, pdf, jsonl), deduplicate, detect language, extract
candidates and store them, one document per transaction. See docs/ingest.md."""

from .manifest import ManifestError
from .metadata import SourceDefaults
from .readers import Problem, RawDocument, Skipped, iter_documents, parse_types
from .runner import Ingestor, IngestReport, ingest, load_extractor

__all__ = ["IngestReport", "Ingestor", "ManifestError", "Problem", "RawDocument", "Skipped", "SourceDefaults",
           "ingest", "iter_documents", "load_extractor", "parse_types"]
