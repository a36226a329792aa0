"""Every screen by name: the one module that knows them all.

Screens open each other by route name through their host (``host.push("ledger")``); the
app turns a name into a screen here. Only the app (and tools outside the screen stack)
import this module, so the screens form no import circle among themselves.
"""

from __future__ import annotations

from . import hotseat
from .briefing import BriefingScreen
from .class_summary import ClassroomSummaryScreen
from .classroom_setup import ClassroomBriefingScreen, ClassroomSetupScreen
from .dialogs import ConfirmScreen, MessageScreen
from .end import EndScreen
from .event_log import EventLogScreen
from .facilitator import FacilitatorPanel, PausedScreen
from .futures import FuturesScreen
from .government import GovernmentScreen
from .help import HelpOverlay
from .ledger import LedgerScreen
from .load import LoadScreen
from .main_game import MainGameScreen
from .new_game import NewGameScreen
from .pause import PauseScreen
from .projector import ProjectorScreen
from .save import SaveScreen
from .settings import SettingsScreen
from .team_decisions import TeamDecisionsScreen
from .team_lab import TeamLabScreen
from .title import TitleScreen
from .turn_summary import TurnSummaryScreen
from .tutorial import TutorialOverlay

SCREENS = (BriefingScreen, ClassroomSummaryScreen, ClassroomBriefingScreen, ClassroomSetupScreen, ConfirmScreen,
           MessageScreen, EndScreen, EventLogScreen, FacilitatorPanel, PausedScreen, FuturesScreen, GovernmentScreen,
           HelpOverlay, hotseat.HandOverScreen, LedgerScreen, LoadScreen, MainGameScreen, NewGameScreen, PauseScreen,
           ProjectorScreen, SaveScreen, SettingsScreen, TeamDecisionsScreen, TeamLabScreen, TitleScreen, TurnSummaryScreen, TutorialOverlay)
ROUTES = {cls.name: cls for cls in SCREENS}

# Steps between screens that something outside the screens starts: a classroom countdown
# runs out (the session's clock notices, whatever screen is on top); attract mode starts a
# classroom game's first turn.
FLOWS = {"time_up": hotseat.time_up, "start_turn": hotseat.start_turn}
