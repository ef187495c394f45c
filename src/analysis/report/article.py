"""``results/article.html``: the article's numbers, annotated in place.

Every statement of the article that the claims registry holds (``data/raw/claims.yml``: each
sentence or cell that states a number), in reading order and in its original language, with each
printed value marked by its verdict (a symbol and a colour) and linked to its claim in the claims
report, where the recomputation is; Tables 1 and 2 cell by cell; then every other number of the
article's text (``data/raw/article_number_tokens.csv``) with the reason it is not a claim. Only the
numeric statements are quoted, never the whole text. This is what statcheck does for p-values, done
for every number.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.claims import registry
from analysis.i18n import t
from analysis.report.html import esc, legend, mark, page
from analysis.report.index import read_csv, table_section

STATUSES = ("consistent", "inconsistent", "not_checkable", "excluded")


#: The order in which a number shared by several claims takes its colour: the worst verdict wins.
SEVERITY = {"inconsistent": 0, "not_checkable": 1, "consistent": 2}


def sentences(claims) -> list[tuple[str, list]]:
    """The paragraph's claims as sentences: claims whose quotes overlap (one inside the other) share
    one sentence, the longest of their quotes, so that each sentence is shown once."""
    out: list[tuple[str, list]] = []
    for claim in claims:
        for i, (text, members) in enumerate(out):
            if claim.quote in text:
                members.append(claim)
                break
            if text in claim.quote:
                out[i] = (claim.quote, [*members, claim])
                break
        else:
            out.append((claim.quote, [claim]))
    return out


def spans(text: str, members) -> tuple[list[tuple[int, int, list]], list]:
    """Where each claim's printed values stand in the sentence: (start, end, claims sharing the
    span), and the (claim, value) pairs not found verbatim."""
    found: dict[tuple[int, int], list] = {}
    missing = []
    for claim in members:
        position = max(0, text.find(claim.quote))
        for value in claim.reported:
            at = text.find(value, position) if value else -1
            if at < 0:
                missing.append((claim, value))
                continue
            found.setdefault((at, at + len(value)), []).append(claim)
            position = at + len(value)
    kept, end = [], -1
    for (start, stop), owners in sorted(found.items()):
        if start >= end:  # overlapping spans: the first one stands
            kept.append((start, stop, owners))
            end = stop
    return kept, missing


def _link(value: str, owners, verdicts: dict, lang: str) -> str:
    verdict = min((verdicts[c.id] for c in owners), key=SEVERITY.get)
    title = "; ".join(f"{c.id}: {t('claims_verdict_' + verdicts[c.id], lang)}" for c in owners)
    return (f'<a class="n {verdict}" href="claims/claims_report.html#claim-{esc(owners[0].id)}" title="{esc(title)}">'
            f"{esc(value)}</a>{mark(verdict, lang)}")


def _sentence(text: str, members, report: pd.DataFrame, lang: str) -> str:
    """One sentence with every claim's values marked, and the claims listed under it."""
    verdicts = {c.id: report.at[c.id, "verdict"] for c in members}
    kept, missing = spans(text, members)
    out, position = [], 0
    for start, stop, owners in kept:
        out += [esc(text[position:start]), _link(text[start:stop], owners, verdicts, lang)]
        position = stop
    out.append(esc(text[position:]))
    out += [f" [{_link(value, [claim], verdicts, lang)}]" for claim, value in missing if value]
    worst = min(verdicts.values(), key=SEVERITY.get)
    meta = " · ".join(
        f'{mark(verdicts[c.id], lang)} <a href="claims/claims_report.html#claim-{esc(c.id)}">{esc(c.id)}</a>'
        + (f" ({esc(t('claims_col_recomputed', lang))}: {esc(report.at[c.id, 'recomputed'])})"
           if report.at[c.id, "recomputed"] and verdicts[c.id] != "consistent" else "")
        for c in members)
    anchors = "".join(f'<span id="s-{esc(c.id)}"></span>' for c in members)
    return (f'<div class="item {worst}">{anchors}<p lang="{esc(members[0].lang)}">{"".join(out)}</p>'
            f'<p class="meta">{meta}</p></div>')


def excluded_numbers(tokens: pd.DataFrame, lang: str) -> str:
    """Every number of the text that is not a claim, in reading order, with its reason."""
    rows = []
    excluded = tokens[tokens["exclusion"].str.strip() != ""].copy()
    excluded["order"] = excluded["line"].astype(int)
    for _, tok in excluded.sort_values(["order", "token_id"]).iterrows():
        before, _, rest = tok["context"].partition("[[")
        number, _, after = rest.partition("]]")
        context = (f"{esc(' '.join(before.split()))} <mark class=\"excluded\">{esc(number)}</mark>{mark('excluded', lang)} "
                   f"{esc(' '.join(after.split()))}")
        rows.append(f'<tr class="excluded"><td>{esc(tok["token_id"])}</td><td lang="kk" class="prose">{context}</td>'
                    f"<td>{esc(t('claims_exclusion_' + tok['exclusion'], lang))}</td></tr>")
    head = "".join(f"<th>{esc(t(k, lang))}</th>" for k in ("report_col_token", "report_col_context", "report_col_reason"))
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def build_article(results: Path, raw: Path, lang: str = "en") -> str:
    header, claims = registry.load_registry(raw)
    tokens = registry.load_tokens(raw)
    report = read_csv(results / "claims" / "claims_report.csv").set_index("claim_id")
    sections = [s["id"] for s in header["sections"]]
    toc, parts = [], []
    counts = report["verdict"].value_counts()
    n_excluded = int((tokens["exclusion"].str.strip() != "").sum())
    parts.append(f"<h1>{esc(t('article_title', lang))}</h1>")
    parts.append(f"<p>{esc(t('report_citation', lang))}</p>")
    parts.append(f"<p>{esc(t('article_intro', lang, n=len(claims), tokens=len(tokens), excluded=n_excluded))} "
                 + ", ".join(f"{mark(v, lang)} {int(counts.get(v, 0))} {esc(t(f'claims_verdict_{v}', lang))}"
                             for v in STATUSES[:3]) + ".</p>")
    parts.append(legend(lang, STATUSES))
    for section in sections:
        items = [c for c in claims.values() if c.section == section]
        if not items:
            continue
        name = t(f"claims_section_{section}", lang)
        toc.append((f"section-{section}", name))
        parts.append(f'<section id="section-{esc(section)}"><h2>{esc(name)}</h2>')
        if section in ("table1", "table2"):
            stem = {"table1": "table1_preschools", "table2": "table2_teacher_shortage"}[section]
            parts.append(table_section(results, stem, f"report_{section}", lang, table_lang="kk"))
        paragraphs: dict = {}
        for claim in items:
            paragraphs.setdefault(claim.paragraph, []).append(claim)
        for paragraph, members in paragraphs.items():
            label = t("claims_paragraph", lang, n=paragraph) if isinstance(paragraph, int) else str(paragraph)
            parts.append(f"<h3>{esc(label)}</h3>")
            parts += [_sentence(text, group, report, lang) for text, group in sentences(members)]
        parts.append("</section>")
    toc.append(("excluded", t("article_excluded", lang)))
    parts.append(f'<section id="excluded"><h2>{esc(t("article_excluded", lang))}</h2>'
                 f"<p>{esc(t('article_excluded_intro', lang, n=n_excluded))}</p>{excluded_numbers(tokens, lang)}</section>")
    return page(lang, t("article_title", lang), toc, "\n".join(parts), home="index.html")
