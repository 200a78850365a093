"""Issue 13.8 in reports: bar labels fit their room (not cut on the left), hours read "h min"."""

from training_hub.core.i18n import language
from training_hub.reports.present import LABEL_CHAR_PX, chart_for, format_cell
from training_hub.reports.tables import Column, ReportTable


def _table(names):
    return ReportTable("coop", "Per cooperativa", [Column("name", "Cooperativa"), Column("minutes", "Ore", "minutes")],
                       [{"name": name, "minutes": 60 * (i + 1)} for i, name in enumerate(names)],
                       chart=("name", "minutes"))


def test_long_labels_get_the_room_they_need():
    names = ["Cooperativa Sociale Spazio Aperto Onlus", "MMMMMMMMMMMMMMMMMMMMMMMMMMMM", "Ape"]
    chart = chart_for(_table(names))
    for bar in chart.bars:
        # text-anchor="end" at label_width - 8: the label starts at x ≥ 0, so nothing is cut on the left.
        assert chart.label_width - 8 - len(bar.label) * LABEL_CHAR_PX >= 0, bar.label
    assert chart.width - chart.label_width - 90 >= 350  # the bars keep their room: the chart widens
    assert max(bar.width for bar in chart.bars) <= chart.width - chart.label_width - 90


def test_short_labels_keep_the_usual_chart():
    chart = chart_for(_table(["Ape", "Brianza"]))
    assert (chart.width, chart.label_width) == (640, 200)


def test_report_hours_read_in_hours_and_minutes():
    with language("it"):
        assert format_cell(92, "minutes") == "1 h 32 min"
        assert format_cell(1600, "minutes") == "26 h 40 min"
