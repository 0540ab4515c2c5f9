"""Downloads: RFC 6266 names with an RFC 5987 UTF-8 form when the name is not plain ASCII."""

from __future__ import annotations

import io

from guichet.core.downloads import content_disposition, download, stored_download


def test_an_ascii_name_is_one_quoted_filename() -> None:
    assert content_disposition("BE-HW-2024-0009.pdf") == 'attachment; filename="BE-HW-2024-0009.pdf"'


def test_inline_lets_the_browser_show_the_file() -> None:
    assert content_disposition("BE-2026-000001.pdf", inline=True) == 'inline; filename="BE-2026-000001.pdf"'


def test_a_non_ascii_name_has_a_folded_fallback_and_the_exact_utf8_name() -> None:
    header = content_disposition("Facturé Ștefan 100€.pdf")
    assert header == (
        'attachment; filename="Facture Stefan 100_.pdf"; '
        "filename*=utf-8''Factur%C3%A9%20%C8%98tefan%20100%E2%82%AC.pdf"
    )


def test_quotes_backslashes_and_line_breaks_cannot_break_the_header() -> None:
    header = content_disposition('a"b\\c\r\nd.txt')
    assert header.startswith("attachment; filename=\"a_b_c__d.txt\"; filename*=utf-8''a%22b%5Cc%0D%0Ad.txt")
    assert "\n" not in header


def test_download_sets_type_and_disposition() -> None:
    response = download(b"a;b\n", "relevé.csv", "text/csv; charset=utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename=\"releve.csv\"; filename*=utf-8''relev%C3%A9.csv"
    assert response.content == b"a;b\n"


def test_a_stored_file_is_streamed_as_an_attachment() -> None:
    response = stored_download(io.BytesIO(b"%PDF-1.7"), "notice.pdf", "application/pdf")
    assert response["Content-Disposition"] == 'attachment; filename="notice.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7"  # type: ignore[arg-type]
