"""`sahel-monitor ingest` of saved pages and JSON Lines: the page stage, publishers, bad inputs,
batches and progress.

The pages and articles are written for these tests (our own sentences); the extractor, the
page stage (trafilatura) and the SQLite file are the real ones.
"""

from __future__ import annotations

import gzip
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import monitor.cli.incidents as ingest_module
from monitor.cli import cli
from monitor.store import Store

ROOT = Path(__file__).resolve().parents[2]

ATTACK = (
    (
        "Gunmen killed 14 civilians in an attack on the village of Ogossagou in central Mali on Tuesday, "
        "June 3, local officials said on Wednesday."
    ),
    (
        "The assailants arrived on motorbikes at dawn, set fire to granaries and drove away the cattle "
        "before soldiers from the nearby camp reached the village."
    ),
    (
        "Residents said the village had been threatened for weeks and that many families had already fled "
        "towards the town of Bankass."
    ),
)
QUIET = (
    (
        "The city council of Bamako opened a new covered market on Saturday after two years of building "
        "work, the mayor said in a speech to traders."
    ),
    (
        "Stallholders said the new halls would protect fruit and vegetables from the rain and the heat of "
        "the dry season, and that rents had stayed the same."
    ),
)


def page(title: str, paragraphs: tuple[str, ...], site: str | None = None, date: str | None = None) -> str:
    """A news page as sites make them: a menu, a header, the article, related links, a footer."""
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    meta += f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{meta}
<style>.menu {{ color: red; }}</style><script>var tracker = "SCRIPT-TEXT";</script></head>
<body><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/sport">MENU-SPORTS</a></li></ul></nav>
<main><article><h1>{title}</h1>{body}</article></main>
<aside><h2>Related</h2><ul><li><a href="/a">Another story about the weather</a></li></ul></aside>
<footer>Copyright FOOTER-TEXT. All rights reserved.</footer></body></html>"""


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_text("database: register.db\nincidents:\n  load_seeds: false\n", encoding="utf-8")
    return tmp_path


def invoke(workdir: Path, *args: str, status: int = 0, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, ["--config", str(workdir / "config.yaml"), *args], input=input, catch_exceptions=False)
    assert result.exit_code == status, result.output
    return result


def rows(result: Result) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def stored(workdir: Path, article_id: int) -> dict:  # type: ignore[type-arg]
    with Store(workdir / "register.db") as store:
        article = store.article(article_id)
        assert article is not None
        return article | {"reports": store.reports_of_article(article_id)}


# --- pages --------------------------------------------------------------------------------


def test_a_saved_page_is_read_as_a_fetched_page_its_text_without_markup_its_site_the_publisher(workdir: Path) -> None:
    saved = workdir / "ogossagou.html"
    saved.write_text(page("Gunmen kill 14 civilians in central Mali", ATTACK, "Sahel Daily", "2025-06-04T08:00:00+00:00"), encoding="utf-8")
    (row,) = rows(invoke(workdir, "ingest", "--json", str(saved)))
    assert row["relevant"] is True and row["publisher"] == "Sahel Daily"
    assert [c["state"] for c in row["changes"]] == ["NEW"]
    article = stored(workdir, row["article_id"])
    assert "Gunmen killed 14 civilians" in article["text"]
    for markup in ("<p>", "</", "SCRIPT-TEXT", "MENU-SPORTS", "FOOTER-TEXT", "color: red"):
        assert markup not in article["text"]
    assert article["title"] == "Gunmen kill 14 civilians in central Mali"
    assert article["published"].date().isoformat() == "2025-06-04"  # the page's own date: no --published
    assert article["language"] == "en"
    assert [r["publisher"] for r in article["reports"]] == ["Sahel Daily"]


def test_a_page_without_a_site_name_is_a_local_file_and_publisher_wins_over_the_site(workdir: Path) -> None:
    plain = workdir / "000_566f91da116a2222.htm"
    plain.write_text(page("Bamako opens a covered market", QUIET), encoding="utf-8")
    named = workdir / "named.html"
    named.write_text(page("Another market", (QUIET[1], QUIET[0]), "Sahel Daily"), encoding="utf-8")
    first, = rows(invoke(workdir, "ingest", "--json", "--published", "2025-06-04", str(plain)))
    assert first["publisher"] == "local file 000_566f91da116a2222.htm"
    second, = rows(invoke(workdir, "ingest", "--json", "--publisher", "Studio Tamani", str(named)))
    assert second["publisher"] == "Studio Tamani"


def test_a_page_saved_without_a_suffix_or_gzipped_is_still_a_page(workdir: Path) -> None:
    bare = workdir / "saved-page"
    bare.write_text(page("Gunmen kill 14 civilians", ATTACK, "Sahel Daily"), encoding="utf-8")
    zipped = workdir / "market.html.gz"
    zipped.write_bytes(gzip.compress(page("Bamako market", QUIET, "City News").encode("utf-8")))
    out = rows(invoke(workdir, "ingest", "--json", "--published", "2025-06-04", str(bare), str(zipped)))
    assert [r["publisher"] for r in out] == ["Sahel Daily", "City News"]
    for row in out:
        assert "<" not in stored(workdir, row["article_id"])["text"]


def test_a_page_with_no_article_and_an_unreadable_file_are_named_and_the_rest_is_stored(workdir: Path) -> None:
    menu_only = workdir / "index.html"
    menu_only.write_text("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>", encoding="utf-8")
    good = workdir / "good.html"
    good.write_text(page("Gunmen kill 14 civilians", ATTACK, "Sahel Daily"), encoding="utf-8")
    broken = workdir / "broken.html.gz"
    broken.write_bytes(b"not gzip at all")
    result = invoke(workdir, "ingest", "--json", "--published", "2025-06-04", str(menu_only), str(broken), str(good), status=1)
    out = rows(result)
    assert [r["path"] for r in out] == [str(menu_only), str(broken), str(good)]  # in order, one line each
    assert out[0] == {"path": str(menu_only), "state": "not stored", "error": "no article text found in the page"}
    assert out[1]["state"] == "not stored" and "cannot read" in out[1]["error"]
    assert out[2]["relevant"] is True
    assert f"Error: {menu_only}: no article text found in the page; nothing stored" in result.stderr


# --- JSON Lines ------------------------------------------------------------------------------


def test_json_lines_give_each_item_its_text_or_html_date_publisher_url_and_title(workdir: Path) -> None:
    items = workdir / "items.jsonl"
    lines = [
        {"id": "a", "text": "\n".join(ATTACK), "published": "2025-06-04", "publisher": "Studio Tamani",
         "url": "https://studiotamani.example/news/ogossagou?utm_source=x", "title": "Ogossagou attacked"},
        {"id": "b", "html": page("Bamako market", QUIET, "City News"), "published": "2025-06-05T10:00:00+00:00"},
        {"id": "c", "text": "\n".join(QUIET[::-1]), "url": "https://www.example.org/market"},
    ]  # fmt: skip
    items.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = rows(invoke(workdir, "ingest", "--json", "--jsonl", str(items)))
    assert [(r["id"], r["path"], r["publisher"]) for r in out] == [
        ("a", f"{items}:1", "Studio Tamani"),
        ("b", f"{items}:2", "City News"),  # the page's site name
        ("c", f"{items}:3", "example.org"),  # no publisher, no page: the URL's host
    ]
    first, second = stored(workdir, out[0]["article_id"]), stored(workdir, out[1]["article_id"])
    assert first["url"] == "https://studiotamani.example/news/ogossagou" and first["title"] == "Ogossagou attacked"
    assert first["published"].date().isoformat() == "2025-06-04" and first["reports"][0]["publisher"] == "Studio Tamani"
    assert second["published"].isoformat().startswith("2025-06-05T10:00") and "<" not in second["text"]


def test_a_bad_json_line_is_named_with_its_line_and_the_others_are_stored(workdir: Path) -> None:
    items = workdir / "items.jsonl"
    items.write_text(
        "\n".join([
            json.dumps({"text": "\n".join(QUIET)}),
            "{not json",
            json.dumps({"title": "no text"}),
            json.dumps({"text": "x", "published": "June"}),
            json.dumps({"text": "x", "source": "AFP"}),
            json.dumps({"text": "\n".join(ATTACK), "published": "2025-06-04"}),
        ]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = invoke(workdir, "ingest", "--jsonl", str(items), status=1)
    assert f"{items}:2: invalid JSON" in result.stderr
    assert f'{items}:3: needs a "text" or an "html" string' in result.stderr
    assert f'{items}:4: "published": \'June\' is not a date' in result.stderr
    assert f"{items}:5: unknown key 'source'" in result.stderr
    assert f"{items}:1: article 1, not relevant" in result.stdout
    assert f"{items}:6: article 2, relevant" in result.stdout


# --- batches and progress ---------------------------------------------------------------------


def write_articles(workdir: Path, count: int) -> list[str]:
    paths = []
    for n in range(count):
        path = workdir / f"market{n:02}.txt"
        path.write_text(f"Market {n} reopens in Bamako\n{QUIET[0]} Stall number {n} reopened first.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_batches_keep_the_order_and_every_line(workdir: Path) -> None:
    paths = write_articles(workdir, 7)
    out = invoke(workdir, "ingest", "--batch", "3", "--published", "2025-06-04", *paths).stdout.splitlines()
    assert [line.split(": ")[0] for line in out] == paths
    assert [line.split(": ")[1].split(",")[0] for line in out] == [f"article {n}" for n in range(1, 8)]


def test_without_a_terminal_progress_is_a_log_line_every_few_inputs(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "LOG_EVERY", 2)
    result = invoke(workdir, "ingest", "--batch", "2", "--published", "2025-06-04", *write_articles(workdir, 5))
    counts = [line.split("monitor.ingest: ")[1] for line in result.stderr.splitlines() if "monitor.ingest" in line]
    assert counts == [
        f"{n} of 5 inputs done: {n} new articles, 0 relevant, 0 not stored, reading failed for 0" for n in (2, 4, 5)
    ]  # at the end of each batch that crosses a count of two, and the last word
    assert "\r" not in result.stderr


def test_on_a_terminal_a_progress_bar_is_drawn_and_the_lines_stay_whole(workdir: Path) -> None:
    paths = write_articles(workdir, 6)
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "monitor", "--config", str(workdir / "config.yaml"), "ingest", "--batch", "2",
               "--published", "2025-06-04", *paths]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=follower, env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    screen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        try:
            chunk = os.read(leader, 65536) if ready else b""
        except OSError:  # the terminal closed: the command is done
            chunk = b""
        if not chunk:
            break
        screen += chunk
    stdout, _ = proc.communicate(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, screen.decode(errors="replace")
    terminal = screen.decode(errors="replace")
    assert "ingest  [" in terminal and "100%" in terminal
    assert "monitor.ingest" not in terminal  # the bar, not the log line
    assert [line.split(": ")[0] for line in stdout.decode().splitlines()] == paths


# --- the publishers of feeds -------------------------------------------------------------------


def test_a_feed_named_by_its_address_publishes_under_its_own_title(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.feedgen import Item, rss
    from tests.httpserver import Response

    html = {"Content-Type": "text/html; charset=utf-8"}
    http_server.route("/one.html", Response(body=page("Gunmen kill 14 civilians", ATTACK).encode(), headers=html))
    checkpoint = ("Gunmen killed five soldiers at a checkpoint in Ménaka on Thursday, June 5, the army said on Friday.", ATTACK[1])
    http_server.route("/two.html", Response(body=page("Five soldiers killed in Ménaka", checkpoint).encode(), headers=html))
    http_server.route("/untitled.xml", Response(body=rss([Item("One", http_server.url("/one.html"), guid="1")], title="Sahel Daily")))
    http_server.route("/named.xml", Response(body=rss([Item("Two", http_server.url("/two.html"), guid="2")], title="Feed of Tamani")))
    # a feed with neither a name nor a title: its page's site name, then its host
    market = ("Gunmen killed seven traders at the market of Boni on Wednesday, June 4, residents said.", ATTACK[1])
    http_server.route("/three.html", Response(body=page("Seven traders killed in Boni", market, site="Le Sahel Hebdo").encode(), headers=html))
    http_server.route("/bare.xml", Response(body=rss([Item("Three", http_server.url("/three.html"), guid="3")], title="")))
    untitled, named, bare = (http_server.url(p) for p in ("/untitled.xml", "/named.xml", "/bare.xml"))
    (tmp_path / "config.yaml").write_text(
        f"database: register.db\nincidents:\n  load_seeds: false\nfetch:\n  allow_private_addresses: true\n"
        f"feeds:\n  - name: {untitled}\n    url: {untitled}\n  - name: Studio Tamani\n    url: {named}\n"
        f"  - name: {bare}\n    url: {bare}\n",
        encoding="utf-8",
    )
    assert "3 new articles" in invoke(tmp_path, "poll", "--once").stdout
    with Store(tmp_path / "register.db") as store:
        publishers = {r["publisher"] for a in (1, 2, 3) for r in store.reports_of_article(a)}
    # the feed's own title where it had no name, and the page's site name where it had neither
    assert publishers == {"Sahel Daily", "Studio Tamani", "Le Sahel Hebdo"}
