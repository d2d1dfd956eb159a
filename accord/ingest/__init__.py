"""Ingest: read documents (txt, md, html, pdf, jsonl), deduplicate, detect language, extract
candidates and store them, one document per transaction. See docs/ingest.md."""

from .readers import Problem, RawDocument, iter_documents
from .runner import IngestReport, Ingestor, ingest, load_extractor

__all__ = ["IngestReport", "Ingestor", "Problem", "RawDocument", "ingest", "iter_documents", "load_extractor"]
