"""Password hashes (argon2id). Hashing costs ~0.2-0.7 s of CPU, so it runs in a small pool
of threads (PASSWORD_HASH_WORKERS), never on the event loop: the loop keeps serving other
requests while logins hash, and at most that many hashes run at once. The hashing threads
(and the lanes argon2 starts from them) run at a lower CPU priority (nice +10 on Linux),
so a flood of logins cannot starve the event loop of CPU either."""

import asyncio
import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()
THREAD_PREFIX = "password-hash"
NICE = 10


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):   # per thread on Linux; elsewhere: as is
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)


def _new_pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix=THREAD_PREFIX, initializer=_lower_priority)


_pool = _new_pool(2)


def configure(workers: int) -> None:
    global _pool
    if workers != _pool._max_workers:
        _pool = _new_pool(workers)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_pool, lambda: HASHER.hash(password))


async def verify(password_hash: str, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_pool, _verify, password_hash, password)
