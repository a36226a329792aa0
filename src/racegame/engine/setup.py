"""The state at turn 0 of a level, for any number of replicas."""

from __future__ import annotations

import numpy as np

from ..level.schema import ARCHETYPES
from .params import Rules
from .diplomacy import AGREEMENTS
from .chips import arrival_turns
from .economy import target_use
from .util import max_over
from .state import RUNNING, State
from .timeline import requirements

DIFFICULTIES = ("easy", "normal", "hard")


def ring_lengths(level, rules: Rules) -> dict:
    """Slots each ring needs: longer than the longest delay that can be scheduled in it."""
    grids = level.data["grids"]
    turns = [rules.at(t) for t in range(rules.horizon)]  # lead times are longest in short turns
    longest = {kind: max(int(c["gen_turns"][k]) for c in turns) for k, kind in enumerate(("gas", "solar_storage", "nuclear"))}
    for grid in grids:
        for item in grid["pipeline"]:
            longest[item["kind"]] = max(longest[item["kind"]], item["turns"])
    return {
        "dc": max(int(c["build_turns"].max()) for c in turns) + 1,
        "onsite": max(int(c["onsite_turns"]) for c in turns) + 1,
        "ppa": max(int(c["gen_turns"][1]) for c in turns) + 1,
        "gas": longest["gas"] + 1,
        "solar_storage": longest["solar_storage"] + 1,
        "nuclear": longest["nuclear"] + 1,
    }


def initial_state(level, rules: Rules, replicas: int = 1, player: int | None = None, difficulty: str = "normal",
                  draws=None) -> State:
    """Turn 0 of ``level``. ``draws`` (the run's RaceRandom) draws what this game's milestones
    take and when chip classes with uncertain dates come; without it every milestone and date
    sits at its median (a neutral world, for tools)."""
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, got {difficulty!r}")
    d = level.data
    R, L = replicas, rules.n_labs
    K, N, C = len(rules.chip_ids), len(rules.grid_ids), len(rules.country_ids)
    M, E, Q = len(rules.market_ids), len(rules.event_ids), len(rules.reaction_gov)
    T = rules.n_milestones
    gi = {g: i for i, g in enumerate(rules.country_ids)}
    ki = {k: i for i, k in enumerate(rules.chip_ids)}
    ni = {n: i for i, n in enumerate(rules.grid_ids)}
    rings = ring_lengths(level, rules)

    def lab_values(fn, blank=0.0, dtype=float):
        values = [fn(lab) for lab in d["labs"]] + [blank] * (L - len(d["labs"]))
        return np.tile(np.array(values, dtype=dtype), (R, 1))

    chips = np.zeros((R, L, K))
    built = np.zeros((R, L, N))
    approved = np.zeros((R, L, N))
    queued = np.zeros((R, L, N))
    onsite = np.zeros((R, L, N))
    dc_ring_mw = np.zeros((R, L, rings["dc"]))
    dc_ring_grid = np.zeros((R, L, rings["dc"]), dtype=np.int64)
    for i, lab in enumerate(d["labs"]):
        for key, units in lab["chips"].items():
            chips[:, i, ki[key]] = units
        for site in lab["data_centres"]:
            n = ni[site["grid"]]
            built[:, i, n] += site["mw"]
            approved[:, i, n] += site["mw"] - min(site["onsite_mw"], site["mw"])
            onsite[:, i, n] += site["onsite_mw"]
        for item in lab["construction"]:
            n = ni[item["grid"]]
            slot = item["turns"] % rings["dc"]
            dc_ring_mw[:, i, slot] = item["mw"]
            dc_ring_grid[:, i, slot] = n
            # What the grid has not approved yet waits in the queue like any new load.
            approved[:, i, n] += item["mw"] * item["approved_share"]
            queued[:, i, n] += item["mw"] * (1.0 - item["approved_share"])

    cash = lab_values(lambda lab: lab["cash_usd"])
    efficiency = lab_values(lambda lab: lab["efficiency"])
    edge = np.ones((R, L))
    if player is not None and difficulty != "normal":
        easy = difficulty == "easy"
        cash[:, player] *= rules.c["easy_cash"] if easy else rules.c["hard_cash"]
        # A lasting edge (or handicap) in how much the player's runs get from their compute:
        # a head start in cash or algorithms fades within a few turns, this does not.
        edge[:, player] = rules.c["easy_edge"] if easy else rules.c["hard_edge"]

    govs = d["governments"]

    def gov_values(key, dtype=float):
        return np.tile(np.array([g[key] for g in govs], dtype=dtype), (R, 1))

    grid_rings = {}
    for kind in ("gas", "solar_storage", "nuclear"):
        ring = np.zeros((R, N, rings[kind]))
        for n, grid in enumerate(d["grids"]):
            for item in grid["pipeline"]:
                if item["kind"] == kind:
                    ring[:, n, item["turns"] % rings[kind]] += item["mw"]
        grid_rings[kind] = ring

    def grid_values(key):
        return np.tile(np.array([g[key] for g in d["grids"]], dtype=float), (R, 1))

    capability = lab_values(lambda lab: lab["capability"])
    state = State(
        turn=0,
        alive=lab_values(lambda lab: True, False, bool),
        country=lab_values(lambda lab: gi[lab["country"]], 0, np.int64),
        archetype=lab_values(lambda lab: ARCHETYPES.index(lab["archetype"]), 0, np.int64),
        cash=cash,
        chips=chips,
        built=built,
        approved=approved,
        queued=queued,
        onsite=onsite,
        dc_ring_mw=dc_ring_mw,
        dc_ring_grid=dc_ring_grid,
        onsite_ring_mw=np.zeros((R, L, rings["onsite"])),
        onsite_ring_grid=np.zeros((R, L, rings["onsite"]), dtype=np.int64),
        ppa_ring_mw=np.zeros((R, L, rings["ppa"])),
        ppa_ring_grid=np.zeros((R, L, rings["ppa"]), dtype=np.int64),
        efficiency=efficiency,
        capability=capability,
        distilled=capability.copy(),
        edge=edge,
        reasoning=lab_values(lambda lab: lab["reasoning"]),
        safety=lab_values(lambda lab: lab["safety"]),
        talent=lab_values(lambda lab: lab["talent"]),
        reputation=lab_values(lambda lab: lab["reputation"], 1.0),
        run_flop=np.zeros((R, L)),
        run_age=np.zeros((R, L), dtype=np.int64),
        model_open=lab_values(lambda lab: lab["open_weights"], False, bool),
        revenue=np.zeros((R, L)),
        share=np.zeros((R, L)),
        served=np.ones((R, L)),
        market_use=np.zeros((R, L, M)),
        partner_share=lab_values(lambda lab: lab["partner_revenue_share"]),
        equity=np.ones((R, L)),
        parent_left=np.tile(rules.lab_parent_budget.astype(float), (R, 1)),
        raise_cooldown=np.zeros((R, L), dtype=np.int64),
        partner_cooldown=np.zeros((R, L), dtype=np.int64),
        momentum=np.zeros((R, L)),
        cap_average=capability.copy(),
        lobby_usd=np.zeros((R, L)),
        intel=np.zeros((R, L)),
        lobby_goal=np.zeros((R, L), dtype=np.int64),
        founded_turn=np.full((R, L), -1, dtype=np.int64),
        parent=np.full((R, L), -1, dtype=np.int64),
        name_index=np.full((R, L), -1, dtype=np.int64),
        incidents=np.zeros((R, L), dtype=np.int64),
        binding=np.zeros((R, L), dtype=np.int64),
        security=lab_values(lambda lab: lab["security_level"], 1, np.int64),
        committed=np.zeros((R, L), dtype=bool),
        milestone=np.zeros((R, L), dtype=np.int64),
        milestone_turn=np.full((R, L, T), -1, dtype=np.int64),
        pace=np.full((R, L), rules.c["pace_reference"]),
        failed_milestone=np.full((R, L), -1, dtype=np.int64),
        capacity=grid_values("capacity_mw"),
        carbon=grid_values("carbon_t_per_mwh"),
        demand=grid_values("demand_mw"),
        price=grid_values("price_usd_per_mwh"),
        queue_other=grid_values("queue_mw"),
        curtail=np.zeros((R, N)),
        queue_wait=np.minimum((grid_values("queue_mw") + queued.sum(axis=1))
                              / np.maximum(grid_values("approvals_mw_per_turn"), 1e-9), 99.0),
        outage=np.zeros((R, N)),
        outage_left=np.zeros((R, N), dtype=np.int64),
        gas_ring=grid_rings["gas"],
        solar_ring=grid_rings["solar_storage"],
        nuclear_ring=grid_rings["nuclear"],
        export_tier=gov_values("export_tier", np.int64),
        enforcement=gov_values("enforcement"),
        subsidy=gov_values("subsidy_usd_per_turn"),
        permitting=gov_values("permitting"),
        regulation=gov_values("regulation"),
        pool=np.zeros((R, C)),
        mega_started=gov_values("mega_project_started", bool),
        retaliation=gov_values("retaliation", bool),
        reaction_wait=np.zeros((R, Q), dtype=np.int64),
        incidents_last=np.zeros((R, C), dtype=np.int64),
        founders_used=np.zeros((R, C), dtype=np.int64),
        spy_usd=gov_values("spy_usd_per_turn"),
        gov_intel=np.zeros((R, C)),
        tension=np.zeros((R, C)),
        tracking=gov_values("chip_tracking", bool),
        inspections=np.zeros((R, C)),
        cheating=np.zeros((R, C), dtype=bool),
        treaty=np.zeros((R, len(AGREEMENTS)), dtype=np.int64),
        treaty_members=np.zeros((R, len(AGREEMENTS), C), dtype=bool),
        treaty_since=np.zeros((R, len(AGREEMENTS)), dtype=np.int64),
        treaty_cap=np.zeros(R),
        pause_notice=np.zeros(R, dtype=np.int64),
        pause_notice_by=np.full(R, -1, dtype=np.int64),
        alarm=np.zeros(R),
        chip_arrival=arrival_turns(draws.uniform(0, "chip_arrival", (len(rules.country_ids),)) if draws is not None
                                   else np.full((R, len(rules.country_ids)), 0.5), rules),
        chip_price=np.tile(rules.chip_price0.astype(float), (R, 1)),
        smuggle_premium=np.full((R, K), rules.c["smuggle_premium"]),
        smuggle_fill=np.zeros((R, K)),
        supply_shock=np.ones((R, K)),
        supply_shock_left=np.zeros((R, K), dtype=np.int64),
        input_capacity=np.tile(rules.input_capacity0.astype(float), (R, 1)),
        input_yield=np.tile(rules.input_yield0.astype(float), (R, 1)),
        input_shock=np.ones((R, len(rules.input_ids))),
        input_shock_left=np.zeros((R, len(rules.input_ids)), dtype=np.int64),
        market_shock=np.ones((R, M)),
        market_shock_left=np.zeros((R, M), dtype=np.int64),
        outcome=np.full(R, RUNNING, dtype=np.int64),
        winner=np.full(R, -1, dtype=np.int64),
        agi_lab=np.full(R, -1, dtype=np.int64),
        end_turn=np.full(R, -1, dtype=np.int64),
        event_done=np.zeros((R, E), dtype=bool),
        open_best=max_over(np.where(lab_values(lambda lab: lab["open_weights"], False, bool), capability, 0.0), 1),
        milestone_req=requirements(draws.uniform(0, "timeline", (T,)) if draws is not None else np.full((R, T), 0.5), rules),
    )
    # Buyers start where they would be today.
    price_level = rules.style("price_level")[state.archetype]
    state.market_use, _, _ = target_use(state, price_level, rules)
    return state
