"""The verification report: the CSV's columns, the self-contained HTML (nothing remote, every
claim linked to its quote), the errata (only inconsistent claims, English and Kazakh) and the
summary the README quotes."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis import paths
from analysis.claims import evaluate, registry
from analysis.claims.evaluate import Evaluated
from analysis.claims.model import Claim, Result
from analysis.report import claims as claims_page
from analysis.report import errata

RESULTS = paths.RESULTS / "claims"
HEADER = {"article": {"citation_en": "Article (2025).", "citation_kk": "Мақала (2025).", "doi": "10.1/x",
                      "journal_en": "Journal", "journal_kk": "Журнал"},
          "sections": [{"id": "results"}, {"id": "table2"}, {"id": "conclusion"}]}


def ev(cid, verdict, section="results", errata=None, **values):
    c = Claim(id=cid, section=section, paragraph=18, quote=f"«{cid}» <b>2054</b> адам", reported=("2054",),
              check="text_vs_table", cited="[14]", page=278, statement_en="Almaty region: 2054.", errata=errata or {})
    return Evaluated(c, Result(verdict, "2024", f"detail of {cid}", "+30" if verdict == "inconsistent" else "", values))


EVALUATED = [ev("R18c", "consistent"), ev("R18d", "inconsistent", errata={"en": "Text {reported}, table {recomputed} ({difference}).",
                                                                          "kk": "Мәтінде {reported}, кестеде {recomputed}; үлес {share}."},
                                        share="27.0"),
             ev("T2-CAP", "not_checkable", section="table2")]


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.hrefs, self.attrs = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "id":
                self.ids.add(value)
            if name == "href":
                self.hrefs.append(value)


REMOTE = re.compile(r"(url\(|@import)", re.I)


def offline_problems(text: str) -> list[str]:
    """Anything that would make the page load something, or run code. Links (``<a href>``), to the
    report's other pages or to a public source, load nothing until followed and are allowed."""
    parser = Collector()
    parser.feed(text)
    problems = [f"<{t}> element" for t in parser.tags if t in {"script", "link", "iframe", "img", "object", "embed",
                                                               "source", "video", "audio", "base", "form"}]
    problems += [f"{t} {n}={v!r}" for t, n, v in parser.attrs if n in {"src", "action", "srcset", "data", "poster"}]
    problems += [f"{t} href={v!r}" for t, n, v in parser.attrs
                 if n == "href" and t == "a" and not re.match(r"(#|https?://|\.\./|[\w.-]+\.(html|md|csv)(#|$))", v)]
    problems += [f"{t} {n}" for t, n, _ in parser.attrs if n.startswith("on")]
    problems += [f"remote reference {m.group(0)!r}" for m in REMOTE.finditer(text)]
    return problems


def anchor_problems(text: str) -> list[str]:
    parser = Collector()
    parser.feed(text)
    return [f"link {h} has no target" for h in parser.hrefs if h.startswith("#") and h[1:] not in parser.ids]


# -- the offline check itself must fail on remote content ------------------------------------------
@pytest.mark.parametrize("bad", ['<script>alert(1)</script>', '<a href="javascript:alert(1)">x</a>',
                                 '<link rel="stylesheet" href="s.css">', '<style>@import "x.css";</style>',
                                 '<div style="background: url(x.png)"></div>', '<img src="data:image/png;base64,AA">',
                                 '<p onclick="x()">x</p>', '<iframe src="https://example.org"></iframe>'])
def test_offline_check_catches_remote_or_active_content(bad):
    assert offline_problems(f"<html><body>{bad}</body></html>")


def test_rendered_html_is_self_contained_and_links_every_claim_to_its_quote():
    text = claims_page.render_html(EVALUATED, HEADER)
    assert offline_problems(text) == []
    assert anchor_problems(text) == []
    for e in EVALUATED:
        assert f'href="#quote-{e.claim.id}"' in text and f'id="quote-{e.claim.id}"' in text
    assert "&lt;b&gt;2054&lt;/b&gt;" in text, "quotes are escaped"
    assert text.index('id="section-results"') < text.index('id="section-table2"')
    assert 'id="section-conclusion"' not in text, "empty sections are left out"


def test_verdict_counts_by_section_with_total():
    counts = evaluate.verdict_counts(EVALUATED, ["results", "table2", "conclusion"]).set_index("section")
    assert list(counts.index) == ["results", "table2", "total"]
    assert counts.loc["total"].to_dict() == {"claims": 3, "consistent": 1, "inconsistent": 1, "not_checkable": 1}


def test_report_frame_has_exactly_the_required_columns():
    frame = evaluate.report_frame(EVALUATED)
    assert list(frame.columns) == ["claim_id", "location", "quote", "reported", "recomputed", "verdict", "detail",
                                   "legal_act", "legal_field", "source_status", "source_part", "source_identifier",
                                   "source_url", "source_quote"]
    assert frame.loc[1, "location"] == "Results and discussion, paragraph 18, cites [14], p. 278"


def test_errata_have_errors_and_queries_filled_from_the_check():
    query = ev("R18f", "inconsistent", errata={"en": "Small is not smallest.", "kk": "Шамалы."})
    query = Evaluated(dataclasses.replace(query.claim, ambiguity="Read loosely it holds.",
                                          query={"en": "Smallest, or small?", "kk": "Ең азы ма?"}), query.result)
    asked = Evaluated(dataclasses.replace(EVALUATED[2].claim, query={"en": "Which group?", "kk": "Қай топ?"}),
                      EVALUATED[2].result)
    items = [*EVALUATED, query, asked]
    en = errata.render_errata(items, HEADER, "en")
    kk = errata.render_errata(items, HEADER, "kk")
    assert en.count("\n## ") == 2 and en.index("## Errors") < en.index("## Queries for the authors")
    errors, queries = en.split("## Queries for the authors")
    assert "R18d" in errors and "Text 2054, table 2024 (+30)." in errors and "R18c" not in en
    assert "R18f" in queries and "Smallest, or small?" in queries and "Small is not smallest." in queries
    assert "T2-CAP" in queries and "Which group?" in queries, "a query whatever the verdict"
    assert "**Evidence:** detail of R18d" in errors
    assert "үлес 27,0" in kk, "decimal comma in Kazakh"
    assert "18-абзац" in kk and "278 б." in kk and "Ең азы ма?" in kk
    frame = errata.errata_frame(items)
    assert frame[["kind", "number", "claim_id"]].values.tolist() == [["error", 1, "R18d"], ["query", 1, "R18f"],
                                                                      ["query", 2, "T2-CAP"]]
    assert frame.loc[frame["claim_id"] == "R18f", "caveat"].item() == "Read loosely it holds."


def test_errata_without_a_template_use_the_generic_wording_and_none_says_so():
    plain = [ev("R1", "inconsistent")]
    assert "The printed value (2054) does not agree with the check (2024)." in errata.render_errata(plain, HEADER, "en")
    assert "No inconsistency was found." in errata.render_errata(EVALUATED[:1], HEADER, "en")


def test_summary_counts():
    tokens = pd.DataFrame({"token_id": ["N001", "N002"], "line": ["1", "2"], "token": ["2054", "14"], "context": ["", ""],
                           "claim_ids": ["R18d", ""], "exclusion": ["", "reference_number"], "note": ["", ""]})
    text = errata.render_summary(EVALUATED, HEADER, tokens)
    assert "3 claims registered: 1 consistent, 1 inconsistent, 1 not checkable." in text
    assert "Inconsistent claims: R18d" in text and "reference number: 1" in text


# -- the stored outputs of notebooks/30_verify_claims.ipynb -----------------------------------------
def test_stored_html_report_loads_nothing_and_every_link_has_a_target():
    text = (RESULTS / "claims_report.html").read_text(encoding="utf-8")
    assert offline_problems(text) == []
    assert anchor_problems(text) == []


def test_stored_csv_report_matches_the_registry():
    frame = pd.read_csv(RESULTS / "claims_report.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == evaluate.REPORT_COLUMNS
    _, claims = registry.load_registry()
    assert list(frame["claim_id"]) == list(claims)
    assert set(frame["verdict"]) <= {"consistent", "inconsistent", "not_checkable"}
    wrong = frame[frame["verdict"] == "inconsistent"]
    assert (wrong["recomputed"] != "").all() and (wrong["detail"] != "").all()
    unsure = frame[frame["verdict"] == "not_checkable"]
    assert unsure["detail"].str.contains("Checkable with:").all()


def test_stored_errata_and_summary_agree_with_the_csv():
    frame = pd.read_csv(RESULTS / "claims_report.csv", dtype=str, keep_default_na=False)
    items = pd.read_csv(RESULTS / "errata.csv", dtype=str, keep_default_na=False)
    wrong = frame.loc[frame["verdict"] == "inconsistent", "claim_id"].tolist()
    assert set(wrong) <= set(items["claim_id"]), "every inconsistent claim is an error or a query"
    assert set(items["kind"]) == {"error", "query"}
    assert "R24g" in set(items.loc[items["kind"] == "query", "claim_id"])
    assert {"R1b", "R13a", "R18d", "R21a"} <= set(items.loc[items["kind"] == "error", "claim_id"])
    assert {"R2e", "R18f", "R20d"} <= set(items.loc[items["kind"] == "query", "claim_id"])
    for lang in ("en", "kk", "ru"):
        text = (RESULTS / f"errata_{lang}.md").read_text(encoding="utf-8")
        assert text.count("\n## ") == 2 and text.count("\n### ") == len(items)
        assert all(cid in text for cid in items["claim_id"])
    summary = (RESULTS / "summary.md").read_text(encoding="utf-8")
    counts = frame["verdict"].value_counts()
    assert (f"{len(frame)} claims registered: {counts.get('consistent', 0)} consistent, "
            f"{counts.get('inconsistent', 0)} inconsistent, {counts.get('not_checkable', 0)} not checkable.") in summary


def test_the_russian_errata_are_in_russian():
    """Every correction and question has its own Russian text (no English fallback on the Russian
    edition), with the Russian region names and decimal commas."""
    items = pd.read_csv(RESULTS / "errata.csv", dtype=str, keep_default_na=False)
    for _, row in items.iterrows():
        for field in ("correction", "question"):
            if row[f"{field}_en"]:
                assert row[f"{field}_ru"] and row[f"{field}_ru"] != row[f"{field}_en"], (row["claim_id"], field)
                assert re.search("[а-яё]", row[f"{field}_ru"]), (row["claim_id"], field)
    text = (RESULTS / "errata_ru.md").read_text(encoding="utf-8")
    assert "Абайская область" in text and "27,0" in text
