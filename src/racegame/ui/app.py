"""The desktop game's window: the display, the stack of screens and the frame loop.

The app is what screens see through the ``host.Host`` protocol; it turns route names into
screens (``screens.routes``) and knows no screen itself. ``launch.run_app`` opens it.
The app owns the display and a logical canvas. With a UI scale above 100% the game is laid
out on a smaller canvas and scaled up to the window, so every screen keeps one layout.
Mouse events are mapped to canvas coordinates in one place (``_logical``), so screens and
pygame_gui see the same positions the player sees.
"""

from __future__ import annotations

import os
import time
import warnings

import i18n  # pygame_gui's translations (the python-i18n package)
import pygame
import pygame_gui

from .fitting import canvas_scale, window_size
from .host import headless
from .paths import asset
from .settings_store import Settings, load_settings, save_settings
from .sound import Sound
from .theme import gui_theme, palette

TITLE = "racegame: the race for advanced AI"


class GameUIManager(pygame_gui.UIManager):
    """A pygame_gui manager that reads the pointer from the app, in canvas coordinates.

    Every screen has its own manager, and all of them read one theme, loaded once per pygame
    session (``_shared_theme``): loading and parsing it cost about 50 ms a screen, and the
    theme never changes while the game runs. Sharing it also shares its cache of drawn
    shapes between screens.

    Each new pygame_gui manager adds its translations folder to python-i18n's search path
    again, and every text with a full stop (most of ours) is looked up in every folder on
    that path, on disk: without pruning, each screen opened made every later label slower
    (after a classroom game, about 100 folder listings a label). The path keeps each folder
    once."""

    def __init__(self, app, size):
        self._app = app
        super().__init__(size, theme_path=None if _shared_theme else gui_theme(), enable_live_theme_updates=False)
        i18n.load_path[:] = list(dict.fromkeys(i18n.load_path))

    def create_new_theme(self, theme_path=None):
        if not _shared_theme:
            _shared_theme.append(super().create_new_theme(theme_path))
        return _shared_theme[0]

    def _update_mouse_position(self):
        self.mouse_position = self._app.mouse


_shared_theme: list = []  # the one pygame_gui theme of this pygame session, once loaded


def reset_caches() -> None:
    """Fonts, icons and the theme cached by an earlier pygame session die with ``pygame.quit``."""
    from .icons import icon
    from .theme import font

    font.cache_clear()
    icon.cache_clear()
    _shared_theme.clear()


class App:
    def __init__(self, settings: Settings | None = None, size: tuple[int, int] | None = None):
        os.environ.setdefault("SDL_VIDEO_X11_WMCLASS", "racegame")
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        pygame.init()
        reset_caches()
        self.notices: list[str] = []  # for the player at start: damaged files set aside
        self.settings = settings or load_settings(self.notices)
        if size:
            self.settings.width, self.settings.height = size
        self.sound = Sound(self.settings.volume, self.settings.muted)
        self.stack: list = []
        self.session = None  # the game being played (ui.session.Session)
        self.engine = "vectorised"  # the engine every game this window starts or loads plays on
        # Processes a forecast plays its futures in (``forecast_workers``): the window run by
        # ``racegame play`` uses the machine's cores; 1 (this process) otherwise, as in tests.
        self.forecast_workers = 1
        self.running = True
        self.exit_code = 0
        self.mouse = (0, 0)
        self.time = 0.0
        self.frames = 0
        self.frame_ms: list[float] = []
        self.autopilot = None  # attract mode (ui.autopilot), which drives the app from outside its screens
        self.clock = pygame.time.Clock()
        self.display = None
        self._dim = None
        self._fonts_preloaded = False
        self.apply_display_settings()
        pygame.display.set_caption(TITLE)
        try:
            pygame.display.set_icon(pygame.image.load(str(asset("icons", "app.svg"))))
        except (pygame.error, FileNotFoundError):
            pass

    # -- display ---------------------------------------------------------------------
    def apply_display_settings(self) -> None:
        s = self.settings
        if s.fullscreen and not headless():
            sizes = pygame.display.get_desktop_sizes() or [(s.width, s.height)]
            self.display = pygame.display.set_mode(sizes[0], pygame.FULLSCREEN)
        else:
            self.display = pygame.display.set_mode(window_size((s.width, s.height), self.desktop()), pygame.RESIZABLE)
        self._layout_canvas()

    @staticmethod
    def desktop() -> tuple[int, int] | None:
        """The size of the screen the window opens on (None on a display nobody watches)."""
        if headless():
            return None
        sizes = pygame.display.get_desktop_sizes()
        return tuple(sizes[0]) if sizes else None

    def _layout_canvas(self) -> None:
        win_w, win_h = self.display.get_size()
        scale = canvas_scale((win_w, win_h), self.settings.ui_scale)
        w, h = max(1, int(round(win_w / scale))), max(1, int(round(win_h / scale)))
        self.size = (w, h)
        self.scale = (w / win_w, h / win_h)  # canvas pixels per window pixel
        self.canvas = self.display if (w, h) == (win_w, win_h) else pygame.Surface((w, h)).convert()
        self._dim = None
        for screen in self.stack:
            screen.rebuild()

    def toggle_fullscreen(self) -> None:
        self.settings.fullscreen = not self.settings.fullscreen
        save_settings(self.settings)
        self.apply_display_settings()

    def new_manager(self) -> pygame_gui.UIManager:
        manager = GameUIManager(self, self.size)
        with warnings.catch_warnings():  # the theme has already loaded some of these
            warnings.simplefilter("ignore")
            manager.preload_fonts([{"name": "racegame_sans", "point_size": p, "style": st}
                                   for p in (12, 13, 14, 15, 17, 18, 22, 24, 30) for st in ("regular", "bold")])
        return manager

    # -- the stack of screens ---------------------------------------------------------------
    @property
    def top(self):
        return self.stack[-1] if self.stack else None

    def make(self, screen, *args, **kwargs):
        """A screen instance from a route name (``screens.routes``) or an already made screen."""
        if isinstance(screen, str):
            from .screens.routes import ROUTES

            return ROUTES[screen](self, *args, **kwargs)
        return screen

    def push(self, screen, *args, **kwargs) -> None:
        screen = self.make(screen, *args, **kwargs)
        if self.stack:
            self.stack[-1].on_cover()
        self.stack.append(screen)
        screen.on_enter()

    def pop(self, screen=None) -> None:
        """Close the top screen (or ``screen`` and everything above it)."""
        if not self.stack:
            return
        target = screen if screen is not None else self.stack[-1]
        if target not in self.stack:
            return
        while self.stack:
            s = self.stack.pop()
            s.on_exit()
            if s is target:
                break
        if self.stack:
            self.stack[-1].on_uncover()

    def replace(self, screen, *args, **kwargs) -> None:
        screen = self.make(screen, *args, **kwargs)
        if self.stack:
            self.stack.pop().on_exit()
        self.stack.append(screen)
        screen.on_enter()

    def reset_to(self, screen, *args, **kwargs) -> None:
        screen = self.make(screen, *args, **kwargs)
        while self.stack:
            self.stack.pop().on_exit()
        self.stack.append(screen)
        screen.on_enter()

    def find(self, *names: str):
        """The topmost open screen whose route name is one of ``names``."""
        for screen in reversed(self.stack):
            if screen.name in names:
                return screen
        return None

    def flow(self, name: str) -> None:
        from .screens.routes import FLOWS

        FLOWS[name](self)

    def quit(self, code: int = 0) -> None:
        self.running = False
        self.exit_code = code

    # -- one frame ---------------------------------------------------------------------------
    def _logical(self, event):
        if hasattr(event, "pos") and event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            x, y = event.pos
            pos = (int(x * self.scale[0]), int(y * self.scale[1]))
            self.mouse = pos
            if self.scale != (1.0, 1.0):
                data = dict(event.dict)
                data["pos"] = pos
                if "rel" in data:
                    data["rel"] = (int(data["rel"][0] * self.scale[0]), int(data["rel"][1] * self.scale[1]))
                event = pygame.event.Event(event.type, data)
        return event

    def dispatch(self, event) -> None:
        if event.type == pygame.QUIT:
            self.quit(0)
            return
        if event.type == pygame.VIDEORESIZE and not self.settings.fullscreen:
            self.display = pygame.display.get_surface()
            if self.display.get_size() != (self.settings.width, self.settings.height):
                self.settings.width, self.settings.height = self.display.get_size()
                save_settings(self.settings)
            self._layout_canvas()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return
        event = self._logical(event)
        if self.top is not None:
            self.top.process_event(event)

    def frame(self, dt: float) -> None:
        start = time.perf_counter()
        for event in pygame.event.get():
            self.dispatch(event)
            if not self.running:
                return
        if self.top is not None:
            self.top.update(dt)
        tick = getattr(self.session, "tick", None)
        # A classroom game's countdown runs whatever screen is on top; it says when time ran out.
        if tick is not None and tick(getattr(self.top, "name", ""), dt):
            self.flow("time_up")
        if self.autopilot is not None:
            self.autopilot.update(dt)
        self.draw()
        self.time += dt
        self.frames += 1
        self.frame_ms.append((time.perf_counter() - start) * 1000.0)
        del self.frame_ms[:-600]

    def draw(self) -> None:
        canvas = self.canvas
        first = len(self.stack) - 1
        while first > 0 and not self.stack[first].opaque:
            first -= 1
        if not self.stack:
            canvas.fill(palette().background)
        for i in range(max(first, 0), len(self.stack)):
            screen = self.stack[i]
            if i > first and screen.dim:
                canvas.blit(self._dim_surface(), (0, 0))
            screen.draw(canvas)
        if canvas is not self.display:
            pygame.transform.smoothscale(canvas, self.display.get_size(), self.display)
        pygame.display.flip()

    def _dim_surface(self) -> pygame.Surface:
        if self._dim is None or self._dim.get_size() != self.size:
            self._dim = pygame.Surface(self.size, pygame.SRCALPHA)
            self._dim.fill(palette().dim)
        return self._dim

    def screenshot(self, path) -> None:
        pygame.image.save(self.display, str(path))

    def run(self) -> int:
        fast = headless()
        failures = 0
        while self.running:
            dt = self.clock.tick(0 if fast else 60) / 1000.0
            try:
                self.frame(1 / 60 if fast else min(dt, 0.1))
                failures = 0
            except Exception:  # noqa: BLE001 - a player keeps their game; the log keeps the bug
                failures += 1
                if failures > 3 or self.autopilot is not None:
                    raise
                self._report_bug()
        return self.exit_code

    def _report_bug(self) -> None:
        import traceback

        from .paths import user_dir

        log = user_dir() / "error.log"
        try:
            with open(log, "a", encoding="utf-8") as f:
                f.write(traceback.format_exc() + "\n")
        except OSError:
            pass
        self.sound.play("error")
        self.push("message", "Something went wrong",
                  f"racegame hit a bug and stopped what it was doing. Your game is autosaved every turn. "
                  f"The details are in {log}; please report them.")

