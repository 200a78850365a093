"""The social report's SVG charts (pure): accessible, escaped, nothing drawn when there is nothing to show."""

from __future__ import annotations

from training_hub.planning.social_charts import bar_chart
from training_hub.planning.social_report import SUPPRESSED, Column, Table, window_of


def _table(rows: list[dict], chart: tuple[str, str] | None = ("key", "minutes")) -> Table:
    return Table("cooperatives", "Per cooperativa", [Column("key", "Cooperativa", "text"),
                                                     Column("minutes", "Ore di formazione", "minutes")], rows, chart=chart)


def test_a_chart_is_an_image_named_and_described_with_every_value_written():
    svg = bar_chart(_table([{"key": "Alfa", "minutes": 600}, {"key": "Beta", "minutes": 90}]))
    assert svg.startswith('<svg class="chart-svg" role="img" aria-labelledby="chart-cooperatives-title '
                          'chart-cooperatives-desc"')
    assert '<title id="chart-cooperatives-title">Per cooperativa</title>' in svg
    assert "Valore massimo 10 h" in svg and ">1 h 30 min</text>" in svg
    assert svg.count("<rect") == 2 and "<script" not in svg


def test_names_are_escaped_and_small_groups_are_not_drawn():
    svg = bar_chart(_table([{"key": "<script>alert(1)</script> & Co", "minutes": 60},
                            {"key": "Piccola", "minutes": SUPPRESSED}]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; Co" in svg
    assert "Piccola" not in svg


def test_no_chart_without_values_or_without_a_chart_column():
    assert bar_chart(_table([{"key": "Alfa", "minutes": 0}])) == ""
    assert bar_chart(_table([])) == ""
    assert bar_chart(_table([{"key": "Alfa", "minutes": 60}], chart=None)) == ""


def test_quarters_are_rome_calendar_quarters():
    assert [(w.first.isoformat(), w.last.isoformat()) for w in (window_of(2024, q) for q in range(1, 5))] == [
        ("2024-01-01", "2024-03-31"), ("2024-04-01", "2024-06-30"), ("2024-07-01", "2024-09-30"),
        ("2024-10-01", "2024-12-31")]
