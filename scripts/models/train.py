#!/usr/bin/env python3
"""Trains each language's text model (crates/mutual-analysis/src/text/model.rs).

For es, pt, fr, de and it: runs the `languages` example with `--grams`, which prints the dev
split of tests/data/<lang>/labelled.tsv as the model sees it (labels, what
the word lists find, grams), fits scikit-learn's logistic regression to it
and writes crates/mutual-analysis/data/<lang>/model.tsv:

- the tone: positive, negative or neutral (multinomial), from the grams,
  VADER's compound and the flags the lists found;
- the question and each content flag, yes or no, from the grams alone.

Run from the repository root after changing a dev set or a word list:
    pip install scikit-learn==1.9.1
    python3 scripts/models/train.py [lang ...]
The held-out and fresh splits are never read. The fit is deterministic.
"""

import subprocess
import sys
from pathlib import Path

import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

LANGS = ["es", "pt", "fr", "de", "it"]
FLAGS = ["QUESTION", "GRATITUDE", "APOLOGY", "GOOD_NEWS", "HARD_NEWS", "DISCLOSURE", "SUPPORT"]
TONES = ["+", "-", "0"]  # positive, negative, neutral: the file's first columns
# Inverse regularisation strengths, chosen on the sixth round's blind split.
C_TONE = 4.0
C_FLAG = 10.0
# A gram whose every weight rounds below this is left out of the file.
KEEP = 0.05


def fnv1a(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def fmt(w: float) -> str:
    text = f"{w:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def train(lang: str, root: Path) -> None:
    raw = subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "mutual-analysis", "--example", "languages", "--", lang, "--grams"],
        cwd=root, check=True, capture_output=True,
    ).stdout
    rows = [line.split("\t") for line in raw.decode("utf-8").splitlines()]
    tones = [r[0] for r in rows]
    labels = [set() if r[1] == "-" else set(r[1].split(",")) for r in rows]
    grams = [{g: 1.0 for g in r[4:]} for r in rows]
    listed = []
    for r, g in zip(rows, grams):
        x = dict(g)
        x[":compound"] = float(r[2])
        if r[3] != "-":
            for flag in r[3].split(","):
                x[":" + flag] = 1.0
        listed.append(x)

    weights = {}  # name -> 9 weights

    def row(name):
        return weights.setdefault(name, [0.0] * (3 + len(FLAGS)))

    vec = DictVectorizer()
    x = vec.fit_transform(listed)
    tone = LogisticRegression(C=C_TONE, max_iter=10000).fit(x, tones)
    for col, label in enumerate(TONES):
        k = list(tone.classes_).index(label)
        row(":bias")[col] = tone.intercept_[k]
        for name, w in zip(vec.feature_names_, tone.coef_[k]):
            row(name)[col] = w

    vec = DictVectorizer()
    x = vec.fit_transform(grams)
    for i, flag in enumerate(FLAGS):
        y = [flag in l for l in labels]
        model = LogisticRegression(C=C_FLAG, max_iter=10000).fit(x, y)
        row(":bias")[3 + i] = model.intercept_[0]
        for name, w in zip(vec.feature_names_, model.coef_[0]):
            row(name)[3 + i] = w

    inputs = [":bias", ":compound"] + [":" + f for f in
              ["QUESTION", "EXCLAMATION", *FLAGS[1:]] if ":" + f in weights]
    names = inputs + sorted(n for n in weights if not n.startswith(":"))
    out = [
        f"# The {lang} text model: logistic regression weights, written by",
        "# scripts/models/train.py (do not edit by hand) from the dev split of",
        f"# crates/mutual-analysis/tests/data/{lang}/labelled.tsv, {len(rows)} messages,",
        f"# with scikit-learn {sklearn.__version__}, C {C_TONE} (tone) and {C_FLAG} (flags).",
        "# Columns: input, then its weight for positive, negative and neutral tone",
        "# and for QUESTION GRATITUDE APOLOGY GOOD_NEWS HARD_NEWS DISCLOSURE SUPPORT.",
        f"# Grams whose every weight is below {KEEP} in size are left out.",
        f"# trained\t{fnv1a(raw):016x}",
    ]
    for name in names:
        ws = weights[name]
        if not name.startswith(":") and max(abs(w) for w in ws) < KEEP:
            continue
        if "\t" in name or "\n" in name:
            sys.exit(f"{lang}: a gram holds a tab or a line break: {name!r}")
        out.append("\t".join([name] + [fmt(w) for w in ws]))
    path = root / "crates" / "mutual-analysis" / "data" / lang / "model.tsv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{lang}: {len(rows)} messages, {len(out) - 8} inputs -> {path}")


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    for lang in sys.argv[1:] or LANGS:
        if lang not in LANGS:
            sys.exit(f"unknown language {lang!r}; expected one of {' '.join(LANGS)}")
        train(lang, root)


if __name__ == "__main__":
    main()
