#!/usr/bin/env python3
"""Writes reference.jsonl: VADER scores from the Python reference, vaderSentiment 3.3.2.

    python3.13 -m venv /tmp/vader-venv      # any Python >= 3.12
    /tmp/vader-venv/bin/pip install vaderSentiment==3.3.2
    /tmp/vader-venv/bin/python make_reference.py

The Python version matters: since 3.12 `sum()` adds floats with Neumaier's
compensated summation, and the compound is such a sum. Where the valences
cancel (`wtf cool sux yeah nice!`), Python 3.11 and older get 0.0 and a
compound of 0.0, 3.12 and newer get 2.2e-16 and, with the `!`, 0.0752.

Each line is one object: text, neg, neu, pos, compound, exactly as
`polarity_scores` returns them. The texts are deterministic (seeded): hand
written chat messages, one or more texts per rule of the algorithm, and
random mixes of lexicon words, boosters, negations, idioms, emoticons,
emoji, punctuation, casing and whitespace. The Rust test
(tests/vader.rs) only reads the stored file, so CI needs no Python.
"""

import json
import os
import random
import sys
from decimal import Decimal

import vaderSentiment
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

assert vaderSentiment.__file__, "vaderSentiment not importable"
SEED = 20140601
HERE = os.path.dirname(os.path.abspath(__file__))

CHAT = [
    "hey! how was the trip?",
    "omg that's amazing, congrats!!!",
    "ugh, worst day ever",
    "I'm so sorry to hear that :(",
    "thanks so much, you're the best",
    "lol ok",
    "ok",
    "k",
    "see you tomorrow",
    "can't make it tonight, sorry",
    "I don't feel great today",
    "not bad at all",
    "not good, not terrible",
    "that was kind of disappointing tbh",
    "honestly? I'm fine. really.",
    "I love you ❤️",
    "miss you 😢",
    "haha yes 😂😂😂",
    "happy birthday!!! 🎉🎂",
    "good luck with the interview tomorrow 🤞",
    "are you ok??",
    "are you ok???",
    "are you ok????",
    "WHAT",
    "I SAID NO",
    "this is SO good",
    "this is so GOOD",
    "I'm really not sure about this",
    "it's fine but I'm tired",
    "the food was great but the service was awful",
    "he's nice, but kind of boring",
    "Without a doubt the best film this year",
    "at least it didn't rain",
    "that's the least helpful answer",
    "very least you could do",
    "never been so happy",
    "never this happy",
    "no problem!",
    "no worries :)",
    "no, thank you",
    "no good or bad news yet",
    "no idea nor clue",
    "yeah right, like that'll happen",
    "that concert was the bomb",
    "this pizza is the shit",
    "she's a bad ass",
    "what a badass",
    "a kiss of death for the project",
    "cheesecake to die for",
    "meet me at the bus stop",
    "my beating heart",
    "just enough time",
    "it was sort of fun",
    "kinda sad tbh",
    "kind of sad",
    "KIND OF SAD",
    "sorta happy",
    "I hate mondays :/",
    "love it <3",
    ":) :( :D :P :p :Þ :-p",
    "xD that's hilarious",
    "heart hearts",
    "I ❤ this",
    "thx 🙏",
    "🙂",
    "🙂🙂",
    "ok👍",
    "👍ok",
    "I'm 😡 right now",
    "🇺🇸 flag day",
    "👨‍👩‍👧 family",
    "#️⃣ hashtag",
    "ON🔛 off",
    "🆙 up",
    "ça va? très bien merci",
    "Schön, dass du da bist!",
    "Größe ist nicht alles",
    "Привет, как дела?",
    "ΣΟΦΙΑ σοφία",
    "こんにちは、元気ですか",
    "مرحبا كيف حالك",
    "ǅemal is great",
    "O\u212a then",
    "\u212aILL IT",
    "İyi günler",
    "café GOOD food",
    "naïve but lovely",
    "",
    " ",
    "   \t\n ",
    "!!!",
    "???",
    "?!?!",
    "good\u00a0luck",
    "good\u3000luck",
    "good\x1cluck",
    "good\x0bluck",
    "good\u2028luck and happy\u200bday",
    "happy\u0085days",
    "GOOD\u2003NIGHT\u2003friend",
    "'good'",
    "\"great\"",
    "(happy)",
    "...sad...",
    "sad!",
    "ok!",
    "no!",
    "wow!!!!!!",
    "don't",
    "dont like it",
    "I doN'T like it",
    "isn't it lovely",
    "ain't nobody got time",
    "uh-uh, not happening",
    "nope not good",
    "despite the good reviews",
    "rarely good",
    "seldom happy",
    "without love",
    "It was one of the worst movies I've seen, despite good reviews.",
    "Unbelievably bad acting!!",
    "Poor direction.",
    "VERY poor production.",
    "The movie was bad.",
    "Very bad movie.",
    "VERY BAD movie!",
]

# Sentences written for this project that walk through the rules one at a
# time: punctuation, boosters, capitals, negation, "least", "kind of",
# "but", slang, emoticons, emoji and idioms.
RULE_SENTENCES = [
    "The picnic was lovely, sunny, and relaxed.",
    "The picnic was lovely, sunny, and relaxed!",
    "The picnic was very lovely, sunny, and relaxed.",
    "The picnic was VERY LOVELY, sunny, and RELAXED.",
    "The picnic was VERY LOVELY, sunny, and RELAXED!!!",
    "The picnic was VERY LOVELY, super sunny, and FRIGGIN RELAXED!!!",
    "The picnic was not lovely, sunny, nor relaxed.",
    "The soup was good.",
    "At least the soup isn't a horrible mess.",
    "The soup was only kind of good.",
    "The venue was good, but the speeches were dull and the music was not great.",
    "Mondays SUX!",
    "Mondays only kinda sux! But I'll survive, lol",
    "Send me a :) or :D when you land!",
    "Got your parcel 💘 and 💋 and 😁",
    "Not bad at all",
    "My cooking has never been good.",
    "My cooking has never been this good!",
    "Most group chats are shit.",
    "Your playlist is the shit!",
    "Some hikes can be quite bad.",
    "On the other hand, your bike is quite bad ass",
    "Your aunt is such a badass!",
    "Without a doubt, a wonderful plan.",
    "That café is one of the most charming spots in town.",
    "That café is at least charming as a spot in town.",
    "That café is one of the least charming spots in town.",
    "Not such a badass after all.",
    "Without a doubt, an excellent idea.",
]

# Short phrases for the rules; each is placed in random contexts below.
RULE_SNIPPETS = [
    "never so good", "never this bad", "never really good", "never so very good",
    "without doubt good", "without any doubt good", "without a doubt", "without doubt",
    "at least good", "very least good", "the least good", "least good", "least",
    "no good", "no no good", "no bad or good", "no bad nor good", "no one good", "no",
    "not very good", "not so bad", "isn't really bad", "don't really like", "wasn't that great",
    "kind of good", "kind of bad", "sort of good", "just enough good", "kind of", "kind",
    "the shit", "the bomb", "bad ass", "yeah right", "kiss of death", "to die for",
    "beating heart", "bus stop", "really the shit", "so the bomb", "one two the shit",
    "very bad ass", "a b c yeah right", "x y z kiss of death", "x y z to die for",
    "good but bad", "bad but good", "good but", "but good", "good good but good good",
    "good bad good but bad good bad", "but but good", "great BUT awful",
    "VERY good", "very GOOD", "SO GOOD", "KINDA good", "EXTREMELY bad", "BARELY good",
]

WORDS_NEUTRAL = [
    "the", "a", "I", "you", "we", "it", "is", "was", "this", "that", "and", "or", "of", "to",
    "for", "at", "in", "on", "with", "my", "your", "dinner", "tomorrow", "work", "home",
    "movie", "phone", "weekend", "mum", "dad", "coffee", "train", "meeting", "just", "enough",
    "sort", "kind", "bus", "stop", "yeah", "right", "so", "this", "never", "without", "doubt",
    "least", "very", "no", "nor", "but", "BUT", "But", "ok", "lol", "hmm",
]

EMOTICONS = [
    ":)", ":(", ":D", ":d", ":P", ":p", ":-p", ":-P", ":Þ", ":-Þ", ";)", ";D", ":'(", "<3",
    "</3", ":/", ":-/", "xD", "XD", "xd", "D:", "d:", "=)", "=D", "(:", "):", ":-)", ":-(",
    "O_o", "o_O", "o.O", ":|", ":o", ":O", "^_^", "-_-", "T_T", "8)", "<:", "}:-)",
]

PUNCT_GLUE = ["", "", "", "!", "!!", "?", "??", "...", ",", ".", "?!", "!!!!!", "'", '"', "(", ")", ":", "-"]

SPACES = [" "] * 30 + ["  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\x1c", "\x1f", "\x0b", "\u2009", "\u200b"]

NON_ASCII_WORDS = [
    "café", "naïve", "über", "Straße", "STRAẞE", "ÉCOLE", "école", "ǅ", "ǈubav", "ΣΟΦΟΣ", "σοφός",
    "Привет", "ПРИВЕТ", "日本", "😀x", "x😀", "O\u212a", "\u212a", "İ", "GOOĐ", "good\u0301",
    "ﬁne", "ǲ", "Ⅻ", "ⓐⓑ", "ＧＯＯＤ", "ｇｏｏｄ",
]


def emoji_pool(analyzer):
    single = sorted(k for k in analyzer.emojis if len(k) == 1)
    multi = sorted(k for k in analyzer.emojis if len(k) > 1)
    return single, multi


def random_case(rng, word):
    r = rng.random()
    if r < 0.12:
        return word.upper()
    if r < 0.18:
        return word.capitalize()
    return word


def random_token(rng, lexicon_words, boosters, negations, single_emoji, multi_emoji):
    r = rng.random()
    if r < 0.30:
        w = rng.choice(lexicon_words)
    elif r < 0.50:
        w = rng.choice(WORDS_NEUTRAL)
    elif r < 0.60:
        w = rng.choice(boosters)
    elif r < 0.68:
        w = rng.choice(negations)
    elif r < 0.75:
        w = rng.choice(EMOTICONS)
    elif r < 0.82:
        w = rng.choice(single_emoji)
    elif r < 0.84:
        w = rng.choice(multi_emoji)
    elif r < 0.88:
        w = rng.choice(NON_ASCII_WORDS)
    else:
        w = rng.choice(RULE_SNIPPETS)
    w = random_case(rng, w)
    if rng.random() < 0.15:
        w = rng.choice(PUNCT_GLUE) + w
    if rng.random() < 0.25:
        w = w + rng.choice(PUNCT_GLUE)
    return w


def random_text(rng, n, pools):
    out = []
    for i in range(n):
        if i:
            out.append(rng.choice(SPACES) if rng.random() < 0.15 else " ")
        out.append(random_token(rng, *pools))
    return "".join(out)


def cancelling(rng, analyzer, words, count):
    """Texts whose lexicon valences cancel in decimal, where the summation decides."""
    by_valence = {}
    for w in words:
        by_valence.setdefault(Decimal(str(analyzer.lexicon[w])), []).append(w)
    texts = []
    while len(texts) < count:
        chosen = [rng.choice(words) for _ in range(rng.randint(2, 4))]
        rest = -sum(Decimal(str(analyzer.lexicon[w])) for w in chosen)
        if rest not in by_valence:
            continue
        chosen.append(rng.choice(by_valence[rest]))
        rng.shuffle(chosen)
        texts.append(" ".join(chosen) + rng.choice(["", "!", "!!", "??", " ?!"]))
    return texts


def main():
    assert sys.version_info >= (3, 12), "run with Python 3.12 or newer (see the docstring)"
    rng = random.Random(SEED)
    analyzer = SentimentIntensityAnalyzer()
    lexicon_words = sorted(k for k in analyzer.lexicon if k == k.lower() and " " not in k)
    boosters = sorted(k for k in BOOSTER_DICT)
    negations = sorted(NEGATE) + ["shouldn't", "HAVEN'T", "couldn't've", "won't"]
    single_emoji, multi_emoji = emoji_pool(analyzer)
    pools = (lexicon_words, boosters, negations, single_emoji, multi_emoji)

    texts = []
    texts += CHAT
    texts += RULE_SENTENCES
    # Every rule snippet alone, after a context word, and with capitals and punctuation.
    for s in RULE_SNIPPETS:
        texts.append(s)
        texts.append("well " + s)
        texts.append("well, honestly " + s + "!")
        texts.append(s.upper() + " ok")
        texts.append("a b c " + s + " d e")
    # Every emoticon alone and in a sentence.
    for e in EMOTICONS:
        texts.append(e)
        texts.append("see you " + e)
        texts.append("ok" + e)
    # Punctuation emphasis at every count.
    for n in range(0, 7):
        texts.append("good" + "!" * n)
        texts.append("bad" + "?" * n)
        texts.append("great" + "!" * n + "?" * (6 - n))
        texts.append("meh" + "?" * n)
    # A sample of single-code-point emoji, alone, glued and in runs.
    for e in rng.sample(single_emoji, 60):
        texts.append(e)
        texts.append("so" + e + "good")
        texts.append(e + e + " " + e)
    for e in rng.sample(multi_emoji, 20):
        texts.append("look " + e)
    # Random chat-length texts (2-14 tokens).
    for _ in range(900):
        texts.append(random_text(rng, rng.randint(1, 14), pools))
    # Random long texts.
    for _ in range(60):
        texts.append(random_text(rng, rng.randint(40, 200), pools))
    # Long texts with "but" and repeated values (the reference's index() quirk).
    for _ in range(20):
        parts = [rng.choice(["good", "bad", "great", "sad", "ok", "the", "happy"]) for _ in range(30)]
        parts.insert(rng.randint(0, 30), "but")
        texts.append(" ".join(parts))

    # Valences that cancel: the summation order decides the compound.
    plain = [w for w in lexicon_words if w.isalpha() and w not in BOOSTER_DICT and w not in NEGATE]
    texts += ["wtf cool sux yeah nice!", " Wtf Cool Sux !Yeah Nice"]
    texts += cancelling(rng, analyzer, plain, 80)

    seen = set()
    unique = []
    for t in texts:
        if t not in seen:
            seen.add(t)
            unique.append(t)

    path = os.path.join(HERE, "reference.jsonl")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for t in unique:
            s = analyzer.polarity_scores(t)
            row = {"text": t, "neg": s["neg"], "neu": s["neu"], "pos": s["pos"], "compound": s["compound"]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(unique)} texts to {path}")


if __name__ == "__main__":
    main()
