"""The README documents every config key, every command with each of its options, and every
environment variable the code reads: a key added without a line there fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
from pydantic import BaseModel

from monitor.cli import cli
from monitor.config import Config
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# the config table: each row's first cell names one or more keys in backticks
CONFIG_ROWS = [line for line in README.splitlines() if line.startswith("| `")]


def config_keys(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, type[BaseModel] | None]]:
    """Every key of a config section, dotted (``fetch.timeout``); a list of sections
    (``feeds``) is one key whose row names its fields."""
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        kind = field.annotation
        inner = getattr(kind, "__args__", (None,))[0]
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from config_keys(kind, path + ".")
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            yield path, inner
        else:
            yield path, None


def row_of(key: str) -> str | None:
    return next((row for row in CONFIG_ROWS if f"`{key}`" in row.split(" | ")[0]), None)


def test_every_config_key_has_a_row_in_the_config_table() -> None:
    missing = []
    for key, item in config_keys(Config):
        row = row_of(key)
        if row is None:
            missing.append(key)
        elif item is not None:  # feeds: each field of an item is named in the row
            missing += [f"{key}[].{f}" for f in item.model_fields if f"`{f}`" not in row]
    assert not missing, f"README's config table lacks {missing}"


def commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name in sorted(group.commands):
        command = group.commands[name]
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")


def test_every_command_and_option_is_in_the_commands_table() -> None:
    table = [line for line in README.splitlines() if line.startswith("| `sahel-monitor ")]
    missing = []
    for name, command in commands(cli):
        rows = [row for row in table if re.search(rf"`sahel-monitor {re.escape(name)}\b", row)]
        if not rows:
            missing.append(name)
            continue
        for param in command.params:
            flags = [f for f in param.opts if f.startswith("--")] if isinstance(param, click.Option) else []
            if flags and not any(flag in row for flag in flags for row in rows) and "--help" not in flags:
                missing.append(f"{name} {flags[0]}")
    assert not missing, f"README's commands table lacks {missing}"


def test_every_global_option_and_environment_variable_is_named() -> None:
    for param in cli.params:
        for flag in param.opts:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in README, flag
        envvar = getattr(param, "envvar", None)
        if envvar:
            assert f"`{envvar}`" in README, envvar
    read = set()
    for path in (ROOT / "monitor").rglob("*.py"):
        read |= set(re.findall(r"os\.environ(?:\.get)?\(\s*\"([A-Z_]+)\"", path.read_text(encoding="utf-8")))
        read |= set(re.findall(r"os\.environ\[\"([A-Z_]+)\"\]", path.read_text(encoding="utf-8")))
    assert read >= {"NOTIFY_SOCKET", "CREDENTIALS_DIRECTORY"}  # the scan finds what it looks for
    assert not [name for name in sorted(read) if f"`{name}`" not in README]
