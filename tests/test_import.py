"""CSV import: the files freelancers really have, and every way one can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from nachhaken_tui.core.exchange.csv_columns import parse_mappings
from nachhaken_tui.core.exchange.csv_import import ImportOptions, import_csv, report_lines
from nachhaken_tui.core.exchange.csv_read import ImportFileError
from nachhaken_tui.core.safe_files import FileRefused

GERMAN_EXCEL = (
    "Kunde;Ansprechpartner;Telefon;E-Mail;Angebot;Betrag;Währung;Gesendet am;Erstgespräch;Notizen\r\n"
    "Müller Bau GmbH;Anna Müller;0171 1234567;anna@mueller-bau.de;Website-Relaunch;4.800,50 €;;"
    '03.11.2026;20.10.2026;"Will erst mit dem Chef reden;\r\nRückruf Dienstag"\r\n'
    "Schulz & Söhne;Jörg Schulz;;;Logo;1.250;EUR;3.11.26;;\r\n"
    ";;;;;;;;;\r\n"
)


def _file(tmp_path: Path, data: bytes, name: str = "offers.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _offers(store) -> list[dict]:
    return list(store.iter_rows("offers"))


def test_german_excel_export_with_bom_semicolons_and_decimal_comma(store, tmp_path):
    path = _file(tmp_path, b"\xef\xbb\xbf" + GERMAN_EXCEL.encode("utf-8"))
    report = import_csv(store, path)
    assert (report.encoding, report.delimiter, report.decimal_comma) == ("utf-8-sig", ";", True)
    assert (report.imported, report.invalid, report.ignored_columns) == (2, [], [])
    first, second = _offers(store)
    assert first["client"] == "Müller Bau GmbH"
    assert first["email"] == "anna@mueller-bau.de"
    assert (first["value_cents"], first["currency"]) == (480_050, "EUR")
    assert (first["sent_on"], first["first_talk_on"]) == ("2026-11-03", "2026-10-20")
    assert first["notes"] == "Will erst mit dem Chef reden;\nRückruf Dienstag"
    assert first["next_due"] == "2026-11-06"
    assert (second["client"], second["value_cents"], second["sent_on"]) == (
        "Schulz & Söhne",
        125_000,
        "2026-11-03",
    )


def test_windows_1252_file_keeps_its_umlauts(store, tmp_path):
    path = _file(
        tmp_path,
        "Firma;Titel;Datum;Wert\nBäckerei Öztürk;Würfelzucker-Flyer;1.12.2026;99,-\n".encode("cp1252"),
    )
    report = import_csv(store, path)
    assert report.encoding == "cp1252"
    [offer] = _offers(store)
    assert (offer["client"], offer["title"], offer["value_cents"]) == (
        "Bäckerei Öztürk",
        "Würfelzucker-Flyer",
        9_900,
    )


def test_tab_separated_utf8_with_english_headers(store, tmp_path):
    path = _file(
        tmp_path, "Client\tTitle\tValue\tSent on\nACME Ltd\tTraining\t€ 1,250.00\t2026-11-03\n".encode()
    )
    report = import_csv(store, path)
    assert report.delimiter == "\t"
    assert [(o["client"], o["value_cents"], o["currency"]) for o in _offers(store)] == [
        ("ACME Ltd", 125_000, "EUR")
    ]


def test_excel_unicode_text_is_utf16_with_tabs(store, tmp_path):
    path = _file(tmp_path, "Kunde\tAngebot\tDatum\r\nŁódź Design\tKatalog\t3.11.2026\r\n".encode("utf-16"))
    assert import_csv(store, path).encoding == "utf-16"
    assert _offers(store)[0]["client"] == "Łódź Design"


def test_comma_file_from_another_tool_with_map(store, tmp_path):
    path = _file(
        tmp_path,
        b"Organization,Deal - Title,Deal - Value,Expected close,Created\n"
        b'"Wagner, Partner",Workshop,"4,800.50",2026-12-01,2026-11-03\n',
    )
    mapping = parse_mappings(
        ["Organization=client", "deal - title=title", "Deal - Value=value", "Created=sent_on"]
    )
    report = import_csv(store, path, ImportOptions(mapping=mapping))
    assert report.ignored_columns == ["Expected close"]
    [offer] = _offers(store)
    assert (offer["client"], offer["title"], offer["value_cents"], offer["sent_on"]) == (
        "Wagner, Partner",
        "Workshop",
        480_050,
        "2026-11-03",
    )


def test_map_wins_over_an_alias_and_dash_ignores_a_column(store, tmp_path):
    path = _file(tmp_path, b"Kunde;Titel;Deal;Datum;Gesendet am\nA;alt;neu;1.1.2026;2.2.2026\n")
    with pytest.raises(ImportFileError) as caught:
        import_csv(store, path)
    assert "sent_on" in str(caught.value) and "'Datum', 'Gesendet am'" in str(caught.value)
    report = import_csv(store, path, ImportOptions(mapping=parse_mappings(["Deal=title", "Datum=-"])))
    assert report.ignored_columns == ["Titel"]
    assert [(o["title"], o["sent_on"]) for o in _offers(store)] == [("neu", "2026-02-02")]


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        (["Deal"], "--map 'Deal': expected COLUMN=FIELD"),
        (["=title"], "--map '=title': expected COLUMN=FIELD"),
        (["Deal=titel"], "'titel' is not a field"),
        (["Nope=title"], "the file has no column 'Nope'"),
    ],
)
def test_bad_maps_are_explained(store, tmp_path, mapping, expected):
    path = _file(tmp_path, b"client,Deal,sent_on\nA,B,2026-11-03\n")
    with pytest.raises(ImportFileError) as caught:
        import_csv(store, path, ImportOptions(mapping=parse_mappings(mapping)))
    assert expected in str(caught.value)


def test_every_bad_row_is_reported_with_line_field_and_reason_and_nothing_is_written(store, tmp_path):
    path = _file(
        tmp_path,
        (
            b"Kunde;Angebot;Betrag;Gesendet am;Notizen\n"
            b"Gut GmbH;Website;100;1.11.2026;\n"
            b';Logo;abc;31.02.2026;"zwei\nZeilen"\n'
            b"Noch Gut;Flyer;200;2.11.2026;\n"
            b"Kaputt;Plakat;-5;2.11.2026;;zu;viel\n"
            b"Auch kaputt;;1,2,3;2026-11-02;\n"
        ),
    )
    report = import_csv(store, path)
    assert report.blocked and report.imported == 0
    assert store.count_offers() == 0
    notes, summary = report_lines(report, "en")
    assert notes == [
        "line 3: client ('Kunde'): is required; value ('Betrag'): 'abc' is not an amount "
        "(e.g. 4800, 4.800,50 € or 4,800.50); sent on ('Gesendet am'): '31.02.2026' is not a real day",
        "line 6: 7 cells but the header has 5 (an unquoted delimiter in a value?)",
        "line 7: title ('Angebot'): is required; value ('Betrag'): '1,2,3' is not an amount "
        "(e.g. 4800, 4.800,50 € or 4,800.50)",
    ]
    assert (
        summary
        == "Nothing imported; invalid rows: 3. Fix them, or import the valid ones (2) with --skip-invalid."
    )
    german_notes, german_summary = report_lines(report, "de")
    assert german_notes[0].startswith("Zeile 3: Kunde: fehlt; Wert ('Betrag'): 'abc' ist kein Betrag")
    assert german_summary.startswith("Nichts importiert; ungültige Zeilen: 3.")


def test_a_refused_import_leaves_existing_offers_as_they_were(store, tmp_path):
    good = _file(tmp_path, b"client,title,sent_on\nA,T,2026-11-03\n", "good.csv")
    import_csv(store, good)
    before = _offers(store)
    bad = _file(tmp_path, b"client,title,sent_on\nB,T,2026-11-04\nC,T,yesterday\n", "bad.csv")
    assert import_csv(store, bad).blocked
    assert _offers(store) == before


def test_skip_invalid_imports_the_good_rows_and_still_reports_the_bad(store, tmp_path):
    path = _file(
        tmp_path, b"client,title,sent_on,value\nA,T,2026-11-03,100\nB,T,nope,100\nC,T,2026-11-03,1e9\n"
    )
    report = import_csv(store, path, ImportOptions(skip_invalid=True))
    assert not report.blocked
    assert [o["client"] for o in _offers(store)] == ["A"]
    assert [row.line for row in report.invalid] == [3, 4]
    assert report_lines(report, "en")[1] == "Imported: 1 · skipped as duplicates: 0 · invalid: 2"


def test_importing_the_same_file_twice_adds_nothing(store, tmp_path):
    path = _file(tmp_path, b"client,title,sent_on\nA,T,2026-11-03\nB,T,2026-11-03\nA,T,2026-11-03\n")
    first = import_csv(store, path)
    assert (first.imported, first.duplicate_lines) == (2, [4])
    second = import_csv(store, path)
    assert (second.imported, second.duplicate_lines) == (0, [2, 3, 4])
    assert store.count_offers() == 2
    assert report_lines(second, "en")[0] == [
        "Already present, skipped (same client, title and sent date): lines 2, 3, 4"
    ]


def test_dry_run_reports_exactly_what_would_happen_and_writes_nothing(store, tmp_path):
    import_csv(store, _file(tmp_path, b"client,title,sent_on\nA,T,2026-11-03\n", "old.csv"))
    path = _file(tmp_path, b"client,title,sent_on\nA,T,2026-11-03\nB,T,2026-11-04\nC,T,2026-11-05\n")
    report = import_csv(store, path, ImportOptions(dry_run=True))
    assert (report.imported, report.duplicate_lines, report.blocked) == (2, [2], False)
    assert store.count_offers() == 1
    assert report_lines(report, "en")[1] == (
        "Dry run, nothing written. Would import: 2 · skip as duplicates: 1 · invalid: 0"
    )


def test_decimal_comma_follows_the_delimiter_unless_overridden(store, tmp_path):
    semicolons = _file(tmp_path, b"client;title;sent_on;value\nA;T;2026-11-03;1.250\n")
    assert import_csv(store, semicolons, ImportOptions(dry_run=True)).decimal_comma is True
    import_csv(store, semicolons, ImportOptions(decimal_comma=False))
    assert _offers(store)[0]["value_cents"] == 125


def test_explicit_delimiter_and_encoding(store, tmp_path):
    path = _file(tmp_path, "client|title|sent_on\nÄ|T|2026-11-03\n".encode("latin-1"))
    import_csv(store, path, ImportOptions(delimiter="|", encoding="latin-1"))
    assert _offers(store)[0]["client"] == "Ä"


def test_unknown_columns_are_listed_as_ignored(store, tmp_path):
    path = _file(tmp_path, b"client,title,sent_on,Pipeline,Owner,\nA,T,2026-11-03,x,y,\n")
    assert import_csv(store, path).ignored_columns == ["Pipeline", "Owner"]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (b"client,title,value\n", "sent_on"),
        (b"Name,Betreff,Summe\n", "client, title, sent_on"),
    ],
)
def test_missing_required_columns_are_named(store, tmp_path, header, missing):
    path = _file(tmp_path, header + b"a,b,c\n")
    with pytest.raises(ImportFileError) as caught:
        import_csv(store, path)
    assert f"Columns for {missing} are missing" in str(caught.value)
    assert "--map" in caught.value.message("de")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"", "is empty", id="empty"),
        pytest.param(b"\n\r\n  \n", "is empty", id="blank-lines"),
        pytest.param(b"\xef\xbb\xbf", "is empty", id="bom-only"),
        pytest.param(b"client,title,sent_on\n", "has a header line but no offers", id="header-only"),
        pytest.param(b"client,title,sent_on\n,,\n", "has a header line but no offers", id="blank-row"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00junk", "is an Excel or ODS workbook", id="xlsx"),
        pytest.param(b"client,title,sent_on\nA\x00,T,2026-11-03\n", "contains binary data", id="nul"),
        pytest.param(bytes(range(256)) * 4, "contains binary data", id="binary-junk"),
        pytest.param(
            b"client,title,sent_on\n\x81\x8d\x8f,T,2026-11-03\n", "cannot be read as cp1252", id="undecodable"
        ),
        pytest.param(
            b'client,title,sent_on\n"A,T,2026-11-03\n',
            "Line 2: the CSV structure is broken",
            id="unclosed-quote",
        ),
        pytest.param(
            b'client,title,sent_on\n"A"x,T,2026-11-03\n',
            "Line 2: the CSV structure is broken",
            id="text-after-quote",
        ),
    ],
)
def test_broken_files_get_a_clear_message(store, tmp_path, data, expected):
    path = _file(tmp_path, data)
    with pytest.raises(ImportFileError) as caught:
        import_csv(store, path)
    assert expected in str(caught.value)
    assert caught.value.message("de")
    assert store.count_offers() == 0


def test_missing_file_unknown_encoding_and_bad_delimiter(store, tmp_path):
    path = _file(tmp_path, b"client,title,sent_on\nA,T,2026-11-03\n")
    for options, expected in [
        (ImportOptions(encoding="klingon"), "Unknown encoding 'klingon'"),
        (ImportOptions(delimiter=";;"), "The delimiter must be a single character"),
    ]:
        with pytest.raises(ImportFileError, match=expected):
            import_csv(store, path, options)
    with pytest.raises(FileRefused, match="nope.csv: cannot be read"):
        import_csv(store, tmp_path / "nope.csv")


def test_formula_neutralising_quotes_are_undone(store, tmp_path):
    path = _file(tmp_path, b"client,title,sent_on,phone\n'=Evil,'@T,2026-11-03,'+49 171 1\n")
    import_csv(store, path)
    [offer] = _offers(store)
    assert (offer["client"], offer["title"], offer["phone"]) == ("=Evil", "@T", "+49 171 1")


def test_progress_reports_checking_and_saving(store, tmp_path):
    rows = "".join(f"C{i},T,2026-11-03\n" for i in range(1200))
    path = _file(tmp_path, ("client,title,sent_on\n" + rows).encode())
    calls = []
    import_csv(store, path, progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls[0] == ("check", 500, 1200)
    assert calls[-1] == ("save", 1200, 1200)
    assert ("check", 1200, 1200) in calls


def test_a_hundred_thousand_rows_in_one_transaction(store, tmp_path):
    rows = "".join(
        f"Kunde {i};Angebot {i % 97};{i % 9000},50 €;{1 + i % 28}.{1 + i % 12}.2026;Notiz {i}\n"
        for i in range(100_000)
    )
    path = _file(tmp_path, ("Kunde;Titel;Betrag;Datum;Notizen\n" + rows).encode("cp1252"))
    report = import_csv(store, path)
    assert (report.imported, report.invalid) == (100_000, [])
    assert store.count_offers() == 100_000
