"""Adds every ISO 3166 country that fixtures/reference/actors.json lacks, from pycountry.

    .venv/bin/python scripts/add_iso_countries.py

Countries already there keep their names and the demonyms and capitals we maintain by hand
("Russian", "Moscow", "Kremlin"); a new one gets pycountry's common name, with its formal names as
aliases. Names that in English news mean something else far more often (a US state, a first name)
are left out. The file is rewritten in its own layout, so the diff shows only the new countries.
"""

import json
from pathlib import Path

import pycountry

PATH = Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "actors.json"
# "Georgia" is a US state, "Chad" a first name, "Jersey" half of a US state; add them by hand with
# aliases that cannot be misread if needed.
LEFT_OUT = {"Georgia", "Jersey", "Chad", "Guernsey"}


def main():
    data = json.loads(PATH.read_text(encoding="utf-8"))
    codes = {country["code"] for country in data["countries"]}
    added = 0
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        if country.alpha_3 in codes or name in LEFT_OUT:
            continue
        aliases = sorted({country.name, getattr(country, "official_name", None) or country.name} - {name})
        data["countries"].append({"code": country.alpha_3, "name": name, "aliases": aliases})
        added += 1
    PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{added} countries added; {len(data['countries'])} in all")


if __name__ == "__main__":
    main()
