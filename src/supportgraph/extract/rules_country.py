"""Named rules for the country and region pages (the second page family)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from supportgraph.extract.context import Context, fold
from supportgraph.extract.page import Page, lists
from supportgraph.extract.records import Area, Text
from supportgraph.extract.rules import Rule, rule
from supportgraph.values import country_from_page

PAGE_LINK = re.compile(r"(?:^|/)(?P<slug>[a-z0-9-]+)\.md$")


@rule("country-list")
def country_list(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """The drop-down list of countries and regions: one area per linked page.

    The English list gives each page its ISO code; a translated list gives
    the names in its language (and so lets a translated sentence that names
    a country be read).
    """
    for items in lists(page.document.blocks):
        for item in items:
            for link in item.links:
                match = PAGE_LINK.search(link.target)
                if match is None:
                    continue
                slug = match["slug"]
                known = ctx.by_slug.get(slug)
                if page.document.is_source or known is None:
                    ref = country_from_page(slug, link.text if page.lang == "en" else slug)
                    code = ref.code
                else:
                    code = known.code
                area = Area(
                    slug=slug,
                    code=code,
                    labels=(Text(link.text, page.lang),),
                    page=link.target,
                )
                if page.document.is_source:
                    ctx.add_area(area, link.text)
                else:
                    for text in area.labels:
                        ctx.localized.setdefault(text.lang, {})[fold(text.value)] = known or area
                yield area
