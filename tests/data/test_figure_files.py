"""Every figure written under results/ is journal-ready: 3.5 or 7 in wide at 300 dpi, SVG with
editable text, its numbers written the way its language writes them, no text under 7 pt, and a
caption file beside it (title, notes, the source line naming the notebook that drew it)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from analysis import paths
from analysis.figures.style import MIN_FONT_SIZE
from analysis.i18n import DECIMAL_COMMA

PNGS = sorted(paths.RESULTS.glob("*/*.png"))
#: The source line opens with this word in each language.
SOURCE_WORD = {"kk": "Дереккөз: ", "ru": "Источник: ", "en": "Source: "}
COMPUTED_BY = {"kk": "{notebook} блокнотында есептелді.", "ru": "рассчитано в {notebook}.", "en": "computed by {notebook}."}


def lang_of(path: Path) -> str:
    return path.stem.rsplit("_", 1)[1]


def producers() -> dict[str, str]:
    manifest = pd.read_csv(paths.RESULTS / "manifest.csv", dtype=str, keep_default_na=False)
    return dict(zip(manifest["file"], manifest["notebook"], strict=True))


def svg_texts(path: Path) -> list[tuple[float, str]]:
    """(font size, text) of every <text> element of an SVG written with svg.fonttype 'none'."""
    svg = path.read_text(encoding="utf-8")
    return [(float(size), text) for size, text in
            re.findall(r'<text style="font-size: ([0-9.]+)px[^"]*"[^>]*>([^<]*)</text>', svg)]


def test_the_figures_are_the_declared_ones():
    from analysis import pipeline

    declared = {paths.shown(pipeline.resolve(p)) for s in pipeline.steps() for w in s.writes
                for p in pipeline.expand(w) if p.endswith(".png")}
    assert {p.parent.name for p in PNGS} == {"figures", "stats"}
    assert {paths.shown(p) for p in PNGS} == declared


@pytest.mark.parametrize("png", PNGS, ids=lambda p: p.name)
def test_png_is_300_dpi_at_one_or_two_columns(png):
    with Image.open(png) as image:
        width, dpi = image.size[0], image.info.get("dpi", (0, 0))
    assert width in (1050, 2100), f"{png.name}: {width} px wide (3.5 in = 1050 px, 7 in = 2100 px at 300 dpi)"
    assert round(dpi[0]) == 300 and round(dpi[1]) == 300


@pytest.mark.parametrize("png", PNGS, ids=lambda p: p.name)
def test_svg_has_editable_text_at_the_same_width(png):
    svg = png.with_suffix(".svg")
    head = svg.read_text(encoding="utf-8")[:1000]
    assert re.search(r'<svg [^>]*width="(252|504)pt"', head), f"{svg.name}: not 3.5 or 7 in wide"
    texts = svg_texts(svg)
    assert texts, f"{svg.name}: no <text> element (text drawn as paths is not editable)"
    small = sorted({size for size, _ in texts if size < MIN_FONT_SIZE})
    assert not small, f"{svg.name}: text at {small} pt, below {MIN_FONT_SIZE} pt at final size"


@pytest.mark.parametrize("png", PNGS, ids=lambda p: p.name)
def test_numbers_in_the_figure_follow_its_language(png):
    lang = lang_of(png)
    texts = [text for _, text in svg_texts(png.with_suffix(".svg"))]
    wrong = r"\d\.\d" if lang in DECIMAL_COMMA else r"\d,\d"
    assert not [t for t in texts if re.search(wrong, t)], f"{png.name}: another language's decimal separator"
    assert not [t for t in texts if re.search(r"\d{5,}", t)], f"{png.name}: thousands not grouped"
    four = [t for t in texts for n in re.findall(r"(?<![\d\w])\d{4}(?![\d\w])", t) if not 1990 <= int(n) <= 2100]
    assert not four, f"{png.name}: a four-digit number that is not a year, ungrouped: {four}"
    assert not [t for t in texts if re.search(r"(^|\s)-\d", t)], f"{png.name}: a hyphen for a minus sign"


@pytest.mark.parametrize("png", PNGS, ids=lambda p: p.name)
def test_every_figure_has_its_caption_file(png):
    lang = lang_of(png)
    caption_file = png.with_suffix(".txt")
    assert caption_file.exists(), f"{png.name} has no caption file {caption_file.name}"
    assert png.with_suffix(".csv").exists()
    text = caption_file.read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n") and "\n\n\n" not in text and "\r" not in text
    paragraphs = text.rstrip("\n").split("\n\n")
    assert all(p.strip() == p and p and "\n" not in p for p in paragraphs), "one line per paragraph"
    title, *_, source = paragraphs
    assert len(paragraphs) >= 2
    assert not re.match(r"(Figure|Сурет|Рисунок|Fig\.)\s*\d", title), f"{caption_file.name}: numbered title"
    notebook = producers()[paths.shown(png)]
    assert source.startswith(SOURCE_WORD[lang]), f"{caption_file.name}: the last paragraph is not the source line"
    assert source.endswith(COMPUTED_BY[lang].format(notebook=notebook)), f"{caption_file.name}: {source}"
    assert producers()[paths.shown(caption_file)] == notebook


@pytest.mark.parametrize("png", [p for p in PNGS if lang_of(p) == "ru"], ids=lambda p: p.name)
def test_russian_captions_and_labels_use_a_dash_not_a_hyphen(png):
    texts = [png.with_suffix(".txt").read_text(encoding="utf-8"),
             *(text for _, text in svg_texts(png.with_suffix(".svg")))]
    assert not [t for t in texts if " - " in t], f"{png.name}: a hyphen between spaces used as a dash"
    labels = pd.read_csv(png.with_suffix(".csv"), dtype=str, keep_default_na=False)
    if "label" in labels.columns and "region_iso" in labels.columns:
        regions = pd.read_csv(paths.PROCESSED / "regions.csv", dtype=str).set_index("region_iso")["type"]
        named = labels[labels["region_iso"].isin(regions.index)]
        oblasts = named[named["region_iso"].map(regions) == "region"]["label"]
        if png.parent.name == "figures":  # the article's figures: the official names of the region reference
            official = pd.read_csv(paths.PROCESSED / "regions.csv", dtype=str).set_index("region_iso")["name_ru"]
            assert (named["label"] == named["region_iso"].map(official)).all(), f"{png.name}: not the official names"
        else:  # the statistics' figures (notebooks 40-42) still abbreviate: 'Абайская обл.'
            assert oblasts.str.endswith(" обл.").all(), f"{png.name}: a region named without 'обл.'"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_article_figures_name_regions_officially_and_never_abbreviate(lang):
    """One form per region and language, from the region reference (name_kk, name_ru, name_en:
    «область Абай», not «Абайская обл.»; never СКО or ВКО beside full names), with its source."""
    official = pd.read_csv(paths.PROCESSED / "regions.csv", dtype=str).set_index("region_iso")[f"name_{lang}"]
    for stem in ("figure2_inclusive_schools", "map_preschool_inclusion", "dotplot_preschool_inclusion"):
        data = pd.read_csv(paths.RESULTS / "figures" / f"{stem}_{lang}.csv", dtype=str, keep_default_na=False)
        assert (data["label"] == data["region_iso"].map(official)).all(), stem
        drawn = " ".join(text for _, text in svg_texts(paths.RESULTS / "figures" / f"{stem}_{lang}.svg"))
        for abbreviation in ("СКО", "ВКО", "ЗКО", "СҚО", "ШҚО", "БҚО", "обл."):
            assert abbreviation not in drawn, (stem, abbreviation)
    if lang == "ru":
        assert official["KZ-10"] == "область Абай" and official["KZ-33"] == "область Жетісу"
        package = (paths.PROJECT_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
        assert "область Абай" in package, "the official form's source is recorded in the data package"


def test_article_figure_axes_do_not_run_far_past_the_data():
    """Figure 2's axis ends at the first tick past its largest bar (it ran to about 1 400 for 716);
    Figure 3's right panel has its own labelled y-axis."""
    data = pd.read_csv(paths.RESULTS / "figures" / "figure2_inclusive_schools_en.csv")
    ticks = [float(text.replace(" ", "")) for _, text in svg_texts(paths.RESULTS / "figures" / "figure2_inclusive_schools_en.svg")
             if re.fullmatch(r"[\d ]+", text) and float(text.replace(" ", "")) not in set(data["schools_public_inclusive"])]
    assert max(ticks) <= 1.25 * data["schools_public_inclusive"].max()
    texts = [text for _, text in svg_texts(paths.RESULTS / "figures" / "figure3_tvet_students_en.svg")]
    assert texts.count("Students, persons") == 2, "both panels of Figure 3 label their y-axis"


@pytest.mark.parametrize("png", [p for p in PNGS if lang_of(p) == "kk"], ids=lambda p: p.name)
def test_kazakh_region_names_are_unambiguous(png):
    texts = {text for _, text in svg_texts(png.with_suffix(".svg"))}
    if "Алматы қ." in texts:
        assert "Алматы" not in texts, f"{png.name}: 'Алматы' beside 'Алматы қ.' (write 'Алматы облысы')"
