"""Journal-ready figures: numbers in each language's way, unambiguous region names, captions in
their own files, typography of the figure labels."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.figures import Figure
from analysis.figures.style import NumberFormatter, label_points, localise_numbers, new_figure, overflowing
from analysis.i18n import LANGUAGES, decimal, figure_region_labels, integer, percent, translations

#: Keys of the translation table that figures show (titles, notes, axes, legends, sources).
FIGURE_KEY_PREFIXES = ("figure", "map_", "dotplot_", "stats_", "source_", "period_")


def test_decimal_groups_thousands_and_writes_the_minus_sign():
    assert decimal(1459.04, 1, "ru") == "1 459,0" and decimal(1459.04, 1, "en") == "1 459.0"
    assert decimal(235000, 0, "kk") == "235 000"
    assert decimal(-0.42, 2, "ru") == "\u22120,42" and decimal(-0.001, 2, "en") == "0.00"
    assert integer(-2448) == "\u22122 448" and integer(1001) == "1 001"
    assert percent(0.4404, 1, "kk") == "44,0%"


@pytest.mark.parametrize(("values", "lang", "expected"), [
    ([0, 0.5, 1], "kk", ["0,0", "0,5", "1,0"]),
    ([0, 0.5, 1], "en", ["0.0", "0.5", "1.0"]),
    ([0, 2500, 5000], "ru", ["0", "2 500", "5 000"]),
    ([200000, 235000], "en", ["200 000", "235 000"]),
    ([-1, 0, 1], "en", ["\u22121", "0", "1"]),
    ([10, 10.25], "ru", ["10,00", "10,25"]),
])
def test_tick_labels_in_each_language(values, lang, expected):
    assert NumberFormatter(lang).format_ticks(values) == expected


def test_every_numeric_axis_is_localised():
    fig, ax = new_figure("column", 2)
    ax.plot([0, 1], [0, 2500])
    localise_numbers(fig, "ru")
    fig.draw_without_rendering()
    labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    plt.close(fig)
    assert "0,2" in labels and "2 500" in labels
    assert not any(re.search(r"\d\.\d|\d{4}", label) for label in labels)


REGIONS = pd.DataFrame({
    "region_iso": ["KZ-11", "KZ-19", "KZ-75", "KZ-27"],
    "type": ["region", "region", "city", "region"],
    "name_kk": ["Ақмола облысы", "Алматы облысы", "Алматы қаласы", "Батыс Қазақстан облысы"],
    "name_ru": ["Акмолинская область", "Алматинская область", "город Алматы", "Западно-Казахстанская область"],
    "name_en": ["Akmola Region", "Almaty Region", "Almaty", "West Kazakhstan Region"],
    "short_kk": ["Ақмола", "Алматы", "Алматы қ.", "Батыс Қазақстан"],
    "short_ru": ["Акмолинская", "Алматинская", "г. Алматы", "Западно-Казахстанская"],
    "short_en": ["Akmola", "Almaty Region", "Almaty city", "West Kazakhstan"],
})


def test_figure_region_labels_are_unambiguous():
    kk, ru, en = (figure_region_labels(REGIONS, lang) for lang in LANGUAGES)
    assert kk.to_dict() == {"KZ-11": "Ақмола", "KZ-19": "Алматы облысы", "KZ-75": "Алматы қ.", "KZ-27": "Батыс Қазақстан"}
    assert ru.to_dict() == {"KZ-11": "Акмолинская обл.", "KZ-19": "Алматинская обл.", "KZ-75": "г. Алматы",
                            "KZ-27": "Западно-Казахстанская обл."}
    assert en["KZ-19"] == "Almaty Region" and en["KZ-75"] == "Almaty city"
    for labels in (kk, ru, en):
        assert labels.is_unique


def test_figure_region_labels_without_full_names_fall_back_to_short_ones():
    short = REGIONS.drop(columns=["name_kk", "name_ru", "name_en"])
    assert figure_region_labels(short, "kk")["KZ-19"] == "Алматы"


def test_caption_file_text():
    figure = Figure(None, pd.DataFrame(), title="Share of preschools, 2023", notes=["First note.", "Second note."],
                    source="Table 1 of Tamabayeva et al. (2025)")
    assert figure.caption("en", "40_regional_disparity") == (
        "Share of preschools, 2023\n\nFirst note.\n\nSecond note.\n\n"
        "Source: Table 1 of Tamabayeva et al. (2025); computed by notebooks/40_regional_disparity.ipynb.\n")
    assert figure.caption("ru", "40_regional_disparity.ipynb").endswith(
        "\n\nИсточник: Table 1 of Tamabayeva et al. (2025); рассчитано в notebooks/40_regional_disparity.ipynb.\n")
    assert figure.caption("kk", "40_regional_disparity").splitlines()[-1].startswith("Дереккөз: ")
    with pytest.raises(ValueError, match="title and a source"):
        Figure(None, pd.DataFrame(), title="", source="x").caption("en", "n")
    with pytest.raises(ValueError, match="spans lines"):
        Figure(None, pd.DataFrame(), title="a\nb", source="x").caption("en", "n")


def figure_keys():
    table = translations()
    return table[table.index.str.startswith(FIGURE_KEY_PREFIXES)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_figure_labels_use_a_dash_not_a_hyphen_and_carry_no_figure_number(lang):
    texts = figure_keys()[lang]
    hyphens = [key for key, text in texts.items() if " - " in text]
    assert not hyphens, f"a hyphen used as a dash (use an en or em dash) in {hyphens}"
    numbered = [key for key, text in texts.items() if re.match(r"(Figure|Сурет|Рисунок)\s*\d", text)]
    assert not numbered, f"titles are numbered by the report, not in the figure: {numbered}"


def test_labels_placed_by_adjust_text_do_not_overlap_and_stay_put():
    def place():
        fig, ax = new_figure("column", 2.5)
        x, y = [1, 1.02, 1.04, 2, 2.01], [1, 1.01, 1.0, 2, 2.02]
        ax.scatter(x, y)
        ax.set_xlim(0, 3)
        ax.set_ylim(0, 3)
        texts = label_points(ax, x, y, ["Ulytau", "Zhetisu", "Aktobe", "Almaty city", "Astana city"])
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in texts]
        positions = [t.get_position() for t in texts]
        plt.close(fig)
        return boxes, positions

    boxes, positions = place()
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert place()[1] == positions, "a fixed number of iterations: the same places every time"


def test_overflow_is_found():
    fig, ax = new_figure("column", 2)
    ax.set_ylabel("y")
    assert overflowing(fig) == []
    fig.legend(handles=ax.plot([0], [0], label="x" * 200), loc="center left", bbox_to_anchor=(0.5, 0.5))
    assert overflowing(fig) == ["legend 0"]
    plt.close(fig)
