"""Front-matter dates as the corpus writes them."""

from datetime import date

import pytest

from supportgraph.values.dates import parse_doc_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7/28/2020", date(2020, 7, 28)),  # sv-SE main page ms.date
        ("08/29/2020", date(2020, 8, 29)),  # sv-SE main page ms.lasthandoff
        (" 05/10/2021 ", date(2021, 5, 10)),
        ("2020-07-28", None),
        ("13/40/2020", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_doc_date(text, expected):
    assert parse_doc_date(text) == expected
