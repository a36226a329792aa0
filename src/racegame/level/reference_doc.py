"""Render the level schema as Markdown: ``docs/LEVELS.md`` is generated from this."""

from __future__ import annotations

from .fields import MapOf, Table, TableList
from .schema import ACTIONS, CONDITIONS, EFFECTS, LEVEL

INTRO = """# Level format reference

Levels are TOML files in `levels/`. This page is generated from the schema in
`src/racegame/level/schema.py` (`python -m racegame.level.reference_doc > docs/LEVELS.md`);
a test fails if it is out of date. Validate a level with `racegame check FILE`.

Every key is listed with its type, range and default. Keys without a default are required.
Unknown keys are errors (with a "did you mean"), as are NaN and infinities. Rates about time
are per year (or in months) so that `time.months_per_turn` can change without re-tuning.
Standing amounts per turn (subsidies, a parent's funding, chip and input supply, grid
approvals, on-site supply, security costs) are per turn of the first stage's length: a later
stage with longer turns scales them in proportion, so a half-year turn pays and builds two
quarters' worth. Chances per turn stay per turn.

Every number has a range that keeps the simulation finite (a number with none of its own may
be at most 1e15 either way); if a level's numbers still drive a game out of the range its
state is built for, the game stops with a message that names the figure, the lab and the
turn, rather than carrying NaN into charts and files. Text is shown as written, never as
markup (`<b>` appears as typed); control characters such as NUL are errors. A file may be at
most 2 MB, nested at most 32 deep, with integers of at most 64 bits.

## Extending a level

`extends = "baseline"` starts from another shipped level (or `extends = "my_base.toml"`, a
level file in the same folder as this one; nothing else, no paths) and lays this file on top of it:
tables merge key by key; the lists `labs`, `chips`, `grids`, `governments`, `markets` and
`events` (keyed by `id`) merge entry by entry, so `[[labs]] id = "agora"` with one key
changes only that key, and a new id adds an entry; any other value, including a scenario's
`roles`, `prompts` and `debrief`, replaces the extended level's. `remove = ["labs.keel", "events.fab_fire"]`
drops entries. The result is validated like any level. See `levels/power_crunch.toml`.
"""

EFFECT_NOTES = {
    "chip_supply": "target: chip class; amount: production multiplier (temporary if duration_turns > 0)",
    "supply_capacity": "target: supply input; amount: capacity multiplier (temporary if duration_turns > 0)",
    "chip_price": "target: chip class; amount: price multiplier",
    "grid_capacity": "target: grid; amount: relative change (-0.1 = lose 10%), temporary if duration_turns > 0",
    "export_tier": "target: government; amount: new tier 0..3",
    "enforcement": "target: government; amount: new level 0..1",
    "subsidy": "target: government; amount: USD per turn added",
    "permitting": "target: government; amount: new multiplier",
    "regulation": "target: government; amount: new level 0..1",
    "retaliation": "target: government; amount: 1 to start a critical-mineral ban, 0 to end it",
    "mega_project": "target: government; starts its national compute project",
    "algo_breakthrough": "target: lab, or country (one of its labs at random); amount: OOM of algorithmic efficiency",
    "market": "target: market or empty for all; amount: size multiplier (temporary if duration_turns > 0)",
    "talent": "target: lab or country; amount: relative change (-0.1 = lose 10%)",
    "cash": "target: lab or country; amount: USD",
    "incident": "target: lab or country; a safety incident",
    "steal_model": "target: government whose spies steal; its strongest lab takes the best model of any other country's lab ahead of it (less adaptation_oom); amount: chance 0..1 that the theft is discovered (the victim's government grows hostile)",
}


def _default(spec) -> str:
    if spec.required:
        return "**required**"
    value = spec.default
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, float):
        return f"`{value:g}`"
    if (isinstance(value, (list, dict)) and not value) or value == "":
        return "empty"
    return f"`{value}`"


def _section(title: str, table: Table, lines: list[str], level: int = 2) -> None:
    lines.append(f"{'#' * level} `{title}`")
    if table.doc:
        lines.append("")
        lines.append(table.doc)
    lines += ["", "| key | type | default | meaning |", "|---|---|---|---|"]
    nested = []
    for key, spec in table.fields.items():
        if isinstance(spec, Table):
            nested.append((f"{title}.{key}", spec))
            continue
        if isinstance(spec, TableList):
            nested.append((f"{title}.{key}", spec.row))
            kind = "list of tables"
        elif isinstance(spec, MapOf):
            kind = f"table of name = {spec.value.describe()}"
        else:
            kind = spec.describe()
        unit = f" ({spec.unit})" if getattr(spec, "unit", "") else ""
        row = f"| `{key}` | {kind.replace('|', '&#124;')} | {_default(spec)} | {spec.doc}{unit} |"
        lines.append(row)
    lines.append("")
    for sub_title, sub in nested:
        _section(sub_title, sub, lines, min(level + 1, 4))


def render() -> str:
    lines = [INTRO]
    top = Table(fields={k: v for k, v in LEVEL.fields.items() if not isinstance(v, (Table, TableList))})
    _section("top level", top, lines)
    for key, spec in LEVEL.fields.items():
        if isinstance(spec, Table):
            _section(key, spec, lines)
        elif isinstance(spec, TableList):
            _section(f"[[{key}]]", spec.row, lines)
    lines += ["## Vocabularies", "", "Government reactions, `when`: " + ", ".join(f"`{c}`" for c in CONDITIONS) + ".", "",
              "Government reactions, `then`: " + ", ".join(f"`{a}`" for a in ACTIONS) + ".", "", "Event effects:", ""]
    lines += [f"- `{e}`: {EFFECT_NOTES[e]}" for e in EFFECTS]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
