"""How often the shipped model gives each label on news from another outlet: the AG News test split (7,600 wire
stories of 2004 from many US and world sources, in four sections), which no one here has labelled or written.

    python bench/other_outlet.py [--model models/default] [--sample 20] [--seed 0] [--out bench/results/other_outlet.md]

Without labels this measures rates, not accuracy: the share of each section's stories given each label (Sports
should get almost none but `litigation`), plus a seeded random sample of the stories given each label, printed for
a reader to judge. Each story is scored as one paragraph (its title and description). Reads
`../shared/data/ag_news/test.csv`; never used for training.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AG_NEWS = REPO.parent / "shared" / "data" / "ag_news" / "test.csv"
SECTIONS = {"1": "World", "2": "Sports", "3": "Business", "4": "Sci/Tech"}


def read_stories() -> list[tuple[str, str]]:
    """(section, title and description) of every story."""
    with open(AG_NEWS, encoding="utf-8", newline="") as handle:
        return [(SECTIONS[section], f"{title}. {description.replace(chr(92) + 'n', ' ')}")
                for section, title, description in csv.reader(handle)]


def rate_table(stories, decided, labels) -> str:
    lines = ["| section | stories | " + " | ".join(labels) + " | any label |", "|---" * (len(labels) + 3) + "|"]
    for section in SECTIONS.values():
        rows = [row for (name, _), row in zip(stories, decided) if name == section]
        shares = [sum(label in row for row in rows) / len(rows) for label in labels]
        lines.append(f"| {section} | {len(rows):,} | " + " | ".join(f"{share:.1%}" for share in shares)
                     + f" | {sum(bool(row) for row in rows) / len(rows):.1%} |")
    return "\n".join(lines)


def main() -> None:
    from classifier.labels import LABELS
    from classifier.store import load_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=REPO / "models" / "default")
    parser.add_argument("--sample", type=int, default=20, help="stories shown per label")
    parser.add_argument("--seed", type=int, default=0, help="seed of the samples")
    parser.add_argument("--out", type=Path, help="write the rate table here")
    args = parser.parse_args()
    if not AG_NEWS.exists():
        raise SystemExit(f"{AG_NEWS} not found: this benchmark needs the shared AG News test split")
    stories = read_stories()
    decided = load_model(args.model).predict([text for _, text in stories])[0]
    table = rate_table(stories, decided, LABELS)
    print(table)
    chooser = random.Random(args.seed)
    for label in LABELS:
        given = [(section, text) for (section, text), row in zip(stories, decided) if label in row]
        print(f"\n## {label}: {len(given)} stories; a sample of {min(args.sample, len(given))}")
        for section, text in chooser.sample(given, min(args.sample, len(given))):
            print(f"- [{section}] {text[:220]}")
    if args.out:
        args.out.write_text("# Label rates on another outlet\n\nCommand: `python bench/other_outlet.py`. AG News test "
                            "split (7,600 stories of 2004), each scored as one paragraph; share of each section's "
                            f"stories given each label by the shipped model.\n\n{table}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
