"""The level format: every key a level file may hold, its type, range, default and meaning.

Rates that are about time are written per year (or in months) so that a level may change
``time.months_per_turn`` without re-tuning; the engine converts them to per-turn figures.
"""

from __future__ import annotations

from .fields import Bool, ListOf, MapOf, Num, Str, Table, TableList

ID = r"[a-z][a-z0-9_]{0,31}"
ARCHETYPES = (
    "rapid_builder",
    "commercial_leader",
    "open_weights",
    "safety_first",
    "efficiency_innovator",
    "national_champion",
)
GENERATION_KINDS = ("gas", "solar_storage", "nuclear")
LOBBY_GOALS = ("none", "loosen_controls", "tighten_controls", "permitting", "deregulate", "subsidy")

CONDITIONS = (
    "always",
    "turn_at_least",
    "rival_share_above",
    "lead_below",
    "lead_above",
    "controls_against_us_at_least",
    "power_bound_share_above",
    "incidents_at_least",
    "lagging_by_more_than",
    "milestone_at_least",
    "rival_milestone_at_least",
    "tension_above",
)
ACTIONS = (
    "raise_export_tier",
    "lower_export_tier",
    "raise_enforcement",
    "lower_enforcement",
    "raise_subsidy",
    "cut_subsidy",
    "faster_permitting",
    "tighten_regulation",
    "loosen_regulation",
    "start_mega_project",
    "retaliate",
    "end_retaliation",
)
EFFECTS = (
    "chip_supply",
    "chip_price",
    "grid_capacity",
    "export_tier",
    "enforcement",
    "subsidy",
    "permitting",
    "regulation",
    "retaliation",
    "mega_project",
    "algo_breakthrough",
    "market",
    "talent",
    "cash",
    "incident",
    "supply_capacity",
    "steal_model",
)


def _n(doc, default=None, lo=None, hi=None, unit="", integer=False):
    from .fields import REQUIRED

    return Num(doc=doc, default=REQUIRED if default is None else default, lo=lo, hi=hi, unit=unit, integer=integer)


def _id(doc):
    return Str(doc=doc, pattern=ID, max_len=32)


def _text(doc, default=""):
    return Str(doc=doc, default=default)


STAGE = Table(
    fields={
        "from_turn": _n("first turn of this stage", None, 1, 400, integer=True),
        "months_per_turn": _n("months a turn lasts from then on", None, 1, 12, integer=True),
    }
)

TIME = Table(
    doc="The calendar.",
    fields={
        "start": Str(doc="first turn's month, YYYY-MM", pattern=r"(19|20|21)\d\d-(0[1-9]|1[0-2])"),
        "months_per_turn": _n("months a turn lasts (in the first stage)", 3, 1, 12, integer=True),
        "horizon_turns": _n("turns before the game is scored", None, 1, 400, integer=True),
        "stages": TableList(doc="later stages with longer (or shorter) turns, e.g. half-years from 2030", row=STAGE, key=None,
                            default=[], max_len=8),
    },
)

MILESTONE = Table(
    fields={
        "id": _id("milestone id"),
        "name": _text("display name"),
        "gap_oom": _n("median capability (OOM of effective training FLOP) above the previous milestone; the first: above "
                      "the best lab at the start", None, 0.05, 20),
        "shape": _n("spread of that gap: log-logistic shape (the 90th percentile is 9^shape times the median)", 0.3, 0.01, 1),
        "labour_multiplier": _n("extra research labour automation gives a lab whose model has passed it (1 = doubles)", 0.0, 0, 100),
        "safety_need": _n("safety stock an even chance of a safe passage needs in a calm race", None, 0, 100),
        "market_multiplier": _n("growth of AI spending once the world's best model has passed it", 1.0, 0.1, 10),
    }
)

_DEFAULT_LADDER = [
    {"id": "coder", "name": "Automated coder", "gap_oom": 4.2, "shape": 0.3, "labour_multiplier": 1.0, "safety_need": 1.0,
     "market_multiplier": 1.5},
    {"id": "researcher", "name": "Automated AI researcher", "gap_oom": 0.8, "shape": 0.4, "labour_multiplier": 4.0,
     "safety_need": 2.0, "market_multiplier": 1.5},
    {"id": "superhuman", "name": "Superhuman AI researcher", "gap_oom": 0.8, "shape": 0.4, "labour_multiplier": 15.0,
     "safety_need": 3.0, "market_multiplier": 1.5},
    {"id": "agi", "name": "AGI", "gap_oom": 0.8, "shape": 0.4, "labour_multiplier": 40.0, "safety_need": 4.0,
     "market_multiplier": 2.0},
]

TIMELINE = Table(
    doc="What AGI takes: a ladder of milestones, each at an uncertain capability drawn per game; the last one is AGI.",
    fields={
        "milestones": TableList(doc="the ladder, in order; the last is AGI", row=MILESTONE, default=_DEFAULT_LADDER,
                                min_len=1, max_len=8),
        "quantile": _n("-1: each game draws its own requirements; 0..1: every game takes this quantile of each "
                       "milestone's distribution (a classroom's fixed world)", -1.0, -1, 1),
        "pace_reference_oom_per_year": _n("a lab's pace (OOM a year of its best model) at which passages need the calm "
                                          "amount of safety", 1.0, 0.01, 20),
        "pace_exponent": _n("how the safety a passage needs grows with pace (need x pace^exponent)", 0.5, 0, 3),
        "pressure_min": _n("least multiple of the calm need (a lab that has slowed right down)", 0.6, 0.1, 1),
        "pressure_max": _n("largest multiple of the calm need from pace alone", 2.5, 1, 20),
        "race_pressure": _n("extra need when the nearest rival is level (falls as the lead grows)", 0.5, 0, 10),
        "race_lead_oom": _n("lead (OOM) over the nearest rival that takes most of that extra need away", 0.5, 0.01, 10),
        "passage_spread": _n("how sharply a passage's safe chance rises with safety above the need", 0.3, 0.01, 10),
        "automation_h100e": _n("research compute at which automated researchers reach half their labour multiplier", 1e5, 1),
        "safety_automation": _n("share of the labour multiplier that helps safety research", 0.5, 0, 1),
        "withdraw_oom": _n("how far below a milestone a model falls when withdrawn after a failed passage, at least "
                            "(the lab's last checkpoint falls up to run_noise further)", 0.1, 0, 5),
    },
)

VICTORY = Table(
    doc="How the game is scored at the horizon (when nobody has reached AGI).",
    fields={
        "score_capability": _n("horizon score per OOM of capability above the field's median", 1.0, 0, 100),
        "score_market": _n("horizon score for 100% market share", 2.0, 0, 100),
        "score_cash": _n("horizon score per 10x cash", 0.3, 0, 100),
        "score_safety": _n("horizon score per unit of safety stock", 0.5, 0, 100),
    },
)

MARKET = Table(
    fields={
        "id": _id("market id"),
        "name": _text("display name"),
        "usd_per_year": _n("spending on AI models at the start", None, 0, unit="USD/yr"),
        "access": MapOf(doc="country id = share of the market its labs' closed models may reach (0..1)", value=Num(lo=0, hi=1)),
    }
)

SUPPLY = Table(
    doc="An input every chip made with it draws on: advanced-node wafers, advanced packaging, high-bandwidth memory.",
    fields={
        "id": _id("supply input id"),
        "name": _text("display name"),
        "country": _id("country id of the government whose export controls cover it"),
        "units_per_turn": _n("good units it makes per turn at the start (a chip needs some units of each input)", None, 0, 1e12),
        "growth_per_year": _n("yearly growth of its capacity at the start (0.5 = +50%)", 0.0, -0.9, 10),
        "growth_halflife_years": _n("years over which that growth rate halves, as new factories get harder to add (0: it never slows)",
                                    0.0, 0, 100),
        "yield": _n("share of its output that is good at the start", 1.0, 0.01, 1),
        "yield_gain_per_year": _n("yearly gain in that share (up to 1)", 0.0, 0, 1),
        "control_tier": _n("its country's export tier at which chips made in a controlled country lose it (0: never)", 0, 0, 3, integer=True),
        "substitute": Str(doc="id of the input such chips use instead when they lose it ('': none; only a smuggled share gets through)",
                          default="", pattern=r"([a-z][a-z0-9_]{0,31})?"),
        "tool_tier": _n("a rival's export tier against its country at which tool controls slow its growth (0: none)", 0, 0, 3, integer=True),
        "tool_penalty": _n("share of its growth lost while tool controls hold", 0.0, 0, 1),
    },
)

CHIP = Table(
    fields={
        "id": _id("chip class id"),
        "name": _text("display name"),
        "producer": _id("country id of the government that controls its export"),
        "perf_train": _n("training throughput in H100-equivalents", None, 0, 100),
        "perf_infer": _n("inference throughput in H100-equivalents", None, 0, 100),
        "power_w": _n("chip power draw", None, 1, 10000, unit="W"),
        "tpp": _n("total processing performance, the export-control metric", 0, 0),
        "price_usd": _n("price per chip at the start", None, 1, 1e9, unit="USD"),
        "inputs": MapOf(doc="supply input id = units of it one chip needs (none: the chip has its own production line)",
                        value=Num(lo=0, hi=100), default={}),
        "supply_per_turn": _n("chips its own production line makes per turn at the start (chips without inputs)", 0, 0, 1e10),
        "supply_growth_per_year": _n("yearly growth of that line (0.5 = +50%)", 0.0, -0.99, 20),
        "available_turn": _n("first turn it can be bought (with an uncertain date: the median)", 0, 0, 400, integer=True),
        "arrival_shape": _n("how uncertain that date is: 0 a known date; above 0 each game draws it, log-logistic in "
                            "years from the start (the 90th percentile is 9^shape times the median); one draw per "
                            "producing country, so its uncertain classes come early or late together", 0.0, 0, 1),
        "tool_tier": _n("a rival's export tier whose tools controls keep the producer from buying the tools this class "
                        "is made with (0: none); below it the tools are bought and the class comes soon", 0, 0, 3, integer=True),
        "tools_bought_years": _n("years after those tools controls lift within which the class comes, at the latest",
                                 2.0, 0, 20),
        "control_tier": _n("the producer's export tier at which controlled countries lose legal access (0: never)", 0, 0, 3, integer=True),
        "domestic_only": Bool(doc="sold only inside the producer's country", default=False),
    }
)

PIPELINE_ITEM = Table(
    fields={
        "kind": Str(doc="generation kind", choices=GENERATION_KINDS),
        "mw": _n("firm capacity under construction", None, 0, 1e7, unit="MW"),
        "turns": _n("turns until it comes online", None, 1, 400, integer=True),
    }
)

GRID = Table(
    fields={
        "id": _id("grid region id"),
        "name": _text("display name"),
        "country": _id("country id"),
        "capacity_mw": _n("firm generation capacity", None, 1, 1e7, unit="MW"),
        "demand_mw": _n("peak demand other than the labs' data centres", None, 0, 1e7, unit="MW"),
        "demand_growth_per_year": _n("yearly growth of that demand", 0.02, -0.5, 2),
        "price_usd_per_mwh": _n("wholesale price at normal stress", None, 1, 1e4, unit="USD/MWh"),
        "reserve_target": _n("reserve margin the operator plans for", 0.15, 0, 1),
        "queue_mw": _n("interconnection requests already waiting (not from labs)", 0, 0, 1e7, unit="MW"),
        "approvals_mw_per_turn": _n("interconnection capacity the operator approves per turn", None, 0, 1e7, unit="MW"),
        "build_mw_per_year": _n("firm generation the region can add in a year (turbines, transformers, crews), shared by "
                                "the operator's plans and labs' power purchase agreements", 1e6, 0, 1e7, unit="MW"),
        "build_growth_per_year": _n("yearly growth of that limit", 0.0, -0.5, 5),
        "other_requests_mw_per_year": _n("new interconnection requests a year from large loads other than the labs", 0, 0, 1e7,
                                         unit="MW"),
        "carbon_t_per_mwh": _n("carbon intensity of existing generation", 0.4, 0, 2),
        "invest_appetite": _n("how much of a capacity shortfall the operator orders each turn", 0.25, 0, 2),
        "pipeline": TableList(doc="generation already under construction", row=PIPELINE_ITEM, key=None, default=[]),
        "build_mix": MapOf(doc="kind = share of new generation the operator orders (gas, solar_storage, nuclear)", value=Num(lo=0, hi=1),
                           default={"gas": 0.5, "solar_storage": 0.4, "nuclear": 0.1}),
        "x": _n("map position, 0..1 left to right", 0.5, 0, 1),
        "y": _n("map position, 0..1 top to bottom", 0.5, 0, 1),
    }
)

REACTION = Table(
    fields={
        "when": Str(doc="what the government watches", choices=CONDITIONS),
        "threshold": _n("the level that triggers it", 0.0),
        "then": Str(doc="what it does", choices=ACTIONS),
        "amount": _n("size of the step (tiers, 0..1 levels, USD, or multiplier)", 1.0, 0),
        "chance": _n("probability per turn that it acts when the condition holds", 1.0, 0, 1),
        "cooldown_turns": _n("turns before this reaction may fire again", 4, 0, 400, integer=True),
    }
)

GOVERNMENT = Table(
    fields={
        "id": _id("country id, used by labs, grids and chips"),
        "name": _text("display name"),
        "adjective": _text("adjective for news text", ""),
        "controls_target": ListOf(doc="countries its export controls apply to", item=Str(pattern=ID), default=[]),
        "export_tier": _n("export-control tier: 0 none, 1 advanced chips, 2 density rules, 3 HBM and downgraded chips", 0, 0, 3, integer=True),
        "hold_export_tier": Bool(doc="keep the export tier fixed: no reaction or lobbying changes it (for what-if studies)", default=False),
        "enforcement": _n("enforcement against smuggling, 0..1", 0.5, 0, 1),
        "subsidy_usd_per_turn": _n("subsidies shared among its labs each turn", 0, 0, 1e13, unit="USD"),
        "investor_capital_usd_per_year": _n("money its investors put into AI labs' rounds in a year at the start (grows with the "
                                            "AI market); rounds that close in a turn share it", 1e11, 0, 1e14, unit="USD"),
        "permitting": _n("multiplier on interconnection approvals in its grids", 1.0, 0.1, 10),
        "regulation": _n("safety regulation, 0..1: forces safety research and slows release", 0.0, 0, 1),
        "mega_project_mw": _n("size of a national compute project, once started", 0, 0, 1e6, unit="MW"),
        "mega_project_usd": _n("public money for chips for that project", 0, 0, unit="USD"),
        "mega_project_started": Bool(doc="the project is already under way", default=False),
        "spy_usd_per_turn": _n("what its intelligence services spend on rival labs each turn at the start", 0, 0, 1e13, unit="USD"),
        "cloud_controls": _n("share of third countries' cloud capacity its rules close to labs of the countries its "
                             "export controls cover (know-your-customer rules for cloud providers), 0..1", 0.0, 0, 1),
        "chip_tracking": Bool(doc="chip-location verification on its chips at the start (cuts smuggling, verifies agreements)",
                              default=False),
        "cooperation": _n("AI: how readily it proposes and signs agreements (0..1)", 0.3, 0, 1),
        "temptation": _n("AI: how readily it cheats on a pause when it thinks it will not be caught (0..1)", 0.2, 0, 1),
        "restraint_lead_oom": _n("AI: the lead over its nearest rival (OOM) at which it may pause its own labs alone "
                                 "while they are not ready for their next milestone; it resumes once the lead falls to "
                                 "40% of this (0: never pauses alone)", 0.0, 0, 5),
        "retaliation": Bool(doc="critical-mineral export ban against the countries that control it", default=False),
        "pool_max": _n("the largest share of its other labs' powered compute it may direct to one lab (its state-backed "
                       "champion, else its most capable lab): a national compute pool, 0 (not in its power) to 1", 0.0, 0, 1),
        "reactions": TableList(doc="rules it follows, checked in order each turn", row=REACTION, key=None, default=[]),
    }
)

DATA_CENTRE = Table(
    fields={
        "grid": _id("grid region id"),
        "mw": _n("connected, powered data-centre capacity", None, 0, 1e6, unit="MW"),
        "onsite_mw": _n("on-site generation at the site", 0, 0, 1e6, unit="MW"),
    }
)

CONSTRUCTION = Table(
    fields={
        "grid": _id("grid region id"),
        "mw": _n("capacity under construction", None, 0, 1e6, unit="MW"),
        "turns": _n("turns until it is finished (less than the lab's build time)", None, 1, 400, integer=True),
        "approved_share": _n("share of its MW whose grid connection is already approved; the rest waits in the "
                             "grid's queue like any new request", 1.0, 0, 1),
    }
)

LAB = Table(
    fields={
        "id": _id("lab id"),
        "name": _text("display name"),
        "country": _id("country id"),
        "archetype": Str(doc="AI personality", choices=ARCHETYPES),
        "blurb": _text("one line for the lab picker"),
        "cash_usd": _n("cash at the start", None, 0, unit="USD"),
        "chips": MapOf(doc="chip class id = chips owned", value=Num(lo=0, hi=1e10), default={}),
        "data_centres": TableList(doc="sites it runs", row=DATA_CENTRE, key=None, default=[]),
        "construction": TableList(doc="data centres already being built", row=CONSTRUCTION, key=None, default=[]),
        "build_speed": _n("multiplier on data-centre construction speed", 1.0, 0.25, 8),
        "efficiency": _n("algorithmic efficiency, log10 multiplier on training compute", 0.0, -3, 5),
        "capability": _n("best model, log10 effective training FLOP", None, 15, 40),
        "reasoning": _n("reasoning (post-training) bonus, OOM-equivalents", 0.0, 0, 5),
        "safety": _n("safety/alignment stock", 0.2, 0, 100),
        "talent": _n("research talent index (1 = a strong frontier team)", 1.0, 0.01, 10),
        "reputation": _n("trust of customers and investors, 1 = neutral", 1.0, 0.1, 3),
        "parent_funding_usd_per_turn": _n("money a parent business puts in each turn while it believes in the lab", 0, 0, unit="USD"),
        "parent_budget_usd": _n("the most the parent will put in over the game (0: twenty turns of funding)", 0, 0, unit="USD"),
        "parent_patience_oom": _n("how far (OOM) the lab may trail the frontier before the parent starts cutting its funding "
                                  "(none at twice this)", 1.0, 0.05, 10),
        "distribution": _n("reach of its products and channels (search, apps, cloud, devices): weight in buyers' choice", 1.0, 0.1, 10),
        "partner_revenue_share": _n("share of revenue owed to a cloud partner", 0.0, 0, 0.9),
        "open_weights": Bool(doc="releases its models openly", default=False),
        "run_turns": _n("turns a frontier training run takes", 2, 1, 12, integer=True),
        "state_backed": Bool(doc="its government treats it as a national champion", default=False),
        "playable": Bool(doc="a player may steer it", default=True),
        "security_level": _n("security of its model weights at the start, 1 (amateur attackers) to 5 (top nation-state "
                             "operations)", 2, 1, 5, integer=True),
    }
)

FOUNDERS = Table(
    doc="Labs founded mid-game by people who leave.",
    fields={
        "slots": _n("how many new labs may appear in one game", 3, 0, 8, integer=True),
        "names": MapOf(doc="country id = list of names for new labs", value=ListOf(item=Str()), default={}),
        "seed_usd": _n("cash a new lab raises at founding", 2e9, 0, unit="USD"),
        "talent_share": _n("share of the parent's talent that leaves with the founders", 0.2, 0, 0.9),
        "rented_mw": _n("data-centre capacity a new lab rents on day one", 60, 0, 1e6, unit="MW"),
    },
)

EVENT = Table(
    fields={
        "id": _id("event id"),
        "title": _text("headline"),
        "news": _text("news text shown when it happens"),
        "turn": _n("scripted: the turn it happens on (-1: random)", -1, -1, 400, integer=True),
        "probability": _n("random: chance per turn", 0.0, 0, 1),
        "first_turn": _n("random: earliest turn", 0, 0, 400, integer=True),
        "last_turn": _n("random: latest turn", 400, 0, 400, integer=True),
        "once": Bool(doc="random: happens at most once a game", default=True),
        "on_demand": Bool(doc="happens only when a facilitator injects it (no turn, no probability)", default=False),
        "effect": Str(doc="what it changes", choices=EFFECTS),
        "target": Str(doc="id of the chip, grid, government or lab it hits; a country id picks one of its labs", default=""),
        "amount": _n("size of the effect (see the effect list)", 0.0),
        "duration_turns": _n("turns a temporary effect lasts (0: permanent)", 0, 0, 400, integer=True),
    }
)

_ARCHETYPE_FIELDS = {
    "capex_share": ("share of spare cash invested each turn", 0, 1),
    "dc_share": ("share of capital spending that goes to data centres rather than chips", 0, 1),
    "onsite_share": ("share of new data-centre capacity given on-site generation", 0, 1),
    "ppa_share": ("share of new capacity backed by a power purchase agreement", 0, 1),
    "train": ("compute split: training", 0, 1),
    "serve": ("compute split: serving customers", 0, 1),
    "research": ("compute split: research experiments", 0, 1),
    "focus_efficiency": ("research focus: efficiency", 0, 1),
    "focus_reasoning": ("research focus: reasoning", 0, 1),
    "focus_safety": ("research focus: safety", 0, 1),
    "price_level": ("price relative to the market (1 = par)", 0.2, 3),
    "raise_below_turns": ("raises a round when cash covers fewer turns of spending than this", 0, 100),
    "hire_share": ("share of payroll spent hiring each turn", 0, 1),
    "retention_share": ("share of payroll spent on retention", 0, 1),
    "lobby_share": ("share of payroll spent lobbying", 0, 1),
    "risk": ("appetite for racing ahead of safety (0 cautious .. 1 reckless)", 0, 1),
    "publish_share": ("share of its safety research it publishes", 0, 1),
}
_ARCHETYPE_FLAGS = {
    "open_weights": "releases open weights",
    "seeks_state_backing": "asks its government for backing when short of cash",
    "partner_deals": "takes cloud-partner deals",
    "token_financing": "uses token financing when short of cash",
    "commits": "commits in public to pause rather than pass a milestone unprepared",
}
# Default personalities; a level may override any number.
_PERSONALITIES = {
    "rapid_builder": dict(capex_share=0.8, dc_share=0.3, onsite_share=0.6, ppa_share=0.0, train=0.65, serve=0.25, research=0.10,
                          focus_efficiency=0.3, focus_reasoning=0.6, focus_safety=0.1, price_level=0.9, raise_below_turns=6,
                          hire_share=0.05, retention_share=0.02, lobby_share=0.01, risk=0.9, publish_share=0.0, lobby_goal="permitting"),
    "commercial_leader": dict(capex_share=0.55, dc_share=0.2, onsite_share=0.1, ppa_share=0.2, train=0.45, serve=0.4, research=0.15,
                              focus_efficiency=0.35, focus_reasoning=0.5, focus_safety=0.15, price_level=1.2, raise_below_turns=5,
                              hire_share=0.08, retention_share=0.08, lobby_share=0.02, risk=0.6, publish_share=0.1, lobby_goal="deregulate",
                              partner_deals=True),
    "open_weights": dict(capex_share=0.6, dc_share=0.3, onsite_share=0.1, ppa_share=0.3, train=0.5, serve=0.25, research=0.25,
                         focus_efficiency=0.45, focus_reasoning=0.45, focus_safety=0.1, price_level=0.5, raise_below_turns=0,
                         hire_share=0.08, retention_share=0.04, lobby_share=0.01, risk=0.6, publish_share=0.3, lobby_goal="loosen_controls",
                         open_weights=True),
    "safety_first": dict(capex_share=0.6, dc_share=0.2, onsite_share=0.0, ppa_share=0.2, train=0.45, serve=0.35, research=0.2,
                         focus_efficiency=0.25, focus_reasoning=0.35, focus_safety=0.4, price_level=1.1, raise_below_turns=5,
                         hire_share=0.06, retention_share=0.1, lobby_share=0.02, risk=0.2, publish_share=0.6, lobby_goal="tighten_controls",
                         partner_deals=True, commits=True),
    "efficiency_innovator": dict(capex_share=0.4, dc_share=0.2, onsite_share=0.0, ppa_share=0.0, train=0.45, serve=0.25, research=0.3,
                                 focus_efficiency=0.65, focus_reasoning=0.3, focus_safety=0.05, price_level=0.4, raise_below_turns=3,
                                 hire_share=0.05, retention_share=0.06, lobby_share=0.0, risk=0.6, publish_share=0.2, open_weights=True,
                                 seeks_state_backing=True),
    "national_champion": dict(capex_share=0.6, dc_share=0.3, onsite_share=0.1, ppa_share=0.1, train=0.5, serve=0.3, research=0.2,
                              focus_efficiency=0.45, focus_reasoning=0.4, focus_safety=0.15, price_level=0.8, raise_below_turns=4,
                              hire_share=0.06, retention_share=0.05, lobby_share=0.02, risk=0.7, publish_share=0.05, lobby_goal="subsidy",
                              seeks_state_backing=True),
}


ROLE = Table(
    fields={
        "seat": _id("the lab or government a team steers"),
        "title": _text("the team's name in the game", ""),
        "brief": _text("what this team wants and what it controls", ""),
    }
)

PROMPT = Table(
    fields={
        "turn": _n("the turn after which the class stops to discuss", None, 0, 400, integer=True),
        "text": _text("the question to put to the class"),
    }
)


def _archetype(name):
    values = _PERSONALITIES[name]
    fields = {key: _n(doc, values[key], lo, hi) for key, (doc, lo, hi) in _ARCHETYPE_FIELDS.items()}
    fields.update({key: Bool(doc=doc, default=values.get(key, False)) for key, doc in _ARCHETYPE_FLAGS.items()})
    fields["lobby_goal"] = Str(doc="what it lobbies for", choices=LOBBY_GOALS, default=values.get("lobby_goal", "none"))
    return Table(doc=f"How an AI-steered {name.replace('_', ' ')} plays.", fields=fields)


def _rates(doc, fields):
    return Table(doc=doc, fields=fields)


RULES = Table(
    doc="Tuning constants of the simulation. Every one has a default; a level overrides what it needs.",
    fields={
        "compute": _rates(
            "Chips to FLOP.",
            {
                "flop_per_h100e": _n("dense FLOP/s of one H100-equivalent", 9.89e14, 1e12, 1e18),
                "utilisation": _n("model FLOP utilisation of a well-run cluster", 0.3, 0.01, 1),
                "training_gain_per_year": _n("yearly gain in training FLOP per rated chip FLOP (lower precision, better kernels)", 0.45, 0, 5),
                "server_overhead": _n("IT power per watt of chip (servers, network)", 1.8, 1, 5),
                "pue": _n("data-centre power usage effectiveness", 1.3, 1, 3),
                "chip_retire_per_year": _n("share of chips retired each year", 0.1, 0, 1),
                "multi_site": _n("share of a lab's other sites a frontier run can use besides its largest", 0.3, 0, 1),
                "talent_need": _n("talent a 100,000-H100e cluster needs to run at full utilisation", 0.6, 0, 10),
                "talent_need_exponent": _n("how the talent need grows with cluster size", 0.25, 0, 2),
            },
        ),
        "chips": _rates(
            "The chip market.",
            {
                "price_decline_per_year": _n("yearly list-price decline of a chip class", 0.08, 0, 0.5),
                "price_response": _n("price elasticity to excess demand", 0.5, 0, 5),
                "max_price_step": _n("largest price rise in one turn", 0.3, 0, 5),
                "smuggle_share": _n("share of a controlled class's possible output smugglers divert through third countries "
                                    "at the starting premium with no enforcement (falls with the square of enforcement)", 0.12, 0, 1),
                "smuggle_premium": _n("smugglers' premium over the list price at the start, and its floor", 0.6, 0, 10),
                "smuggle_premium_max": _n("highest premium smugglers can ask", 2.0, 0, 20),
                "smuggle_elasticity": _n("how smuggled volume grows with the premium (volume x premium^elasticity)", 1.0, 0, 5),
                "retaliation_cost": _n("chip price rise from a critical-mineral ban", 0.15, 0, 5),
                "ops_per_year": _n("yearly operating cost as a share of chip value", 0.04, 0, 1),
                "max_spend_share": _n("largest share of its cash a lab may spend on chips per turn", 0.9, 0, 1),
                "rent_usd_per_h100e_year": _n("price of renting an H100-equivalent abroad for a year (cloud in third "
                                              "countries)", 20000, 1, 1e7, unit="USD"),
                "rent_capacity_h100e": _n("cloud capacity in third countries that labs can rent, at the start, "
                                          "H100-equivalents", 60000, 0, 1e10),
                "rent_growth_per_year": _n("yearly growth of that capacity", 0.5, 0, 5),
            },
        ),
        "power": _rates(
            "Data centres and grids.",
            {
                "dc_capex_usd_per_mw": _n("cost to build 1 MW of data centre", 11e6, 0),
                "dc_build_months": _n("months to build a data centre at build_speed 1", 18, 1, 120),
                "onsite_capex_usd_per_mw": _n("cost of 1 MW of on-site generation", 2.0e6, 0),
                "onsite_build_months": _n("months to install on-site generation", 9, 1, 120),
                "onsite_usd_per_mwh": _n("running cost of on-site generation", 110, 0, 1e4),
                "onsite_supply_mw_per_turn": _n("on-site generation (turbines, batteries) a country's suppliers can deliver per turn", 400, 0),
                "onsite_supply_growth_per_year": _n("yearly growth of that supply", 0.15, -0.9, 10),
                "ppa_capex_usd_per_mw": _n("a lab's contribution per MW of a power purchase agreement", 0.9e6, 0),
                "price_stress": _n("price sensitivity to grid stress", 6.0, 0, 50),
                "emergency_margin": _n("share of firm capacity a grid can find in an emergency (imports, demand response) "
                                       "before it sheds load", 0.03, 0, 1),
                "dc_curtail_weight": _n("how much more of a shortfall data centres bear than other load, per MW", 3.0, 1, 100),
                "max_price_multiple": _n("highest price multiple of the normal price", 6.0, 1, 100),
                "gas_months": _n("lead time of new gas generation", 18, 1, 400),
                "solar_storage_months": _n("lead time of solar plus storage", 30, 1, 400),
                "nuclear_months": _n("lead time of nuclear", 96, 1, 400),
                "solar_storage_credit": _n("firm-capacity credit of solar plus storage", 0.55, 0.05, 1),
                "gas_carbon": _n("carbon intensity of gas, t/MWh", 0.4, 0, 2),
            },
        ),
        "research": _rates(
            "Training and research.",
            {
                "efficiency_per_year": _n("algorithmic efficiency gain at nominal research effort, OOM/yr", 0.2, 0, 5),
                "efficiency_ceiling_oom": _n("the most algorithms can improve on the start's, OOM: a lab's own gains shrink "
                                             "as it nears it (x (1 - (efficiency / ceiling)^4))", 12, 1, 30),
                "reasoning_per_year": _n("reasoning gain at nominal effort, OOM-equivalent/yr", 0.22, 0, 5),
                "safety_per_year": _n("safety stock gain at nominal effort, per year", 0.35, 0, 20),
                "focus_exponent": _n("returns to research focus on efficiency and reasoning (1 = proportional, lower = diminishing)", 0.5, 0.1, 1),
                "nominal_research_h100e": _n("research compute that counts as nominal effort", 20000, 1),
                "efficiency_elasticity": _n("how efficiency research grows with research compute (ideas need people more "
                                            "than compute)", 0.05, 0, 0.3),
                "reasoning_elasticity": _n("how reasoning research grows with research compute (post-training at scale)", 0.2, 0, 1),
                "safety_elasticity": _n("how safety research grows with research compute", 0.1, 0, 1),
                "alignment_tax": _n("share of a training run that safety work takes at full safety focus (evaluations, "
                                    "safety training)", 0.3, 0, 1),
                "spillover_per_year": _n("share of the gap to the most efficient lab closed each year by publications", 0.15, 0, 1),
                "reasoning_spillover_per_year": _n("share of the gap to the best reasoning closed each year by published "
                                                   "recipes and distilled reasoning traces (fast followers)", 0.5, 0, 1),
                "open_diffusion": _n("extra share of that gap closed per year when the leader's weights are open", 0.3, 0, 1),
                "distill_gap": _n("how far below the best open model a lab with talent 1 can get by fine-tuning or "
                                  "distilling it, OOM (less with more talent)", 0.7, 0, 5),
                "distill_per_year": _n("how fast a lab closes that gap: share a year, at full compute and talent", 2.0, 0, 50),
                "distill_h100e": _n("compute at which a lab absorbs open models at half speed", 50000, 1),
                "run_noise": _n("spread of a training run's outcome, OOM; also how far below a line the last checkpoint "
                                 "of a run stopped by the lab's own cap, or of a withdrawn model, may fall", 0.15, 0, 2),
                "breakthrough_share": _n("share of efficiency research output that comes in breakthroughs rather than "
                                         "steadily (the expected pace is the same)", 0.85, 0, 1),
                "breakthrough_chance_per_year": _n("chance a year that a lab's efficiency research makes a "
                                                   "breakthrough", 0.15, 0, 1),
                "breakthrough_max_years": _n("the most one breakthrough can bring, in years of the lab's "
                                             "efficiency output", 6, 0.25, 10),
                "regulation_drag": _n("share of training compute lost to compliance at full regulation", 0.4, 0, 1),
            },
        ),
        "market": _rates(
            "Demand and prices for AI models.",
            {
                "growth_per_oom": _n("market growth per OOM of frontier capability, in OOM", 0.25, 0, 1),
                "adoption_per_year": _n("market growth from adoption alone, per year", 0.1, -0.9, 10),
                "capability_weight": _n("how strongly buyers' spending follows capability (OOM of weight per OOM behind the "
                                       "best model they can get)", 0.6, 0, 10),
                "price_weight": _n("price elasticity of demand (above 1: a cheaper lab takes a larger share of spending)", 1.5, 0, 10),
                "price_per_oom": _n("price drop per OOM behind the frontier, in OOM", 0.9, 0, 5),
                "share_inertia": _n("share of last turn's buyers who stay put", 0.7, 0, 0.99),
                "open_revenue_share": _n("share of an open model's use that earns its maker revenue", 0.1, 0, 1),
                "serve_usd_per_h100e_year": _n("revenue one inference H100e can serve per year", 60000, 0),
                "reasoning_serving_cost": _n("OOM more inference compute per task for each unit of reasoning bonus", 0.3, 0, 5),
            },
        ),
        "finance": _rates(
            "Money.",
            {
                "salary_usd_per_talent_year": _n("payroll per unit of talent per year", 2e9, 0),
                "revenue_multiple": _n("valuation per dollar of yearly revenue", 20, 0, 1000),
                "hype_usd": _n("valuation of a frontier lab with no revenue (grows with the square root of the AI market)", 1.5e11, 0),
                "valuation_cap_usd": _n("the largest valuation investors will accept", 1e13, 1e9),
                "round_share": _n("share of valuation sold in a funding round", 0.12, 0, 1),
                "round_chance": _n("base chance a round closes", 0.7, 0, 1),
                "round_cap_usd": _n("largest round at the start (grows with the square root of the market)", 40e9, 0),
                "raise_cooldown_months": _n("months between rounds", 6, 0, 120),
                "state_backing_usd": _n("money a government grants a lab that seeks backing", 3e9, 0),
                "partner_share_of_valuation": _n("cash from a cloud-partner deal, share of valuation", 0.06, 0, 1),
                "partner_revenue_cut": _n("revenue share a partner deal gives away", 0.08, 0, 0.35),
                "token_share_of_valuation": _n("cash from token financing, share of valuation", 0.05, 0, 1),
                "token_volatility": _n("spread of token-financing proceeds", 0.6, 0, 1),
                "token_fine_chance": _n("chance per use of a regulator's fine", 0.15, 0, 1),
                "token_fine_share": _n("the fine, as a share of the proceeds", 0.8, 0, 5),
                "subsidy_champion_weight": _n("weight of a state-backed lab in its government's subsidies", 3.0, 0, 100),
                "lobby_usd": _n("lobbying per turn that gives even odds of a policy move", 2e9, 1),
                "lobby_effect": _n("largest chance per turn that lobbying moves policy", 0.3, 0, 1),
                "lobby_fast_track": _n("the most extra weight a lab lobbying for permitting gets in its grids' approvals "
                                       "(its own projects fast-tracked), half of it at the lobbying that gives even "
                                       "odds of a policy move (0: lobbying buys no place in the queue)", 8.0, 0, 100),
                "intel_usd": _n("intelligence spending per turn that halves the noise in what a team sees of rivals", 5e8, 1),
                "intel_decay_per_year": _n("share of intelligence that goes stale each year", 0.8, 0, 1),
            },
        ),
        "talent": _rates(
            "People.",
            {
                "hire_usd_per_talent": _n("cost of one unit of talent, at talent 1", 3e9, 1e7),
                "attrition_per_year": _n("share of talent lost each year with no retention spending", 0.12, 0, 1),
                "founder_chance_per_year": _n("chance per year that founders leave a lab", 0.08, 0, 1),
                "retention_effect": _n("attrition removed by retention spending equal to payroll", 2.0, 0, 20),
            },
        ),
        "safety": _rates(
            "Incidents and the AGI gamble.",
            {
                "incident_per_year": _n("base chance per year of an incident at a lab on track", 0.05, 0, 1),
                "incident_gap_factor": _n("how fast incidents multiply as capability outruns safety", 3.0, 0, 20),
                "incident_reputation": _n("share of reputation lost in an incident", 0.15, 0, 1),
                "incident_regulation": _n("regulation added in the lab's country by an incident", 0.15, 0, 1),
                "start_capability": _n("capability at which safety needs begin", 26.0, 15, 40),
            },
        ),
        "espionage": _rates(
            "Security and espionage.",
            {
                "theft_per_year": _n("chance a year that a full-strength intelligence service takes the weights of a rival "
                                     "lab ahead of its own at security level 1 (more as the target passes milestones)", 0.08, 0, 1),
                "secrets_per_year": _n("chance a year of taking a more efficient rival's algorithmic secrets, likewise", 0.25, 0, 1),
                "secrets_share": _n("share of the efficiency gap a leak of secrets closes", 0.3, 0, 1),
                "adaptation_oom": _n("how far below the original a stolen model works once adapted, OOM", 0.3, 0, 5),
                "spy_usd": _n("intelligence spending per turn that builds half an intelligence service's strength", 1e9, 1),
                "spy_decay_per_year": _n("share of an intelligence stock that goes stale each year", 0.5, 0, 1),
                "security_cost_usd_per_turn": ListOf(doc="cost per turn of security levels 1 to 5", item=Num(lo=0, hi=1e12),
                                                     default=[0.0, 5e7, 2e8, 6e8, 1.5e9], min_len=5, max_len=5),
                "security_defence": ListOf(doc="share of attacks each security level stops, levels 1 to 5",
                                           item=Num(lo=0, hi=1), default=[0.0, 0.4, 0.65, 0.85, 0.97], min_len=5, max_len=5),
                "security_slowdown": ListOf(doc="share of research lost to each security level's procedures, levels 1 to 5",
                                            item=Num(lo=0, hi=0.9), default=[0.0, 0.01, 0.03, 0.06, 0.1], min_len=5, max_len=5),
                "security_discovery": ListOf(doc="chance a theft or leak at each security level is discovered, levels 1 to 5",
                                             item=Num(lo=0, hi=1), default=[0.2, 0.35, 0.5, 0.7, 0.9], min_len=5, max_len=5),
                "theft_tension": _n("hostility a discovered theft adds to the victim's government (0..1)", 0.4, 0, 1),
                "tension_decay_per_year": _n("share of hostility that fades in a year", 0.3, 0, 1),
            },
        ),
        "diplomacy": _rates(
            "Agreements between governments; labs' cooperative moves.",
            {
                "pause_margin_oom": _n("how far above the frontier a proposed pause caps training", 0.3, 0, 5),
                "pause_allowance_oom_per_year": _n("how fast a pause's cap rises while it is in force", 0.25, 0, 5),
                "pause_notice_months": _n("notice a member gives before leaving a pause shared with others: the pause "
                                          "binds everyone until it runs out, and everyone knows when it ends (0: it ends "
                                          "the turn the member leaves)", 0, 0, 24, unit="months"),
                "safety_floor": _n("safety regulation the members of safety standards hold at least (0..1)", 0.4, 0, 1),
                "incident_sharing": _n("share of the other members' safety research a member of safety standards gains", 0.3, 0, 1),
                "tracking_strength": _n("verification a member's chip-location tracking gives a pause", 0.5, 0, 1),
                "inspection_strength": _n("verification a member's full inspections give a pause", 0.4, 0, 1),
                "spy_detection": _n("chance a turn that intelligence alone catches a cheater far over the cap", 0.05, 0, 1),
                "detect_oom": _n("how far (OOM) over the cap a cheater's labs must be for verification to see it fully", 0.2, 0.01, 5),
                "cheat_reputation": _n("share of reputation a caught cheater's labs lose", 0.15, 0, 1),
                "cheat_tension": _n("hostility the other members feel towards a caught cheater (0..1)", 0.5, 0, 1),
                "tracking_smuggling_cut": _n("share of smuggling that chip-location tracking stops", 0.5, 0, 1),
                "publish_uptake": _n("share of published safety research every other lab takes up", 0.25, 0, 1),
                "publish_reveal": _n("share of the efficiency gap to a publisher its rivals close each turn it publishes fully",
                                     0.05, 0, 1),
                "publish_trust": _n("reputation a lab gains a turn by publishing all its safety research", 0.01, 0, 1),
                "commit_odds": _n("a public commitment promises no passage with worse safe odds than this", 0.7, 0, 1),
                "broken_reputation": _n("share of reputation a lab loses for breaking its commitment", 0.3, 0, 1),
                "alarm_decay_per_year": _n("how fast the alarm after an alignment failure fades (share a year)", 0.6, 0, 1),
            },
        ),
        "difficulty": _rates(
            "Handicaps applied to the player's lab.",
            {
                "easy_cash": _n("cash multiplier on easy", 1.5, 0.1, 10),
                "hard_cash": _n("cash multiplier on hard", 0.7, 0.1, 10),
                "easy_edge": _n("multiplier on the training compute of the player's lab on easy", 1.6, 0.1, 10),
                "hard_edge": _n("multiplier on the training compute of the player's lab on hard", 0.4, 0.1, 10),
                "easy_ai_capex": _n("AI rivals' capital-spending multiplier on easy", 0.75, 0.1, 10),
                "hard_ai_capex": _n("AI rivals' capital-spending multiplier on hard", 1.2, 0.1, 10),
            },
        ),
    },
)

LEVEL = Table(
    fields={
        "format": _n("level format version", 1, 1, 1, integer=True),
        "extends": Str(doc="id of a shipped level this one starts from, or NAME.toml, a level file in the same folder (see 'Extending a level')", default="", pattern=r"([a-z][a-z0-9_]{0,31}(\.toml)?)?"),
        "remove": ListOf(doc="entries of the extended level to drop, as 'labs.keel' or 'events.fab_fire'", item=Str(pattern=r"[a-z_]+\.[a-z][a-z0-9_]{0,31}"), default=[]),
        "id": _id("level id (the file name without .toml)"),
        "title": _text("display title"),
        "summary": _text("one paragraph shown in level lists", ""),
        "briefing": _text("the situation, the roles, what to watch", ""),
        "objectives": ListOf(doc="learning objectives or goals", item=Str(), default=[]),
        "roles": TableList(doc="seats teams can take in a classroom game (default: every playable lab)", row=ROLE, key="seat", default=[]),
        "prompts": TableList(doc="discussion prompts at checkpoints", row=PROMPT, key=None, default=[]),
        "debrief": ListOf(doc="questions for the debrief", item=Str(), default=[]),
        "time": TIME,
        "victory": VICTORY,
        "timeline": TIMELINE,
        "world": Table(
            doc="Things outside the labs.",
            fields={
                "other_compute_h100e": _n("compute owned by the rest of the world (for shares)", 0, 0),
                "other_compute_growth_per_year": _n("its yearly growth", 1.0, -0.9, 20),
                "ai_spending_cap_usd_per_year": _n("what the world could spend on AI models in a year at most: spending "
                                                   "approaches it as models get better (saturation)", 1e13, 1e9, unit="USD/yr"),
            },
        ),
        "markets": TableList(row=MARKET, min_len=1, max_len=8),
        "supply": TableList(doc="the chip supply chain's inputs", row=SUPPLY, default=[], max_len=16),
        "chips": TableList(row=CHIP, min_len=1, max_len=16),
        "grids": TableList(row=GRID, min_len=1, max_len=16),
        "governments": TableList(row=GOVERNMENT, min_len=1, max_len=8),
        "labs": TableList(row=LAB, min_len=1, max_len=24),
        "founders": FOUNDERS,
        "events": TableList(row=EVENT, default=[], max_len=200),
        "archetypes": Table(doc="AI personalities", fields={name: _archetype(name) for name in ARCHETYPES}),
        "rules": RULES,
    }
)
