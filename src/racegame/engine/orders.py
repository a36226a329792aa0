"""Orders: what every seat decides for one turn, as arrays over replicas.

The UI, the AI strategies, scripted strategies, replays and tests all speak this one
language. The engine sanitises orders (clips shares, ignores impossible requests) so no
controller can break the rules, and reports what it could not honour.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from ..level.schema import LOBBY_GOALS

LAB_ORDER_FIELDS = (
    "build_mw", "onsite_mw", "ppa_mw", "train", "serve", "research", "focus_efficiency",
    "focus_reasoning", "focus_safety", "price_level", "hire_usd", "retention_usd", "lobby_usd", "intel_usd",
    "cap_capability", "security", "publish_safety", "rent_usd",
)
LAB_ORDER_FLAGS = ("open_weights", "raise_round", "seek_state", "partner_deal", "token_financing", "commit_pause")


@dataclass
class LabOrders:
    chip_usd: np.ndarray  # (R, L, K) money offered for each chip class
    build_mw: np.ndarray  # (R, L) new data-centre capacity to start
    build_grid: np.ndarray  # (R, L) grid index where it goes (must be in the lab's country)
    onsite_mw: np.ndarray  # on-site generation to install at that grid
    ppa_mw: np.ndarray  # part of the new capacity backed by a power purchase agreement
    train: np.ndarray  # compute split (normalised by the engine)
    serve: np.ndarray
    research: np.ndarray
    focus_efficiency: np.ndarray  # research focus (normalised by the engine)
    focus_reasoning: np.ndarray
    focus_safety: np.ndarray
    run_turns: np.ndarray  # length of the current training run, turns (ship sooner or train bigger)
    cap_capability: np.ndarray  # train no model beyond this capability (a pause); 0 or less: no cap
    security: np.ndarray  # security level wanted for its model weights, 1..5 (one level a turn)
    publish_safety: np.ndarray  # share of its safety research it publishes, 0..1
    rent_usd: np.ndarray  # money for compute rented abroad this turn (cloud capacity in third countries)
    commit_pause: np.ndarray  # a public commitment to pause without good odds of a safe passage
    open_weights: np.ndarray  # release the next model openly
    price_level: np.ndarray  # 1 = par with the market
    raise_round: np.ndarray
    seek_state: np.ndarray
    partner_deal: np.ndarray
    token_financing: np.ndarray
    hire_usd: np.ndarray
    retention_usd: np.ndarray
    lobby_usd: np.ndarray
    intel_usd: np.ndarray  # intelligence on rivals (sharper views in fog-of-war games)
    lobby_goal: np.ndarray  # index into LOBBY_GOALS

    def column(self, lab: int) -> "LabOrders":
        """One lab's orders (arrays over replicas), a view for inspection."""
        return replace(self, **{f.name: getattr(self, f.name)[:, lab] for f in fields(self)})

    def set_column(self, lab: int, values: dict) -> None:
        """Overwrite one lab's orders; ``values`` maps field names to scalars or (R,) arrays."""
        for name, value in values.items():
            target = getattr(self, name)
            target[:, lab] = value

    def set_columns(self, labs, values: dict) -> None:
        """Overwrite several labs' orders; values are (R, S) arrays ((R, S, K) for chip_usd).

        When the labs are every slot in order (a batch of AI-only games), an array the plan
        made for this turn (it owns its memory, so it is nobody else's) is taken as it is
        rather than copied in."""
        labs = np.asarray(labs, dtype=np.int64)
        every = np.array_equal(labs, np.arange(self.build_mw.shape[1]))
        for name, value in values.items():
            target = getattr(self, name)
            if (every and isinstance(value, np.ndarray) and value.base is None and value.flags.writeable
                    and value.shape == target.shape and value.dtype == target.dtype):
                setattr(self, name, value)
            else:
                target[:, labs] = value

    def take_plan(self, labs, plan: dict) -> None:
        """Take ``labs``' orders from a plan made for every slot (field -> (R, L) array, or
        (R, L, K) for chip_usd; the plan is not changed), keeping the other slots' orders.

        A game with one lab steered by a person plans the rest: the plan's arrays are copied
        whole and that lab's column put back, rather than gathering and scattering every
        other column."""
        labs = np.asarray(labs, dtype=np.int64)
        others = np.setdiff1d(np.arange(self.build_mw.shape[1]), labs)
        for name, value in plan.items():
            target = getattr(self, name)
            merged = np.empty_like(target)
            merged[...] = value  # the plan's values (broadcast, as the field's type)
            merged[:, others] = target[:, others]
            setattr(self, name, merged)

    def to_json(self, replica: int = 0) -> list[dict]:
        """Per-lab plain values of one replica, for saves and logs."""
        out = []
        for lab in range(self.build_mw.shape[1]):
            row = {f.name: getattr(self, f.name)[replica, lab].tolist() for f in fields(self)}
            out.append(row)
        return out


@dataclass
class GovOrders:
    export_tier: np.ndarray  # (R, C) int 0..3
    enforcement: np.ndarray
    subsidy: np.ndarray  # USD per turn shared among the country's labs
    permitting: np.ndarray
    regulation: np.ndarray
    pool: np.ndarray  # (R, C) share of its other labs' powered compute pooled in one lab, 0..pool_max
    start_mega: np.ndarray  # bool: launch the national compute project now
    retaliation: np.ndarray  # bool
    intel_usd: np.ndarray  # (R, C) intelligence services' spending on rival labs this turn
    tracking: np.ndarray  # (R, C) chip-location verification on its chips
    inspections: np.ndarray  # (R, C) inspections it accepts under a pause, 0..1
    propose: np.ndarray  # (R, C) agreement to propose: 0 none, 1 pause, 2 safety standards, 3 a pause alone
    sign: np.ndarray  # (R, C, A) sign (or stay in) each agreement
    leave: np.ndarray  # (R, C, A) leave each agreement
    cheat: np.ndarray  # (R, C) secretly let its labs past a pause's cap
    reaction_wait: np.ndarray  # (R, Q) turns before each reaction rule may fire again


@dataclass
class GridOrders:
    invest: np.ndarray  # (R, N, 3) new generation to start: gas, solar_storage, nuclear (MW nameplate)
    approvals: np.ndarray  # (R, N) interconnection MW to approve this turn


@dataclass
class Orders:
    labs: LabOrders
    govs: GovOrders
    grids: GridOrders
    injects: np.ndarray | None = None  # (R, E) events a facilitator makes happen this turn


def hold_orders(state, rules) -> Orders:
    """Orders that change nothing: no spending, current policies, default splits."""
    R, L = state.alive.shape
    K, N = len(rules.chip_ids), len(rules.grid_ids)
    zeros = np.zeros((R, L))
    first_grid = np.take(rules_first_grid(rules), state.country)
    labs = LabOrders(
        chip_usd=np.zeros((R, L, K)),
        build_mw=zeros.copy(),
        build_grid=first_grid,
        onsite_mw=zeros.copy(),
        ppa_mw=zeros.copy(),
        train=np.full((R, L), 0.5),
        serve=np.full((R, L), 0.35),
        research=np.full((R, L), 0.15),
        focus_efficiency=np.full((R, L), 0.4),
        focus_reasoning=np.full((R, L), 0.4),
        focus_safety=np.full((R, L), 0.2),
        run_turns=np.broadcast_to(rules.lab_run_turns, (R, L)).astype(np.int64).copy(),
        cap_capability=zeros.copy(),
        security=state.security.astype(float),
        publish_safety=zeros.copy(),
        rent_usd=zeros.copy(),
        commit_pause=state.committed.copy(),
        open_weights=state.model_open.copy(),
        price_level=np.ones((R, L)),
        raise_round=np.zeros((R, L), dtype=bool),
        seek_state=np.zeros((R, L), dtype=bool),
        partner_deal=np.zeros((R, L), dtype=bool),
        token_financing=np.zeros((R, L), dtype=bool),
        hire_usd=zeros.copy(),
        retention_usd=zeros.copy(),
        lobby_usd=zeros.copy(),
        intel_usd=zeros.copy(),
        lobby_goal=np.zeros((R, L), dtype=np.int64),
    )
    govs = GovOrders(
        export_tier=state.export_tier.copy(),
        enforcement=state.enforcement.copy(),
        subsidy=state.subsidy.copy(),
        permitting=state.permitting.copy(),
        regulation=state.regulation.copy(),
        pool=state.pool.copy(),
        start_mega=np.zeros_like(state.mega_started),
        retaliation=state.retaliation.copy(),
        intel_usd=state.spy_usd.copy(),
        tracking=state.tracking.copy(),
        inspections=state.inspections.copy(),
        propose=np.zeros(state.tracking.shape, dtype=np.int64),
        sign=state.treaty_members.transpose(0, 2, 1).copy(),
        leave=np.zeros(state.treaty_members.transpose(0, 2, 1).shape, dtype=bool),
        cheat=state.cheating.copy(),
        reaction_wait=np.maximum(state.reaction_wait - 1, 0),
    )
    grids = GridOrders(invest=np.zeros((R, N, 3)), approvals=np.broadcast_to(rules.at(state.turn)["approvals"], (R, N)).copy())
    return Orders(labs=labs, govs=govs, grids=grids)


def rules_first_grid(rules) -> np.ndarray:
    """(C,) index of each country's first grid (where new labs rent space)."""
    first = np.zeros(len(rules.country_ids), dtype=np.int64)
    for c in range(len(rules.country_ids)):
        matches = np.flatnonzero(rules.grid_country == c)
        first[c] = matches[0] if len(matches) else 0
    return first


LOBBY_NONE = LOBBY_GOALS.index("none")
