"""The evidence watch: ask Crossref, PubMed and ClinicalTrials.gov what changed about what we cite.

Network code (``http``), one module per service (answers parsed into plain records), the
comparison with references.bib (``compare``) and the report (``report``) are kept apart, so each
can be tested against a local server in the services' own formats.
"""
