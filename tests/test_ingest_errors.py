"""Bad input: one clear line naming file, line and expectation; exit status 2; no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportgraph.cli import main
from supportgraph.errors import IngestError
from supportgraph.ingest import ingest_bytes, ingest_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SV_MAIN = CORPUS / "sv-SE/microsoft-365/admin/contact-support-for-business-products.md"
PAIR = (
    '<span data-ttu-id="ab-1">Hej</span>'
    '<span class="sxs-lookup"><span data-stu-id="ab-1">Hello</span></span>'
)


def run_inspect(path: Path, capsys) -> tuple[int, str]:
    status = main(["inspect", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.err.strip()


def write(tmp_path: Path, text: str | bytes, name: str = "page.md") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_invalid_yaml_front_matter(tmp_path, capsys):
    path = write(tmp_path, "---\ntitle: ok\nms.date: [unclosed\n---\n# Title\n")
    status, err = run_inspect(path, capsys)
    assert status == 2
    assert err.startswith(f"supportgraph: error: {path}:3: invalid YAML front matter")
    assert err.endswith("expected 'key: value' lines")


def test_front_matter_that_is_not_a_mapping(tmp_path, capsys):
    path = write(tmp_path, "---\n- a\n- b\n---\n# Title\n")
    status, err = run_inspect(path, capsys)
    assert status == 2
    assert err == (
        f"supportgraph: error: {path}:2: front matter is a YAML list; "
        "expected a mapping of 'key: value'"
    )


def test_unclosed_moniker(tmp_path, capsys):
    path = write(tmp_path, '# Title\n\n::: moniker range="o365-worldwide"\n\nText.\n')
    status, err = run_inspect(path, capsys)
    assert status == 2
    assert err == (
        f"supportgraph: error: {path}:3: unclosed '::: moniker range=\"o365-worldwide\"': "
        "expected '::: moniker-end' before the end of the enclosing block"
    )


def test_moniker_end_without_a_moniker(tmp_path, capsys):
    path = write(tmp_path, "# Title\n\nText.\n::: moniker-end\n")
    status, err = run_inspect(path, capsys)
    assert status == 2
    assert err == (
        f"supportgraph: error: {path}:4: '::: moniker-end' without an open "
        "'::: moniker range=\"...\"'"
    )


def test_a_segment_without_its_source_span(tmp_path, capsys):
    path = write(tmp_path, '# Title\n\nOne.\n\n<span data-ttu-id="ab-2">Hej</span> och hej.\n')
    status, err = run_inspect(path, capsys)
    assert status == 2
    assert err == (
        f'supportgraph: error: {path}:5: segment ab-2: <span data-ttu-id="ab-2"> has no '
        'matching <span class="sxs-lookup"><span data-stu-id="ab-2">'
    )


def test_a_segment_paired_with_another_id(tmp_path, capsys):
    path = write(tmp_path, "# Title\n\n" + PAIR.replace('data-stu-id="ab-1"', 'data-stu-id="ab-9"'))
    status, err = run_inspect(path, capsys)
    assert status == 2
    assert err == (
        f"supportgraph: error: {path}:3: segment ab-1: localized span is paired with "
        'data-stu-id="ab-9"; expected data-stu-id="ab-1"'
    )


def test_a_segment_error_in_a_table_names_the_row(tmp_path, capsys):
    table = "| A | B |\n|---|---|\n| x | y |\n| " + '<span data-ttu-id="c-3">z</span> | w |\n'
    path = write(tmp_path, "# Title\n\n" + table)
    status, err = run_inspect(path, capsys)
    assert status == 2
    assert err.startswith(f"supportgraph: error: {path}:6: segment c-3:")


def test_an_empty_file(tmp_path, capsys):
    path = write(tmp_path, "")
    assert run_inspect(path, capsys) == (
        2,
        f"supportgraph: error: {path}: empty file; expected a DocFX Markdown page",
    )


def test_invalid_utf8(tmp_path, capsys):
    path = write(tmp_path, b"# Title\n\nCaf\xe9 ol\xe9\n")
    assert run_inspect(path, capsys) == (
        2,
        f"supportgraph: error: {path}:3: invalid UTF-8 (byte 0xe9); expected UTF-8 text",
    )


def test_a_directory(tmp_path, capsys):
    assert run_inspect(tmp_path, capsys) == (
        2,
        f"supportgraph: error: {tmp_path}: is a directory; expected a Markdown file",
    )


def test_a_binary_file(tmp_path, capsys):
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="image.md")
    assert run_inspect(path, capsys) == (
        2,
        f"supportgraph: error: {path}:3: binary file (NUL byte); expected a UTF-8 Markdown page",
    )


def test_a_missing_file(tmp_path, capsys):
    path = tmp_path / "absent.md"
    assert run_inspect(path, capsys) == (2, f"supportgraph: error: {path}: no such file")


def test_an_unknown_translation_type(tmp_path, capsys):
    path = write(tmp_path, "---\nms.translationtype: XX\n---\n# Title\n")
    assert run_inspect(path, capsys) == (
        2,
        f"supportgraph: error: {path}:2: ms.translationtype is 'XX'; expected HT or MT",
    )


def test_the_installed_command_exits_2_without_a_traceback(tmp_path):
    path = write(tmp_path, "")
    result = subprocess.run(
        [sys.executable, "-m", "supportgraph.cli", "inspect", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == f"supportgraph: error: {path}: empty file; expected a DocFX Markdown page\n"
    )


def test_a_page_in_an_unseen_script_ingests_by_structure_alone(tmp_path):
    # Right-to-left text, CJK and Cyrillic in anchors, segments and front matter.
    text = (
        "---\nms.contentlocale: ar-SA\nms.translationtype: HT\n---\n"
        '# <a name="contact-support"></a><span data-ttu-id="a1-1">اتصل بالدعم</span>'
        '<span class="sxs-lookup"><span data-stu-id="a1-1">Contact support</span></span>\n\n'
        '::: moniker range="o365-21vianet"\n\n'
        '## <a name="call-support"></a><span data-ttu-id="a1-2">致电支持</span>'
        '<span class="sxs-lookup"><span data-stu-id="a1-2">Call support</span></span>\n\n'
        '- <span data-ttu-id="a1-3">**Позвоните: (86) 400-089-0365.**</span>'
        '<span class="sxs-lookup"><span data-stu-id="a1-3">**Call (86) 400-089-0365.**</span>'
        "</span>\n\n"
        "::: moniker-end\n"
    )
    document = ingest_bytes(text.encode(), tmp_path / "ar-SA" / "page.md")
    assert document.locale == "ar-SA"
    assert [(s.id, s.localized, s.source, s.cloud, s.section) for s in document.segments] == [
        ("a1-1", "اتصل بالدعم", "Contact support", None, "contact-support"),
        ("a1-2", "致电支持", "Call support", "o365-21vianet", "call-support"),
        (
            "a1-3",
            "Позвоните: (86) 400-089-0365.",
            "Call (86) 400-089-0365.",
            "o365-21vianet",
            "call-support",
        ),
    ]


CORPUS_SAMPLES = [
    SV_MAIN.read_bytes(),
    (CORPUS / "it-IT/microsoft-365/admin/support/japan.md").read_bytes(),
    (CORPUS / "en-US/microsoft-365/admin/contact-support-for-business-products.md").read_bytes(),
]


@st.composite
def damaged_pages(draw) -> bytes:
    """A real corpus page with random deletions, duplications and a truncation."""
    data = bytearray(draw(st.sampled_from(CORPUS_SAMPLES)))
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(data)))
        length = draw(st.integers(0, 400))
        if draw(st.booleans()):
            del data[start : start + length]
        else:
            data[start:start] = data[start : start + length]
    return bytes(data[: draw(st.integers(0, len(data)))])


@settings(
    max_examples=int(os.environ.get("SUPPORTGRAPH_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(damaged_pages())
def test_damaged_pages_raise_nothing_but_ingest_errors(data):
    try:
        ingest_bytes(data, Path("sv-SE/microsoft-365/admin/page.md"))
    except IngestError as error:
        assert str(error).startswith("sv-SE/microsoft-365/admin/page.md")


def test_ingest_file_rejects_what_is_not_a_file(tmp_path):
    with pytest.raises(IngestError, match="is a directory"):
        ingest_file(tmp_path)
