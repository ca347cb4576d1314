"""Drug detection: known names in both scripts, unknown drugs by form, measured on a labelled corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from reviewkit.drugs import Detector

CORPUS = yaml.safe_load((Path(__file__).parent / "drug_corpus.yml").read_text(encoding="utf-8"))


def score(detector: Detector, lang: str | None = None, corpus=None):
    tp = fp = fn = 0
    misses, false = [], []
    for item in corpus or CORPUS:
        if lang and item["lang"] != lang:
            continue
        found = Counter(m.text for m in detector.find(item["text"]))
        truth = Counter(item["drugs"])
        tp += sum((found & truth).values())
        fp += sum((found - truth).values())
        fn += sum((truth - found).values())
        misses += list((truth - found).elements())
        false += list((found - truth).elements())
    return tp, fp, fn, misses, false


def test_corpus_is_big_enough():
    drugs = Counter(item["lang"] for item in CORPUS for _ in item["drugs"])
    assert drugs["en"] >= 100 and drugs["zh"] >= 100 and sum(drugs.values()) >= 200
    assert sum(1 for item in CORPUS if not item["drugs"]) >= 150


@pytest.mark.parametrize("lang", ["en", "zh", None])
def test_unknown_drugs_found_by_form_with_high_precision_and_recall(lang):
    # An empty glossary: every drug must be found by its stem, code or Chinese ending.
    tp, fp, fn, misses, false = score(Detector({}), lang)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"{lang or 'all'}: precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert precision >= 0.98, false
    assert recall >= 0.98, misses


@pytest.mark.parametrize("text,expected", [
    ("对alpelisib耐药", ["alpelisib"]),
    ("阿培利司联合氟维司群", ["阿培利司", "氟维司群"]),
    ("ALPELISIB and Alpelisib-fulvestrant", ["ALPELISIB", "Alpelisib", "fulvestrant"]),
    ("BYL719 (alpelisib)", ["BYL719", "alpelisib"]),
    ("PIK3CA H1047R in MCF-7 and NCT02437318", []),
])
def test_known_names_case_insensitive_and_next_to_chinese(text, expected):
    detector = Detector({"alpelisib": "alpelisib", "阿培利司": "alpelisib", "byl719": "alpelisib",
                         "氟维司群": "fulvestrant", "fulvestrant": "fulvestrant"}, allow=("MCF-7",))
    found = detector.find(text)
    assert [m.text for m in found] == expected
    assert all(m.drug for m in found)


HOLDOUT = yaml.safe_load((Path(__file__).parent / "drug_corpus_holdout.yml").read_text(encoding="utf-8"))


def test_held_out_corpus_stays_above_its_measured_floor():
    """A second corpus, written independently and never used to tune the detector. Measured when
    it was added: precision 0.973, recall 0.987 (cell lines such as DU145 look like codes; a few
    Chinese antibody names use characters outside the transliteration set). A floor, not a target."""
    tp, fp, fn, misses, false = score(Detector({}), corpus=HOLDOUT)
    assert tp / (tp + fp) >= 0.96, false
    assert tp / (tp + fn) >= 0.97, misses
