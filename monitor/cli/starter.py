"""``sahel-monitor init``: a commented starter configuration, and what to do next."""

from __future__ import annotations

import re
import shlex
import shutil
from importlib.resources import files
from pathlib import Path

import click

from monitor.resources import SEEDS_DIR

# the project's config.yaml, carried by the package (a link in the source tree, a file once built)
STARTER = "starter_config.yaml"
_SEEDS_LINE = re.compile(r"^# seeds_dir: .*$", re.MULTILINE)


def register_init_command(cli: click.Group) -> None:
    cli.add_command(init)


def starter_config() -> str:
    """The commented starter configuration: every key, the feeds of Malian and Sahel outlets."""
    return files("monitor.cli").joinpath(STARTER).read_text(encoding="utf-8")


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a config.yaml that is there already.")
@click.option("--seeds", "with_seeds", is_flag=True, help="Also copy the reading data (watch list, gazetteers, known incidents) into DIRECTORY/seeds, to edit, and point seeds_dir at it.")
def init(directory: Path, force: bool, with_seeds: bool) -> None:
    """Write a commented starter config.yaml into DIRECTORY (default: here), then say what to do next."""
    target = directory / "config.yaml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists already: edit it, or run again with --force to replace it")
    text = starter_config()
    if with_seeds:
        text = _SEEDS_LINE.sub("seeds_dir: seeds", text, count=1)
        if "\nseeds_dir: seeds" not in text:
            raise click.ClickException("the starter config has no '# seeds_dir:' line to set")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if with_seeds:
            _copy_seeds(directory / "seeds", force)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or directory}: cannot write: {exc.strerror}") from None
    click.echo(f"wrote {target}" + (f" and the reading data into {directory / 'seeds'}" if with_seeds else ""))
    click.echo(next_steps(target))


def _copy_seeds(folder: Path, force: bool) -> None:
    if folder.exists() and not force:
        raise click.ClickException(f"{folder} exists already: run again with --force to replace its files")
    folder.mkdir(exist_ok=True)
    for path in sorted(SEEDS_DIR.iterdir()):
        if path.is_file() and path.suffix in (".yaml", ".csv", ".md"):
            shutil.copyfile(path, folder / path.name)


def next_steps(config: Path) -> str:
    command = f"sahel-monitor --config {shlex.quote(str(config))}"
    return "\n".join(
        [
            "next:",
            f"  1. edit {config}: keep the feeds you want and add yours (feeds), say where alerts go",
            "     (alerts.urls: e-mail, Slack, Telegram...); every key is explained in its comments",
            f"  2. {command} check-config      check it, secrets masked",
            f"  3. {command} test-alert        send a sample alert to every target",
            f"  4. {command} poll --once       poll every feed once, now",
            f"  5. {command} run               run the daemon (as a systemd service: docs/deploy.md)",
        ]
    )
