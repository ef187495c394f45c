"""The legal facts as each language writes them: an act's title, a date written out, a textual
value translated (from the translation table: ``legal_act_<ACT>``, ``legal_value_<ACT>_<field>``,
``legal_action_<word>``), a code, a number or a period as it is."""

from __future__ import annotations

import pandas as pd

from analysis.i18n import LANGUAGES

#: The facts that are dates (ISO in legal_acts.csv), written as each language writes a date.
DATE_FIELDS = ("adoption_date", "kz_signature_date", "kz_action_date")


def act_title(act: str, fallback: str = "") -> dict[str, str]:
    """The act's title in every language (``legal_act_<ACT>`` of the translation table; an act the
    table does not name yet is called by ``fallback``, its English title)."""
    from analysis.i18n import t, translations

    if f"legal_act_{act}" not in translations().index:
        return {lang: fallback or act for lang in LANGUAGES}
    return {lang: t(f"legal_act_{act}", lang) for lang in LANGUAGES}


def written_date(iso: str, lang: str) -> str:
    """'20 November 1989', '20 ноября 1989 г.', '1989 жылғы 20 қараша' from '1989-11-20'."""
    from analysis.i18n import t

    year, month, day = iso.split("-")
    return t("claims_date", lang, year=year, day=str(int(day)), month=t(f"claims_month_{int(month)}", lang))


def fact_value(act: str, field: str, value: str, article: bool = False) -> dict[str, str]:
    """A fact as each language writes it: a date written out, a text translated
    (``legal_value_<ACT>_<field>``; for the article's reading of an action, ``legal_action_<value>``),
    a code, a number or a period as it is."""
    from analysis.i18n import translations

    table = translations()
    value = str(value)
    if field in DATE_FIELDS and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return {lang: written_date(value, lang) for lang in LANGUAGES}
    slug = value.split(" (")[0].replace(" ", "_")
    key = f"legal_action_{slug}" if article or field == "kz_action" else f"legal_value_{act}_{field}"
    if key in table.index and (article or field == "kz_action" or table.at[key, "en"] == value):
        return {lang: str(table.at[key, lang]) for lang in LANGUAGES}
    return {lang: value for lang in LANGUAGES}


def counts(sources: dict) -> pd.DataFrame:
    """Facts by act and status (a partly verified fact apart, by the part verified), with a total row."""
    frame = pd.DataFrame({"act_id": [s.act_id for s in sources.values()],
                          "status": [s.status if s.verified_part in ("whole", "none") else f"{s.status} ({s.verified_part})"
                                     for s in sources.values()]})
    columns = ["verified", "verified (year)", "verified (derived)", "corroborated", "corroborated (year)",
               "corrected", "unverified"]
    table = pd.crosstab(frame["act_id"], frame["status"]).reindex(columns=columns, fill_value=0)
    table = table.reindex(list(dict.fromkeys(frame["act_id"])))
    table.loc["total"] = table.sum(axis=0)
    return table.rename_axis("act_id").reset_index().rename_axis(None, axis=1)
