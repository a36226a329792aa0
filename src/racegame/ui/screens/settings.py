"""Settings: window size, full screen, UI scale, sound volume and mute. Saved at once."""

from __future__ import annotations

import pygame
import pygame_gui

from ..fitting import offered_scales, offered_sizes
from ..settings_store import UI_SCALES, WINDOW_SIZES, save_settings
from .base import Overlay


class SettingsScreen(Overlay):
    name = "settings"

    def __init__(self, app):
        super().__init__(app)
        self.keys = {pygame.K_ESCAPE: self.close}

    def build(self) -> None:
        s = self.app.settings
        card = self.card(520, 470)
        r = pygame.Rect(0, 0, self.rect.w - 4, self.rect.h - 4)
        self.label((24, 16, 300, 34), "Settings", object_id="#heading", container=card)
        y = 70
        self.label((24, y, 200, 22), "Window size", object_id="#lever_name", container=card)
        # Only what fits: window sizes the screen can show, scales that keep every layout whole.
        sizes = [(f"{w} × {h}", f"{w}x{h}") for w, h in offered_sizes(WINDOW_SIZES, self.app.desktop())]
        current = f"{s.width}x{s.height}"
        if current not in [v for _, v in sizes]:
            sizes.insert(0, (f"{s.width} × {s.height}", current))
        start = next(o for o in sizes if o[1] == current)
        self.size_menu = pygame_gui.elements.UIDropDownMenu(sizes, start, pygame.Rect(220, y - 4, 260, 30), self.manager,
                                                            container=card)
        y += 50
        self.fullscreen = pygame_gui.elements.UICheckBox(pygame.Rect(24, y, 18, 18), "Full screen (F11)", self.manager,
                                                         container=card, initial_state=s.fullscreen)
        y += 44
        self.label((24, y, 200, 22), "UI scale", object_id="#lever_name", container=card,
                   tip="Draws everything larger on big or high-density screens. Every screen needs at least "
                       "1280 × 720 of room, so only the scales this window can hold at that size are offered "
                       "(150% needs a 1920 × 1080 window).")
        window = self.app.display.get_size()
        scales = [(f"{int(v * 100)}%", str(v)) for v in offered_scales(UI_SCALES, window)]
        start = next((o for o in scales if float(o[1]) == s.ui_scale), scales[0])
        self.scale_menu = pygame_gui.elements.UIDropDownMenu(scales, start, pygame.Rect(220, y - 4, 260, 30), self.manager,
                                                             container=card)
        y += 54
        self.label((24, y, 200, 22), "Sound volume", object_id="#lever_name", container=card)
        self.volume = pygame_gui.elements.UIHorizontalSlider(pygame.Rect(220, y + 2, 200, 20), s.volume, (0.0, 1.0), self.manager,
                                                             container=card, click_increment=0.1)
        self.volume_label = self.label((430, y, 60, 22), f"{s.volume:.0%}", object_id="#lever_value", container=card)
        y += 44
        self.mute = pygame_gui.elements.UICheckBox(pygame.Rect(24, y, 18, 18), "Mute (M in game)", self.manager,
                                                   container=card, initial_state=s.muted)
        y += 44
        self.label((24, y, r.w - 48, 40), "Settings are saved as you change them.", object_id="#muted", container=card)
        self.close_button = self.button((r.w - 164, r.h - 60, 140, 40), "Done", self.close, tip="Back (Esc).",
                                        object_id="#primary", container=card)

    def on_ui_event(self, event) -> None:
        s = self.app.settings
        changed_display = False
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.size_menu:
            w, h = (int(x) for x in event.selected_option_id.split("x"))
            s.width, s.height = w, h
            changed_display = True
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.scale_menu:
            s.ui_scale = float(event.selected_option_id)
            changed_display = True
        elif event.type in (pygame_gui.UI_CHECK_BOX_CHECKED, pygame_gui.UI_CHECK_BOX_UNCHECKED):
            on = event.type == pygame_gui.UI_CHECK_BOX_CHECKED
            if event.ui_element is self.fullscreen:
                s.fullscreen = on
                changed_display = True
            elif event.ui_element is self.mute:
                s.muted = self.app.sound.muted = on
        elif event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.volume:
            s.volume = float(self.volume.get_current_value())
            self.app.sound.set_volume(s.volume)
            self.volume_label.set_text(f"{s.volume:.0%}")
        else:
            return
        save_settings(s)
        if changed_display:
            self.app.apply_display_settings()  # rebuilds every screen, this one included

    def close(self) -> None:
        self.app.pop(self)
