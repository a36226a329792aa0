"""Short sound effects with a volume and a mute. Silence, never an error, without audio."""

from __future__ import annotations

import pygame

from .paths import asset

NAMES = ("click", "end_turn", "summary", "alert", "release", "win", "lose", "error")


class Sound:
    def __init__(self, volume: float = 0.6, muted: bool = False):
        self.volume = volume
        self.muted = muted
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self.played: list[str] = []  # what was asked for, for tests and the attract mode
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=22050, size=-16, channels=1, buffer=512)
            for name in NAMES:
                path = asset("sounds", f"{name}.wav")
                if path.is_file():
                    self.sounds[name] = pygame.mixer.Sound(str(path))
        except (pygame.error, OSError):
            self.sounds = {}  # no audio device: play nothing

    def set_volume(self, volume: float) -> None:
        self.volume = min(max(float(volume), 0.0), 1.0)

    def toggle_mute(self) -> bool:
        self.muted = not self.muted
        return self.muted

    def play(self, name: str) -> None:
        self.played.append(name)
        del self.played[:-50]
        if self.muted or self.volume <= 0:
            return
        snd = self.sounds.get(name)
        if snd is None:
            return
        try:
            snd.set_volume(self.volume)
            snd.play()
        except pygame.error:
            pass
