"""Command groups that import their module only when one of their commands runs.

``flask --help`` lists every group with its one-line help; importing the groups' modules for that
(services, models, the Uzbek engine, Babel's catalog tools) cost most of its time. A
:class:`LazyGroup` carries the name and the help line; anything beyond the listing (running a
command, ``flask reports --help``) is handed to the real group, imported then.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import click


class LazyGroup(click.Group):
    """Stands for the group ``load()`` returns; only the top-level listing is answered here."""

    def __init__(self, name: str, help: str, load: Callable[[], click.Group]) -> None:  # noqa: A002
        super().__init__(name=name, help=help)
        self._load = load
        self._group: click.Group | None = None

    def real(self) -> click.Group:
        if self._group is None:
            self._group = self._load()
        return self._group

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self.real().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.real().get_command(ctx, cmd_name)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        # The real group parses the options, shows its own help and invokes the command.
        return self.real().make_context(info_name, args, parent=parent, **extra)


def group_at(module: str, name: str) -> Callable[[], click.Group]:
    """A loader for the group ``name`` of ``module``."""

    def load() -> click.Group:
        group = getattr(importlib.import_module(module), name)
        assert isinstance(group, click.Group)
        return group

    return load
