"""Synthesise racegame's sound effects (run once; the WAVs it writes are committed).

    python assets/sounds/make_sounds.py

Every sound is made here from sine waves, noise and envelopes, so the project owns them
outright. 16-bit mono at 22,050 Hz keeps each file small.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

RATE = 22050
HERE = Path(__file__).resolve().parent


def t_axis(seconds: float) -> np.ndarray:
    return np.arange(int(RATE * seconds)) / RATE


def envelope(n: int, attack: float = 0.005, release: float = 0.08, decay: float = 0.0) -> np.ndarray:
    t = np.arange(n) / RATE
    env = np.ones(n)
    a = max(1, int(attack * RATE))
    r = max(1, int(release * RATE))
    env[:a] = np.linspace(0.0, 1.0, a)
    env[-r:] *= np.linspace(1.0, 0.0, r)
    if decay:
        env *= np.exp(-t / decay)
    return env


def bell(freq: float, seconds: float, decay: float = 0.35) -> np.ndarray:
    t = t_axis(seconds)
    tone = np.sin(2 * np.pi * freq * t) + 0.35 * np.sin(2 * np.pi * 2.01 * freq * t) + 0.12 * np.sin(2 * np.pi * 3.02 * freq * t)
    return tone * envelope(len(t), 0.004, 0.05, decay)


def soft_square(freq: float, seconds: float) -> np.ndarray:
    t = t_axis(seconds)
    tone = sum(np.sin(2 * np.pi * freq * k * t) / k for k in (1, 3, 5, 7))
    return tone * envelope(len(t), 0.01, 0.06)


def sequence(parts, gap: float = 0.0) -> np.ndarray:
    chunks = []
    for p in parts:
        chunks.append(p)
        if gap:
            chunks.append(np.zeros(int(gap * RATE)))
    return np.concatenate(chunks)


def overlay(parts_with_offsets, seconds: float) -> np.ndarray:
    out = np.zeros(int(seconds * RATE))
    for offset, part in parts_with_offsets:
        i = int(offset * RATE)
        j = min(len(out), i + len(part))
        out[i:j] += part[: j - i]
    return out


def note(name: str) -> float:
    names = {"C": -9, "D": -7, "E": -5, "F": -4, "G": -2, "A": 0, "B": 2}
    semis = names[name[0]] + (int(name[-1]) - 4) * 12
    return 440.0 * 2 ** (semis / 12)


def sounds() -> dict:
    rng = np.random.default_rng(7)
    out = {}
    # click: a short woody tick for buttons
    t = t_axis(0.045)
    tick = np.sin(2 * np.pi * 1500 * t) * np.exp(-t / 0.008) + 0.3 * rng.standard_normal(len(t)) * np.exp(-t / 0.004)
    out["click"] = tick * 0.5
    # end_turn: a rising whoosh into a soft thud of resolution
    t = t_axis(0.42)
    sweep = np.sin(2 * np.pi * (220 * t + 900 * t**2)) * envelope(len(t), 0.03, 0.15)
    noise = rng.standard_normal(len(t)) * np.linspace(0.0, 0.25, len(t)) * envelope(len(t), 0.05, 0.2)
    out["end_turn"] = (0.5 * sweep + noise) * 0.55
    # summary: two-note chime (a new quarter's report is in)
    out["summary"] = overlay([(0.0, bell(note("E5"), 0.7)), (0.12, bell(note("B5"), 0.6))], 0.8) * 0.35
    # alert: something bound or went wrong
    out["alert"] = sequence([soft_square(note("A4"), 0.14), soft_square(note("F4"), 0.22)], 0.03) * 0.22
    # release: a new model ships
    out["release"] = overlay([(0.0, bell(note("C5"), 0.5, 0.25)), (0.09, bell(note("E5"), 0.5, 0.25)),
                              (0.18, bell(note("G5"), 0.6, 0.3))], 0.8) * 0.3
    # win: a short fanfare
    fan = [(0.0, bell(note("C5"), 0.5)), (0.16, bell(note("E5"), 0.5)), (0.32, bell(note("G5"), 0.5)),
           (0.5, bell(note("C5") * 2, 1.2, 0.6)), (0.5, bell(note("G5"), 1.2, 0.6)), (0.5, bell(note("E5"), 1.2, 0.6))]
    out["win"] = overlay(fan, 1.8) * 0.22
    # lose: a falling minor line
    fall = [(0.0, bell(note("A4"), 0.6, 0.5)), (0.3, bell(note("F4"), 0.6, 0.5)), (0.6, bell(note("D4"), 1.0, 0.7)),
            (0.6, bell(note("A3"), 1.0, 0.7))]
    out["lose"] = overlay(fall, 1.7) * 0.28
    # error: a dull buzz for a refused action or a damaged save
    out["error"] = soft_square(110.0, 0.22) * 0.25
    return out


def write_wav(path: Path, samples: np.ndarray) -> None:
    peak = np.max(np.abs(samples)) or 1.0
    if peak > 0.95:
        samples = samples * (0.95 / peak)
    data = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())


def main() -> None:
    for name, samples in sounds().items():
        write_wav(HERE / f"{name}.wav", samples)
        print(f"{name}.wav  {len(samples) / RATE:.2f} s")


if __name__ == "__main__":
    main()
