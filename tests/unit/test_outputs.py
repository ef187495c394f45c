"""Outputs: written only at the end, atomically, deterministic figures, one manifest."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.figures import Figure
from analysis.figures.layout import figure_bytes
from analysis.figures.style import new_figure
from analysis.pipeline import manifest
from analysis.session.outputs import OutputWriter

N = [{"name": "n", "type": "integer"}]


def small_figure():
    fig, ax = new_figure("column", 2)
    ax.bar(["Қостанай", "Түркістан"], [415, 716])
    ax.set_title("ә ғ қ ң ө ұ ү һ і")
    return fig


def png_size_and_dpi(data: bytes) -> tuple[int, float]:
    """The PNG's pixel width and its dpi (the pHYs chunk, pixels per metre)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    return image.size[0], image.info["dpi"][0]


def test_nothing_is_written_before_finish_and_stale_outputs_go(tmp_path):
    writer = OutputWriter("10_make_things", tmp_path / "results")
    a = writer.add_text(tmp_path / "results" / "a.txt", "first")
    b = writer.add_csv(tmp_path / "results" / "b.csv", pd.DataFrame({"n": [1, 2]}), fields=N)
    assert not a.exists() and not b.exists()
    first = writer.finish()
    assert a.read_text() == "first\n" and b.read_text() == "n\n1\n2\n"
    assert list(first["notebook"]) == ["notebooks/10_make_things.ipynb"] * 2
    assert (tmp_path / "results" / "manifest" / "10_make_things.csv").exists()

    again = OutputWriter("10_make_things", tmp_path / "results")
    again.add_text(tmp_path / "results" / "a.txt", "first")
    again.finish()
    assert a.exists() and not b.exists(), "an output the notebook no longer makes is removed"


def test_an_output_added_twice_is_an_error(tmp_path):
    writer = OutputWriter("10_make_things", tmp_path)
    writer.add_text(tmp_path / "a.txt", "x")
    with pytest.raises(ValueError, match="added twice"):
        writer.add_text(tmp_path / "a.txt", "y")


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figures_are_byte_deterministic(fmt):
    first, second = figure_bytes(small_figure(), fmt), figure_bytes(small_figure(), fmt)
    plt.close("all")
    assert first == second
    assert b"Software" not in first[:2000] if fmt == "png" else True
    if fmt == "svg":
        assert b"<dc:date>" not in first
        assert b"<text" in first and "ә ғ қ ң ө ұ ү һ і".encode() in first, "editable text, not paths"
    if fmt == "png":
        width, dpi = png_size_and_dpi(first)
        assert width == 1050 and round(dpi) == 300


@pytest.mark.parametrize("width", [3, 5, 11.9])
def test_a_figure_must_be_one_or_two_columns_wide(width):
    fig, _ = plt.subplots(figsize=(width, 2))
    with pytest.raises(ValueError, match="journal figures are 3.5 or 7 in wide"):
        figure_bytes(fig, "png")
    plt.close(fig)


def test_a_figure_that_draws_outside_its_width_is_refused():
    fig, ax = new_figure("column", 2)
    ax.set_xlabel("a label far too long to fit in one column of a journal page, even in small type " * 2)
    with pytest.raises(ValueError, match="draws outside its 3.5 in canvas"):
        figure_bytes(fig, "png")
    plt.close(fig)


def test_page_width_figures_are_2100_pixels():
    fig, ax = new_figure("page", 2)
    ax.plot([0, 1], [0, 1])
    width, dpi = png_size_and_dpi(figure_bytes(fig, "png"))
    plt.close(fig)
    assert width == 2100 and round(dpi) == 300


def test_figure_writes_png_svg_and_its_data(tmp_path):
    writer = OutputWriter("20_draw_things", tmp_path)
    files = writer.add_figure(tmp_path / "fig", small_figure(), pd.DataFrame({"region_iso": ["KZ-39"], "n": [415]}),
                              fields=[{"name": "region_iso", "type": "string"}, *N])
    plt.close("all")
    writer.finish()
    assert sorted(p.name for p in files) == ["fig.csv", "fig.png", "fig.svg"]
    assert all(p.exists() for p in files)


def test_figures_in_every_language_with_their_caption_files(tmp_path, monkeypatch, capsys):
    from analysis.session import outputs

    drawn = {fmt: figure_bytes(small_figure(), fmt) for fmt in ("png", "svg")}  # drawn once: this test is about captions
    monkeypatch.setattr(outputs, "figure_bytes", lambda fig, fmt, checked=False: drawn[fmt])
    monkeypatch.setattr(OutputWriter, "declared_fields", lambda self, path: N)
    writer = OutputWriter("41_draw_things", tmp_path)

    def draw(lang):
        return Figure(small_figure(), pd.DataFrame({"n": [1]}), title=f"Title {lang}", notes=["First note.", "Second."],
                      source="Table 1")

    writer.add_figures(tmp_path / "fig", draw, ["kk", "ru", "en"], shown="en")
    writer.finish()
    assert sorted(p.name for p in tmp_path.glob("fig_*")) == sorted(
        f"fig_{lang}.{ext}" for lang in ("kk", "ru", "en") for ext in ("png", "svg", "csv", "txt"))
    assert (tmp_path / "fig_en.txt").read_text(encoding="utf-8") == (
        "Title en\n\nFirst note.\n\nSecond.\n\nSource: Table 1; computed by notebooks/41_draw_things.ipynb.\n")
    assert (tmp_path / "fig_ru.txt").read_text(encoding="utf-8").splitlines()[-1] == (
        "Источник: Table 1; рассчитано в notebooks/41_draw_things.ipynb.")
    assert capsys.readouterr().out == (tmp_path / "fig_en.txt").read_text(encoding="utf-8")


def test_a_csv_must_follow_its_declared_schema(tmp_path):
    writer = OutputWriter("10_make_things", tmp_path / "results")
    with pytest.raises(ValueError, match="is not declared in src/analysis/results_schema.yml"):
        writer.add_csv(tmp_path / "results" / "stats" / "unknown.csv", pd.DataFrame({"n": [1]}))
    with pytest.raises(ValueError, match="results/tables/table1_preschools_comparison.csv: columns differ"):
        writer.add_csv(tmp_path / "results" / "tables" / "table1_preschools_comparison.csv", pd.DataFrame({"n": [1]}))
    with pytest.raises(ValueError, match="outside"):
        writer.add_csv(tmp_path / "elsewhere.csv", pd.DataFrame({"n": [1]}))


def test_written_reads_back_the_rounded_numbers(tmp_path):
    writer = OutputWriter("10_make_things", tmp_path)
    fields = [{"name": "x", "type": "number", "precision": {"significant": 3}}]
    path = writer.add_csv(tmp_path / "x.csv", pd.DataFrame({"x": [1 / 3, 2 / 3]}), fields=fields)
    assert writer.written(path)["x"].tolist() == [0.333, 0.667]


def test_repository_manifest_lists_every_output_once_with_its_hash():
    assert manifest.check() == []


def test_the_notebook_shows_the_written_png_at_its_natural_size(tmp_path):
    writer = OutputWriter("20_draw_things", tmp_path)
    png, svg, _ = writer.add_figure(tmp_path / "fig", small_figure(), pd.DataFrame({"n": [1]}), fields=N)
    plt.close("all")
    image = writer.image(png)
    assert image.data == writer._files[png], "the very bytes written, not a second rendering"
    width_px = int.from_bytes(image.data[16:20], "big")
    assert image.width == round(width_px * 100 / 300)
    with pytest.raises(ValueError, match="not a PNG"):
        writer.image(svg)


def leader_line_figure():
    """Six labels on one point: adjustText pushes them apart and draws leader lines."""
    from analysis.figures.style import label_points

    fig, ax = new_figure("column", 2)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.scatter([5] * 6, [5] * 6)
    label_points(ax, [5] * 6, [5] * 6, [f"Қостанай {i}" for i in range(6)])
    return fig


@pytest.mark.parametrize("make", [small_figure, leader_line_figure])
def test_saving_without_the_dry_run_draw_keeps_the_bytes(tmp_path, make):
    """add_figure lays a figure out once and saves every format without laying it out again and
    without savefig's dry-run draw, unless a leader line needs it (needs_dry_run), and so does
    figure_bytes on its own (checked_layout): the bytes are those saved with a dry run before
    every save."""
    from analysis.figures.layout import check_width, needs_dry_run

    reference = make()
    check_width(reference)  # lays it out
    reference.set_layout_engine("none")  # a placeholder engine: savefig draws twice
    expected = {fmt: figure_bytes(reference, fmt, checked=True) for fmt in ("png", "svg")}
    fig = make()
    assert needs_dry_run(fig) == (make is leader_line_figure)
    writer = OutputWriter("20_draw_things", tmp_path)
    writer.add_figure(tmp_path / "fig", fig, pd.DataFrame({"n": [1]}), fields=N)
    plt.close("all")
    writer.finish()
    assert {fmt: (tmp_path / f"fig.{fmt}").read_bytes() for fmt in ("png", "svg")} == expected
    assert {fmt: figure_bytes(make(), fmt) for fmt in ("png", "svg")} == expected, "figure_bytes saves the same way"
