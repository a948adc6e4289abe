"""Make a scaled corpus by pseudo-localization, for the benchmark.

    python bench/make_corpus.py --docs 1000 [--out bench/corpora/1000]

The scaled corpus has ``--docs`` documents: the English pages it needs
(the main page, the country drop-down, and as many country pages as fit)
and copies of them in pseudo-locales ``en-x-ps0001``, ``en-x-ps0002``, ...
Each copy is a side-by-side translation (every text line or segment is a
``data-ttu-id`` / ``data-stu-id`` pair) whose localized text is the English
text pseudo-localized: letters accented, lengthened by about a third,
bracketed with ⟦ ⟧. Digits, URLs and Markdown markup are kept, so numbers
and times (language-neutral facts) stay what the source says. Front matter
says what the page is (``ms.contentlocale``, ``ms.translationtype: MT``,
``pseudo_locale: true``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
MAIN = "microsoft-365/admin/contact-support-for-business-products.md"
DROPDOWN = "microsoft-365/admin/includes/country-region-support-dropdown-list.md"
# The main page's pseudo copy starts from a side-by-side translation of it.
MAIN_TEMPLATE = CORPUS / "sv-SE" / MAIN

ACCENTS = str.maketrans(
    "abcdeghiklmnorstuwyzABCDEGHIKLNORSTUWYZ",
    "áƀçđéĝĥíķĺɱñóŕšţúŵýžÁƁÇĐÉĜĤÍĶĹÑÓŘŠŢÚŴÝŽ",
)
# Markup and values that pseudo-localization must not touch.
PROTECTED = re.compile(
    r"(\]\([^)]*\)|<[^>]+>|https?://\S+|\*\*|\\.|&\w+;|[+\d][\d :.\-~()*/]*\d|\bAM\b|\bPM\b)"
)
SPAN_PAIR = re.compile(
    r'<span data-ttu-id="([^"]+)">(.*?)</span><span class="sxs-lookup"><span '
    r'data-stu-id="\1">(.*?)</span></span>'
)
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def pseudo(text: str) -> str:
    """Pseudo-localize English text: accented, lengthened, bracketed; markup kept."""
    pieces = PROTECTED.split(text)
    out = [p if i % 2 else p.translate(ACCENTS) for i, p in enumerate(pieces)]
    letters = sum(c.isalpha() for c in text)
    return "⟦" + "".join(out) + "·" * (letters // 3) + "⟧" if text.strip() else text


def slug(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


class Segments:
    """Side-by-side pairs with ids unique in one page."""

    def __init__(self, prefix: str):
        self.prefix, self.count = prefix, 100

    def pair(self, source: str) -> str:
        self.count += 1
        sid = f"{self.prefix}-{self.count}"
        return (
            f'<span data-ttu-id="{sid}">{pseudo(source)}</span><span class="sxs-lookup">'
            f'<span data-stu-id="{sid}">{source}</span></span>'
        )


def front_matter(text: str, locale: str) -> tuple[str, str]:
    """Split off the front matter and rewrite it for the pseudo-locale."""
    _, head, body = text.split("---", 2)
    kept = [
        line
        for line in head.strip().splitlines()
        if not line.startswith(("ms.contentlocale", "ms.translationtype", "ms.lasthandoff"))
    ]
    kept += [
        f"ms.contentlocale: {locale}",
        "ms.translationtype: MT",
        "ms.lasthandoff: 11/22/2026",
        "pseudo_locale: true",
    ]
    return "---\n" + "\n".join(kept) + "\n---", body


def pseudo_plain_page(text: str, locale: str, prefix: str) -> str:
    """An English page of plain lines (the country pages) as a side-by-side translation."""
    head, body = front_matter(text, locale)
    segments = Segments(prefix)
    lines = []
    for line in body.splitlines():
        heading = HEADING.match(line)
        if heading:
            hashes, title = heading.groups()
            lines.append(f'{hashes} <a name="{slug(title)}"></a>{segments.pair(title)}')
        elif line.strip() and not line.startswith(("![", "<", "|")):
            lines.append(segments.pair(line.strip()))
        else:
            lines.append(line)
    return head + "\n" + "\n".join(lines) + "\n"


def pseudo_span_page(text: str, locale: str) -> str:
    """A side-by-side translation with its localized text replaced by pseudo(source)."""
    head, body = front_matter(text, locale)
    return head + SPAN_PAIR.sub(
        lambda m: (
            f'<span data-ttu-id="{m[1]}">{pseudo(m[3])}</span><span class="sxs-lookup">'
            f'<span data-stu-id="{m[1]}">{m[3]}</span></span>'
        ),
        body,
    )


def pseudo_dropdown(text: str) -> str:
    """The drop-down list with pseudo country names (it has no front matter)."""
    return re.sub(r"\[([^\]]+)\]\(", lambda m: f"[{pseudo(m[1])}](", text)


def pages_for(docs: int) -> list[str]:
    """The English pages every locale of a corpus of ``docs`` documents carries."""
    countries = sorted(
        f"microsoft-365/admin/support/{p.name}"
        for p in (CORPUS / "en-US" / MAIN).parent.glob("support/*.md")
    )
    per_locale = max(3, min(len(countries) + 2, docs // 4))
    return [MAIN, DROPDOWN, *countries][:per_locale]


def make(docs: int, out: Path) -> int:
    """Write a scaled corpus of ``docs`` documents into ``out``; returns the count written."""
    if out.exists():
        shutil.rmtree(out)
    pages = pages_for(docs)
    written = 0
    for relpath in pages[: min(len(pages), docs)]:
        target = out / "en-US" / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "en-US" / relpath, target)
        written += 1
    number = 0
    while written < docs:
        number += 1
        locale = f"en-x-ps{number:04d}"
        for relpath in pages:
            if written >= docs:
                break
            source = (MAIN_TEMPLATE if relpath == MAIN else CORPUS / "en-US" / relpath).read_text(
                encoding="utf-8"
            )
            if relpath == MAIN:
                text = pseudo_span_page(source, locale)
            elif relpath == DROPDOWN:
                text = pseudo_dropdown(source)
            else:
                text = pseudo_plain_page(source, locale, f"ps{number:04d}")
            target = out / locale / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus")
    parser.add_argument("--out", type=Path, help="output folder (bench/corpora/DOCS)")
    args = parser.parse_args(argv)
    if args.docs < 3:
        parser.error("--docs must be at least 3")
    out = args.out or ROOT / "bench" / "corpora" / str(args.docs)
    count = make(args.docs, out)
    print(f"wrote {count} documents to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
