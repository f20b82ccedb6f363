"""A per-client rate limit that holds for the whole server, whatever its number of workers.

Worker processes share nothing but what the serving process gives them, so the counts live
in one block of shared memory (``multiprocessing.shared_memory``, which is RAM: /dev/shm on
Linux), made by ``serve`` before the workers start and found by its name; an advisory lock
on it (``fcntl.flock``) lets one process at a time update it. Each client is a salted hash
of its address (the salt is made at start and never leaves memory), so the block holds
no address; each slot is a token bucket: ``limit`` requests a minute, refilled as time
passes. A full table forgets the client seen longest ago.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import os
import secrets
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import shared_memory
from typing import cast

SLOTS = 4096
_SLOT = struct.Struct("<Qdd")  # client hash, tokens, last refill (monotonic seconds)
_HEADER = struct.Struct("<16s")  # the salt


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds, when not allowed


class RateLimiter:
    """``limit`` requests a minute per client, counted across every process that opens the
    same block (``RateLimiter.create`` in the parent, ``RateLimiter.attach`` in workers)."""

    def __init__(self, memory: shared_memory.SharedMemory, limit: int, owner: bool):
        self.memory = memory
        self.limit = limit
        self.owner = owner
        self.salt = bytes(cast(memoryview, memory.buf)[:_HEADER.size])
        self._lock_file = os.open(f"/dev/shm/{memory.name.lstrip('/')}", os.O_RDWR) \
            if os.path.exists(f"/dev/shm/{memory.name.lstrip('/')}") else None

    @classmethod
    def create(cls, limit: int) -> RateLimiter:
        # Named after the server's process, so what a stop leaves behind (it should be
        # nothing) can be told apart: /dev/shm/campaign-letters-rate-<pid>-<random>.
        memory = shared_memory.SharedMemory(
            name=f"campaign-letters-rate-{os.getpid()}-{secrets.token_hex(4)}", create=True,
            size=_HEADER.size + SLOTS * _SLOT.size)
        cast(memoryview, memory.buf)[:_HEADER.size] = secrets.token_bytes(_HEADER.size)
        cast(memoryview, memory.buf)[_HEADER.size:] = bytes(SLOTS * _SLOT.size)
        return cls(memory, limit, owner=True)

    @classmethod
    def attach(cls, name: str, limit: int) -> RateLimiter:
        # Workers are started (spawned) by the process that made the block and share its
        # resource tracker: the block is removed once, by its owner (``close``).
        return cls(shared_memory.SharedMemory(name=name), limit, owner=False)

    @property
    def name(self) -> str:
        return self.memory.name

    @property
    def _buf(self) -> memoryview:
        """The block's bytes (``SharedMemory.buf`` is None only once the block is closed)."""
        return cast(memoryview, self.memory.buf)

    def check(self, client: str, now: float | None = None) -> Verdict:
        """Take one request from ``client``'s bucket, or say when the next one is free."""
        if self.limit <= 0:
            return Verdict(True)
        now = time.monotonic() if now is None else now
        key = int.from_bytes(hashlib.blake2b(client.encode(), key=self.salt,
                                             digest_size=8).digest(), "little") or 1
        rate = self.limit / 60.0  # tokens a second
        with self._locked():
            slot = self._find(key, now)
            offset = _HEADER.size + slot * _SLOT.size
            stored, tokens, last = _SLOT.unpack_from(self._buf, offset)
            if stored != key:
                tokens, last = float(self.limit), now
            tokens = min(float(self.limit), tokens + (now - last) * rate)
            if tokens >= 1.0:
                _SLOT.pack_into(self._buf, offset, key, tokens - 1.0, now)
                return Verdict(True)
            _SLOT.pack_into(self._buf, offset, key, tokens, now)
            return Verdict(False, max(1, math.ceil((1.0 - tokens) / rate)))

    def _find(self, key: int, now: float) -> int:
        """The client's slot, an empty one, or the one used longest ago (probing 16)."""
        start = key % SLOTS
        oldest, oldest_time = start, math.inf
        for step in range(16):
            slot = (start + step) % SLOTS
            stored, _, last = _SLOT.unpack_from(self._buf,
                                                _HEADER.size + slot * _SLOT.size)
            if stored in (key, 0):
                return slot
            if last < oldest_time:
                oldest, oldest_time = slot, last
        return oldest

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One process at a time (an advisory lock on the block's own file)."""
        if self._lock_file is None:
            yield
            return
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._lock_file is not None:
            os.close(self._lock_file)
            self._lock_file = None
        self.memory.close()
        if self.owner:
            self.memory.unlink()
