"""reviewkit: the checks and rendering behind a bilingual living review.

Pure Python; never imports MkDocs. The MkDocs glue lives in ``hooks/``.
"""

__version__ = "0.1.0"
