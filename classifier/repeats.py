"""Finding repeated paragraphs in a stream with flat memory: fingerprints of recent distinct paragraphs point to
slots of a ring buffer that keeps where each first occurrence was and, once scored, its scores."""

from __future__ import annotations

from collections import deque

import numpy as np


class RepeatIndex:
    """The last ``window`` distinct paragraphs (about), by 64-bit fingerprint.

    The newest fingerprints sit in a dict; every ``generation`` of them is frozen into a sorted array, searched a
    whole chunk at a time; the oldest generation is dropped when the window is full, so memory stays bounded however
    large the archive. A repeat whose first occurrence has been dropped is treated as new.
    """

    def __init__(self, window: int, n_labels: int, in_flight: int, generation: int = 1 << 16):
        self.generation = max(1, min(generation, window // 4 or 1))
        self.max_generations = max(1, window // self.generation)
        self.recent: dict[int, int] = {}
        self.last_frozen: dict[int, int] = {}  # kept as a dict too, for look-ups within the chunk that froze it
        self.older: deque[tuple[np.ndarray, np.ndarray]] = deque()
        # A slot is reused only after its fingerprint has left the index and no chunk in flight can refer to it.
        capacity = (self.max_generations + 2) * self.generation + in_flight
        self.scores = np.zeros((capacity, n_labels))
        self.documents: list[str | None] = [None] * capacity
        self.paragraphs = np.zeros(capacity, dtype=np.int64)
        self._next = 0

    def find_older(self, keys: np.ndarray) -> list[int]:
        """For each fingerprint, the slot of its first occurrence in the frozen generations, or -1."""
        found = np.full(len(keys), -1, dtype=np.int64)
        for frozen_keys, frozen_slots in self.older:  # newest first
            missing = np.flatnonzero(found < 0)
            if not len(missing):
                break
            position = np.minimum(np.searchsorted(frozen_keys, keys[missing]), len(frozen_keys) - 1)
            hit = frozen_keys[position] == keys[missing]
            found[missing[hit]] = frozen_slots[position[hit]]
        return found.tolist()

    def find_recent(self, key: int) -> int | None:
        slot = self.recent.get(key)
        return slot if slot is not None else self.last_frozen.get(key)

    def add(self, key: int, document: str, paragraph: int) -> int:
        """Remember a first occurrence; returns its slot."""
        slot = self._next
        self._next = (slot + 1) % len(self.documents)
        self.documents[slot] = document
        self.paragraphs[slot] = paragraph
        self.recent[key] = slot
        if len(self.recent) >= self.generation:
            self._freeze()
        return slot

    def resolve(self, keys: list[int], documents: list[str], paragraphs: list[int]) -> tuple[list[int], list[bool]]:
        """For a chunk of paragraphs in input order: each one's slot, and whether it repeats an earlier one.
        First occurrences are added to the index as they come."""
        older = self.find_older(np.array(keys, dtype=np.uint64))
        slots, repeats = [], []
        for position, key in enumerate(keys):
            slot = older[position]
            if slot < 0:
                slot = self.find_recent(key)
            repeat = slot is not None
            if not repeat:
                slot = self.add(key, documents[position], paragraphs[position])
            slots.append(slot)
            repeats.append(repeat)
        return slots, repeats

    def reference(self, slot: int) -> str:
        """Where the first occurrence in ``slot`` is: ``document#paragraph``."""
        return f"{self.documents[slot]}#{self.paragraphs[slot]}"

    def _freeze(self) -> None:
        keys = np.fromiter(self.recent.keys(), dtype=np.uint64, count=len(self.recent))
        slots = np.fromiter(self.recent.values(), dtype=np.int64, count=len(self.recent))
        order = np.argsort(keys, kind="stable")
        self.older.appendleft((keys[order], slots[order]))
        self.last_frozen, self.recent = self.recent, {}
        if len(self.older) > self.max_generations:
            self.older.pop()
