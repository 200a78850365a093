"""Issue 13.8: course descriptions keep their paragraphs, "- " lists and links, and nothing else."""

from training_hub.core.richtext import render


def test_paragraphs_lists_and_links():
    text = ("Un corso pratico.\n\nArgomenti:\n- identità e valori\n- strumenti di comunicazione\n\n"
            "Materiali su https://example.org/materiali.")
    assert render(text) == (
        "<p>Un corso pratico.</p>\n"
        "<p>Argomenti:</p>\n<ul><li>identità e valori</li><li>strumenti di comunicazione</li></ul>\n"
        '<p>Materiali su <a href="https://example.org/materiali" rel="nofollow noopener">'
        "https://example.org/materiali</a>.</p>"
    )


def test_typed_html_is_escaped():
    html = render('<script>alert(1)</script> <a href="javascript:x">x</a>\n- <b>grassetto</b>')
    assert "<script>" not in html and "<b>" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html and "<li>&lt;b&gt;grassetto&lt;/b&gt;</li>" in html


def test_only_http_addresses_become_links():
    assert "<a" not in render("javascript:alert(1) ftp://example.org mailto:a@b.it")
    assert render('https://example.org/?q="x"') .count("<a ") == 1
    assert 'href="https://example.org/?q=&#34;' not in render('https://example.org/?q="x"')


def test_line_breaks_inside_a_paragraph_and_other_bullets():
    assert render("Riga uno\nRiga due") == "<p>Riga uno<br>\nRiga due</p>"
    assert render("* uno\n• due") == "<ul><li>uno</li><li>due</li></ul>"
    assert render("- una voce\n  che continua") == "<ul><li>una voce che continua</li></ul>"


def test_empty():
    assert render("") == "" and render(None) == "" and render("  \n ") == ""
