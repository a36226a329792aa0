"""Composite widgets built from pygame_gui elements (levers, tables) and drawn strips."""
