"""Chinese glossary order without pypinyin's phrase dictionary is the order with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml
from conftest import ROOT

SORT = ("import json, sys\nfrom pypinyin import lazy_pinyin\n"
        "names = json.load(sys.stdin)\n"
        "print(json.dumps(sorted(names, key=lambda n: (''.join(lazy_pinyin(n)).lower(), n))))")


def _order(names, **env):
    done = subprocess.run([sys.executable, "-c", SORT], input=json.dumps(names), capture_output=True, text=True,
                          env={k: v for k, v in {**os.environ, **env}.items() if v is not None}, check=True)
    return json.loads(done.stdout)


def test_the_review_glossary_sorts_the_same_without_the_phrase_dictionary():
    glossary = yaml.safe_load((ROOT / "glossary.yml").read_text(encoding="utf-8"))
    names = [entry["zh"] for entry in glossary.values() if isinstance(entry, dict) and entry.get("zh")]
    assert len(names) > 20
    assert _order(names, PYPINYIN_NO_PHRASES="1") == _order(names, PYPINYIN_NO_PHRASES=None)
