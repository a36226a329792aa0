"""The ``racegame`` command. Every subcommand runs without a display except ``play``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import RaceError

HEADLESS_HINT = """Headless commands work everywhere:
  racegame levels                      list the levels
  racegame run --level baseline --seed 1      play a whole game with AI on every seat
  racegame batch --level baseline --runs 1000 --seed 1 --out runs.csv
  racegame calibrate                   simulated figures beside the public ones"""


# Upper limits, so that a typo (--runs 10^9, --chunk 10^6) is a one-line error, not hours of
# work, a full disk or a MemoryError.
MAX_SEED = 2**63 - 1  # what a save holds (its integers are 64-bit)
MAX_GAMES = 10_000_000  # games per command, all sweep cells together: hours on one core
MAX_CHUNK = 20_000  # games in one vectorised pass: about 1 GB of memory
MAX_WORKERS = max(2, os.cpu_count() or 1)  # a process per core; two anywhere, for scripts


def _whole(lo: int, hi: int, why: str = ""):
    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got '{text[:40]}'") from None
        if value < lo:
            raise argparse.ArgumentTypeError(f"expected a number >= {lo}, got {value}")
        if value > hi:
            raise argparse.ArgumentTypeError(f"expected at most {hi:,}{why}, got {value:,}")
        return value

    return check


def _engine(text: str) -> str:
    """An engine name; the compiled one only where numba is installed."""
    from .model import ENGINES

    if text not in ENGINES:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(ENGINES)}, got '{text[:40]}'")
    if text == "compiled":
        from .engine import compiled

        if not compiled.available():
            raise argparse.ArgumentTypeError(compiled.INSTALL_HINT)
    return text


ENGINE_HELP = ("which engine resolves the turns: vectorised (numpy, the default), compiled (the same rules with "
               "numba kernels, faster; needs the fast extra) or reference (the plain, slow statement of the rules)")

_non_negative = _whole(0, MAX_SEED)
_positive = _whole(1, MAX_SEED)
_runs = _whole(1, MAX_GAMES)
_chunk = _whole(1, MAX_CHUNK, " (games in one vectorised pass; about 1 GB of memory)")
_workers = _whole(1, MAX_WORKERS, f" (this machine has {os.cpu_count() or 1} CPUs)")


def _out_path(suffixes):
    def check(text: str) -> Path:
        path = Path(text)
        if suffixes and path.suffix.lower() not in suffixes:
            raise argparse.ArgumentTypeError(f"'{text}': expected a file ending in {' or '.join(suffixes)}")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise argparse.ArgumentTypeError(f"'{text}': folder '{folder}' does not exist")
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"'{text}' is a folder; expected a file name")
        if not os.access(folder, os.W_OK):
            raise argparse.ArgumentTypeError(f"'{text}': cannot write in folder '{folder}' (read-only or not yours)")
        return path

    return check


def _batch_options(p) -> None:
    p.add_argument("--level", default="baseline", help="level id or .toml file (default: baseline)")
    p.add_argument("--runs", type=_runs, required=True, help="number of games (per sweep cell)")
    p.add_argument("--seed", type=_non_negative, required=True, help="seed")
    p.add_argument("--turns", type=_positive, default=None, help="stop games after N turns")
    p.add_argument("--out", type=_out_path((".csv", ".parquet")), required=True, metavar="FILE.csv|.parquet", help="one row per game")
    p.add_argument("--history", type=_out_path((".csv", ".parquet")), default=None, metavar="FILE.csv|.parquet",
                   help="one row per lab per turn per game (turns from 1)")
    p.add_argument("--engine", type=_engine, default="vectorised", metavar="ENGINE", help=ENGINE_HELP)
    p.add_argument("--workers", type=_workers, default=1, help="worker processes (default 1)")
    p.add_argument("--chunk", type=_chunk, default=None, metavar="N", help="games per vectorised chunk (default 2000)")
    p.add_argument("--resume", action="store_true", help="finish an interrupted run without redoing finished chunks")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="racegame", description="An agent-based strategy game of the US-China race for advanced AI.",
                                     epilog="With no command, opens the game window (or explains how to play headless).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("play", help="open the game window")
    p.add_argument("--level", default="baseline", help="level id or .toml file (default: baseline)")
    p.add_argument("--seed", type=_non_negative, default=None, help="seed (default: random)")
    p.add_argument("--autoplay", type=_non_negative, default=None, metavar="N", help="let the AI play N turns through the UI")
    p.add_argument("--screenshot", type=_out_path((".png",)), default=None, metavar="FILE.png", help="save the final frame")
    p.add_argument("--engine", type=_engine, default="vectorised", metavar="ENGINE",
                   help="the engine every game the window starts or loads plays on: vectorised (the default), compiled "
                        "(its forecasts too) or reference")

    p = sub.add_parser("levels", help="list the shipped levels")
    p.add_argument("--json", action="store_true", help="print JSON (turn numbers are the game's, from 1)")

    p = sub.add_parser("handouts", help="print-ready classroom materials for a level: role cards, facilitator's script, worksheet")
    p.add_argument("--level", required=True, help="level id or .toml file")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into (made if missing)")
    p.add_argument("--no-pdf", action="store_true", help="HTML only (PDF needs Chromium or Chrome)")

    p = sub.add_parser("compare", help="several groups' games of one scenario side by side (HTML)")
    p.add_argument("saves", nargs="+", metavar="SAVE.json", help="saved games (the autosave of each group's computer)")
    p.add_argument("--out", type=_out_path((".html",)), required=True, metavar="FILE.html", help="the page to write")

    p = sub.add_parser("check", help="validate level files")
    p.add_argument("files", nargs="+", metavar="FILE", help="level .toml files or ids")

    p = sub.add_parser("run", help="play one game headless with AI on every seat")
    p.add_argument("--level", default="baseline", help="level id or .toml file (default: baseline)")
    p.add_argument("--seed", type=_non_negative, default=None, help="seed (default: random, printed)")
    p.add_argument("--replica", type=_whole(0, MAX_GAMES), default=0, help="replica number: replays replica K of a batch (default 0)")
    p.add_argument("--turns", type=_positive, default=None, help="stop after N turns")
    p.add_argument("--history", type=_out_path((".csv", ".parquet")), default=None, metavar="FILE.csv|.parquet",
                   help="one row per lab per turn (turns from 1)")
    p.add_argument("--save", type=_out_path((".json",)), default=None, metavar="FILE.json", help="save the game at the end")
    p.add_argument("--load", default=None, metavar="FILE.json", help="continue a saved game")
    p.add_argument("--json", action="store_true", help="print the summary as JSON (turns from 1)")
    p.add_argument("--engine", type=_engine, default="vectorised", metavar="ENGINE", help=ENGINE_HELP)

    p = sub.add_parser("batch", help="play many games: vectorised chunks, worker processes, resumable")
    _batch_options(p)

    p = sub.add_parser("sweep", help="batches over a design of level parameters: a grid of values, or ranges sampled by lhs, sobol or morris")
    _batch_options(p)
    p.add_argument("--set", dest="sets", action="append", required=True, metavar="PATH=V1,V2,...|PATH=LO:HI",
                   help="a level parameter by dotted path and the values to try (a lever, crossed with the rest) or a "
                   "range to sample (an uncertainty); repeatable; see 'racegame params'")
    p.add_argument("--design", default="grid", metavar="grid|lhs|sobol|morris",
                   help="how ranges are sampled: grid (--samples points per range), lhs (--samples points), sobol "
                   "(--samples N, a power of 2: N x (ranges + 2) cells), morris (--samples trajectories); default grid")
    p.add_argument("--samples", type=_positive, default=None, metavar="N", help="sample size for the design (see --design)")
    p.add_argument("--scheduler", default=None, metavar="local|tcp://HOST:PORT",
                   help="run on Dask: 'local' starts a LocalCluster here; an address uses an existing cluster")

    p = sub.add_parser("params", help="list the parameters a sweep can set, with their values")
    p.add_argument("--level", default="baseline", help="level id or .toml file (default: baseline)")
    p.add_argument("--grep", default="", metavar="TEXT", help="only paths containing TEXT")

    p = sub.add_parser("summarize", help="tables and plots from a batch or sweep file")
    p.add_argument("file", metavar="FILE", help="a .csv or .parquet written by batch or sweep")
    p.add_argument("--history", default=None, metavar="FILE.csv|.parquet", help="history file for capability fan charts")
    p.add_argument("--plots", default=None, metavar="DIR", help="write PNG plots to this folder")
    p.add_argument("--sensitivity", action="store_true",
                   help="Sobol or Morris indices (SALib) of a sweep played with --design sobol or morris")
    p.add_argument("--outcome", dest="outcomes", action="append", default=None, metavar="NAME",
                   help="an outcome for --sensitivity and paired differences: catastrophe, agi, win_<country> or "
                   "any numeric column (repeatable; default: catastrophe, agi and each country's wins)")

    p = sub.add_parser("balance", help="win rates of AI labs and scripted strategies, against the balance targets")
    p.add_argument("--level", default="baseline", help="level id or .toml file (default: baseline)")
    p.add_argument("--runs", type=_whole(1, MAX_CHUNK), default=200, help="games per row (default 200)")
    p.add_argument("--seed", type=_non_negative, default=1, help="seed (default 1)")
    p.add_argument("--labs", default=None, metavar="ID,ID", help="only these labs for the strategy table (with --levers: "
                   "the labs to steer; default meridian, colossus, polymath, keel, tempo, abyss)")
    p.add_argument("--levers", action="store_true", help="what each lever of a lab does to its win and catastrophe "
                   "rates against the AI default, a human-like plan, and the difficulty settings")
    p.add_argument("--workers", type=_workers, default=1, help="worker processes (default 1; the same report for any number)")

    p = sub.add_parser("report", help="a debrief report (HTML, printable) from a saved game")
    p.add_argument("save", metavar="SAVE.json", help="a saved game (from the game or racegame run --save)")
    p.add_argument("--out", type=_out_path((".html",)), required=True, metavar="FILE.html", help="the report to write")
    p.add_argument("--runs", type=_whole(0, MAX_CHUNK), default=200, help="games in the what-if batches (0: none; default 200)")

    p = sub.add_parser("calibrate", help="simulated figures beside the public ones")
    p.add_argument("--level", default="baseline", help="level id or .toml file (default: baseline)")
    p.add_argument("--runs", type=_whole(1, MAX_CHUNK), default=200, help="games per experiment (default 200)")
    p.add_argument("--seed", type=_non_negative, default=1, help="seed (default 1)")
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # the command line, for provenance
    try:
        code = dispatch(args)
    except RaceError as exc:
        print(f"racegame: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full or read-only disk, a file gone: the user's to fix, not a bug
        if isinstance(exc, BrokenPipeError):
            return _broken_pipe()
        if args.command in (None, "play"):
            raise  # the window reports its own file problems: one that escapes it is a bug
        print(f"racegame: error: {exc.filename or 'a file'}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print("racegame: error: out of memory; try fewer games at once (--chunk, --runs)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("racegame: interrupted", file=sys.stderr)
        return 130
    return code or 0


def _broken_pipe() -> int:
    """Output piped into a program that stopped reading (head, less): not an error."""
    sys.stdout = open(os.devnull, "w")
    return 0


def dispatch(args) -> int:
    command = args.command or "play"
    if command == "play":
        return cmd_play(args)
    handlers = {"levels": cmd_levels, "handouts": cmd_handouts, "compare": cmd_compare, "check": cmd_check, "run": cmd_run, "batch": cmd_batch, "sweep": cmd_sweep,
                "params": cmd_params, "summarize": cmd_summarize, "balance": cmd_balance, "report": cmd_report, "calibrate": cmd_calibrate}
    return handlers[command](args)


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    driver = os.environ.get("SDL_VIDEODRIVER", "")
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or driver in ("dummy", "offscreen"))


def cmd_play(args) -> int:
    if not has_display():
        print("racegame: no display found (DISPLAY is not set), so the game window cannot open.\n" + HEADLESS_HINT, file=sys.stderr)
        return 2
    try:
        from .ui.launch import run_app
    except ImportError as exc:  # the front end is optional for headless installs
        raise RaceError(f"the game window needs pygame-ce and pygame_gui ({exc}); " + "headless commands: racegame run, batch, levels") from None
    engine = getattr(args, "engine", "vectorised")
    if engine == "compiled":
        _compile_before_window()
    return run_app(level=getattr(args, "level", "baseline"), seed=getattr(args, "seed", None),
                   autoplay=getattr(args, "autoplay", None), screenshot=getattr(args, "screenshot", None), engine=engine)


def _compile_before_window() -> None:
    """Load (or, the first time, compile) the compiled engine's kernels by playing one
    short game, so that the window does not stand still on its first turn."""
    from .engine.compiled.jit import cache_dir
    from .model import RaceModel

    if not any(cache_dir().rglob(f"*.py{sys.version_info.major}{sys.version_info.minor}.nbi")):  # numba's index files
        print("racegame: compiling the engine for this machine (the first time only: a minute or two)...", file=sys.stderr)
    model = RaceModel(level="baseline", rng=0, turns=2, engine="compiled")
    while model.running:
        model.step()


def cmd_levels(args) -> int:
    from .lessons import teacher_summary
    from .level.loader import load_level, shipped_level_paths

    rows = [teacher_summary(load_level(path)) for path in shipped_level_paths()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        print(f"{row['id']:<20} {row['title']}  ({row['start']}, {row['turns']} turns, {len(row['roles'])} labs to play)")
    return 0


def cmd_handouts(args) -> int:
    from .handouts import write_handouts
    from .level.loader import load_level

    written, pdf_note = write_handouts(load_level(args.level), args.out, pdf=not args.no_pdf)
    for path in written:
        print(path)
    print(pdf_note)
    return 0


def cmd_compare(args) -> int:
    from .compare import write_comparison

    path, note = write_comparison(args.saves, args.out)
    print(f"comparison: {path}")
    if note:
        print(note)
    return 0


def cmd_check(args) -> int:
    from .level.loader import load_level

    failed = 0
    for name in args.files:
        try:
            level = load_level(name)
            print(f"{name}: ok ({level.id}: {len(level.data['labs'])} labs, {len(level.data['grids'])} grids, "
                  f"{level.data['time']['horizon_turns']} turns)")
        except RaceError as exc:
            failed += 1
            print(f"{exc}", file=sys.stderr)
    return 2 if failed else 0  # 2, as for any bad input: 1 is what a crash returns


def cmd_run(args) -> int:
    from .headless import play, summary, summary_text
    from .model import RaceModel
    from .saves import load_game, save_game

    if args.load:
        model = load_game(args.load, engine=args.engine)
        # A loaded game plays on to its end, or for --turns more turns.
        extra = model.rules.horizon if args.turns is None else args.turns
        model.turn_limit = min(model.state.turn + extra, model.rules.horizon)
        model.running = model.state.turn < model.turn_limit and not model.state.ended.all()
    else:
        model = RaceModel(level=args.level, rng=args.seed, first_replica=args.replica, turns=args.turns, engine=args.engine)
    play(model, args.history)
    if args.save:
        save_game(model, args.save)
    if args.json:
        print(json.dumps(summary(model), indent=2))
    else:
        print(summary_text(model))
        extra = [f"history: {args.history}" if args.history else "", f"saved: {args.save}" if args.save else ""]
        extra = [e for e in extra if e]
        if extra:
            print("\n" + "; ".join(extra))
        if args.seed is None and not args.load:
            print(f"\n(seed {model.seed}: replay with --seed {model.seed})")
    return 0


def cmd_batch(args) -> int:
    return _run_batch(args, cells=(({}, {}),), scheduler=None, engine=args.engine, label="batch")


def cmd_sweep(args) -> int:
    from .analysis.designs import make_design, parse_set
    from .level.loader import load_level

    if args.scheduler:
        from .analysis.cluster import check_scheduler

        check_scheduler(args.scheduler)  # before the level is read or any work starts
    level = load_level(args.level)
    axes = [parse_set(text, level) for text in args.sets]
    design = make_design(level, axes, args.design, args.samples, args.seed)
    cells = design.cells
    if len(cells) * args.runs > MAX_GAMES:
        raise RaceError(f"{len(cells)} cells x {args.runs:,} games is more than {MAX_GAMES:,} games for one command; "
                        "use fewer values, samples or games")
    print(f"sweep: {args.design} design, {len(cells)} cells x {args.runs} games", file=sys.stderr)
    return _run_batch(args, cells=tuple(cells), scheduler=args.scheduler, engine=args.engine, label="sweep",
                      level=level, design=design.info)


def _run_batch(args, cells, scheduler, engine, label, level=None, design=None) -> int:
    import time

    from .analysis import batch
    from .level.loader import load_level

    if args.history is not None and args.history.resolve() == args.out.resolve():
        raise RaceError(f"--history and --out are the same file ({args.out}); give them different names")
    level = level or load_level(args.level)
    runner = None
    if scheduler:
        from .analysis.cluster import dask_runner

        runner = dask_runner(scheduler, args.workers)
    start = time.perf_counter()
    try:
        batch.run(level, args.seed, args.runs, args.out, turns=args.turns, history_out=args.history,
                  workers=args.workers, chunk=args.chunk or batch.DEFAULT_CHUNK, resume=args.resume,
                  cells=cells, runner=runner, engine=engine, label=label, design=design,
                  command=["racegame"] + list(getattr(args, "argv", None) or sys.argv[1:]))
    except KeyboardInterrupt:
        print(f"racegame: interrupted; finished chunks are kept in {args.out}.parts; "
              "run the same command with --resume to finish", file=sys.stderr)
        return 130
    took = time.perf_counter() - start
    total = args.runs * len(cells)
    print(f"{total} games of '{level.id}' (seed {args.seed}) in {took:.1f} s -> {args.out}"
          + (f", history -> {args.history}" if args.history else ""))
    return 0


def cmd_params(args) -> int:
    from .level.loader import load_level
    from .level.overrides import leaf_params

    level = load_level(args.level)
    for path, value in leaf_params(level.data):
        if args.grep in path:
            print(f"{path} = {json.dumps(value)}")
    return 0


def cmd_summarize(args) -> int:
    from .analysis.summarize import plots, read_table, summarise, table_text

    from .analysis.summarize import paired_differences, paired_text

    frame = read_table(args.file)
    print(table_text(summarise(frame)))
    paired = paired_text(paired_differences(frame, args.outcomes))
    if paired:
        print(paired)
    if args.sensitivity:
        from .analysis.sensitivity import read_provenance, sensitivity, sensitivity_text

        print(sensitivity_text(sensitivity(frame, read_provenance(args.file), args.outcomes)))
    elif args.outcomes and not paired:
        raise RaceError("--outcome chooses what --sensitivity and paired differences report; this file has one cell: "
                        "add --sensitivity for a Sobol or Morris sweep")
    if args.plots:
        for path in plots(frame, args.plots, args.history):
            print(f"plot: {path}")
    elif args.history:
        raise RaceError("--history draws fan charts: add --plots DIR to say where")
    return 0


def cmd_balance(args) -> int:
    from .analysis.balance import report
    from .level.loader import load_level

    level = load_level(args.level)
    labs = [x.strip() for x in args.labs.split(",")] if args.labs else None
    known = [lab["id"] for lab in level.data["labs"]]
    for lab in labs or []:
        if lab not in known:
            from .level.fields import did_you_mean

            raise RaceError(f"--labs: no lab '{lab}' in '{level.id}'{did_you_mean(lab, known)}; labs: {', '.join(known)}")
    if args.levers:
        from .analysis.balance import levers_report

        kwargs = {"labs": tuple(labs)} if labs else {}
        text, ok = levers_report(level, seed=args.seed, runs=args.runs, workers=args.workers, progress=_batches_done, **kwargs)
    else:
        text, ok = report(level, seed=args.seed, runs=args.runs, labs=labs, workers=args.workers, progress=_batches_done)
    print(text)
    return 0 if ok else 1


def _batches_done(done: int, total: int) -> None:
    print(f"balance: {done}/{total} batches of games", file=sys.stderr, flush=True)


def cmd_report(args) -> int:
    from .analysis.report import write_report
    from .saves import load_game

    model = load_game(args.save)
    html_path, csv_path = write_report(model, args.out, args.runs)
    print(f"report: {html_path}\nhistory: {csv_path}")
    return 0


def cmd_calibrate(args) -> int:
    from .analysis.calibrate import report
    from .level.loader import load_level

    text, ok = report(load_level(args.level), seed=args.seed, replicas=args.runs)
    print(text)
    return 0 if ok else 1
