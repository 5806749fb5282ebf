"""Running a build's many small pure tasks (parse a page, render a job) on every CPU.

`run_tasks(work, tasks, jobs)` returns `[work(state, task) for task in tasks]`, in order, whatever the
number of processes: the output of a build never depends on it. Worker processes are forked from the build
once its inputs are in memory, so `state` (the parser, the templates, the model) reaches them without being
pickled; only each task's index goes out and its compact result (a parse result, a page's bytes) comes back.
Where fork is not available (Windows, macOS' default), in a process with other threads, or when there is
little work, tasks run in this process.
"""

from __future__ import annotations

import collections
import gc
import itertools
import multiprocessing
import multiprocessing.pool
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from .stopping import quiet_worker

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int], None]  # called with the number of tasks just finished

AHEAD = 3  # chunks asked of each worker ahead of the caller
MIN_TASKS_PER_WORKER = 16  # below this, starting processes costs more than it saves


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_tasks(work: Callable[[Any, T], R], state: Any, tasks: Sequence[T], jobs: int,
              progress: Progress | None = None, meanwhile: Callable[[], None] | None = None,
              per_worker: int = MIN_TASKS_PER_WORKER) -> list[R]:
    return list(iter_tasks(work, state, tasks, jobs, progress, meanwhile=meanwhile, per_worker=per_worker))


def iter_tasks(work: Callable[[Any, T], R], state: Any, tasks: Sequence[T], jobs: int,
               progress: Progress | None = None, alone: Callable[[T], bool] | None = None,
               meanwhile: Callable[[], None] | None = None, per_worker: int = MIN_TASKS_PER_WORKER) -> Iterator[R]:
    """`work(state, task)` for each task, in task order, as each result comes (on `jobs` processes), so that
    a caller can use and drop each result before the last is made. `alone(task)`: whether the task's result
    may be large (a page that lists the whole site), so that it travels on its own: results travel a chunk
    at a time, and a chunk's results are held twice while they are read. `meanwhile()`: work of this process
    that waits on the disk more than it computes (removing files), done on a thread of this process while the
    workers run (once they are forked: a thread is never forked); or first, where the tasks run here.
    `per_worker`: the fewest tasks worth starting a process for (one, for tasks that take a second each)."""
    workers = min(jobs, len(tasks) // max(1, per_worker))
    # A process with other threads (a preview server) is never forked: a lock one of them holds would stay
    # held in the child for ever.
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        if meanwhile is not None:
            meanwhile()
        # Progress is told before each result is handed on: a caller that takes exactly as many results as it
        # gave tasks never resumes the generator after the last one, and would never see the count complete.
        for task in tasks:
            result = work(state, task)
            if progress:
                progress(1)
            yield result
        return
    # Small chunks keep both CPUs busy to the end; each carries a list of indexes, not the tasks themselves.
    size = max(1, min(64, len(tasks) // (workers * 8)))
    chunks = _chunks(tasks, size, alone)
    context = multiprocessing.get_context("fork")
    with frozen_heap(), context.Pool(workers, initializer=_start_worker, initargs=(work, state, tasks)) as pool, \
            _alongside(meanwhile):
        # At most AHEAD chunks per worker are asked for before the caller has taken the results: workers that
        # run ahead of a slower caller (writing files) would otherwise pile their results up in its memory.
        waiting: collections.deque[multiprocessing.pool.AsyncResult[list[R]]] = collections.deque()
        ahead = iter(chunks)
        for chunk in itertools.islice(ahead, workers * AHEAD):
            waiting.append(pool.apply_async(_run_chunk, (chunk,)))
        while waiting:
            done = waiting.popleft().get()
            following = next(ahead, None)
            if following is not None:
                waiting.append(pool.apply_async(_run_chunk, (following,)))
            if progress:
                progress(len(done))
            yield from done


@contextmanager
def _alongside(meanwhile: Callable[[], None] | None) -> Iterator[None]:
    """`meanwhile()` on a thread while the block runs; the block ends once both are done."""
    if meanwhile is None:
        yield
        return
    thread = threading.Thread(target=meanwhile, name="carepages-meanwhile")
    thread.start()
    try:
        yield
    finally:
        thread.join()


def _chunks(tasks: Sequence[T], size: int, alone: Callable[[T], bool] | None) -> list[range]:
    """The tasks' indexes in order, in ranges of at most `size`; a task for which `alone` is true in a range
    of its own."""
    chunks, start = [], 0
    for index, task in enumerate(tasks):
        if alone is not None and alone(task):
            if start < index:
                chunks.append(range(start, index))
            chunks.append(range(index, index + 1))
            start = index + 1
        elif index + 1 - start == size:
            chunks.append(range(start, index + 1))
            start = index + 1
    if start < len(tasks):
        chunks.append(range(start, len(tasks)))
    return chunks


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Everything allocated so far is left out of the garbage collector's scans until the end of the block.

    The model of a large site is millions of long-lived objects; without this, each collection rescans them
    all, and in a forked worker it would also copy every page of memory it touches."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


# -- in the worker process -------------------------------------------------------------------------------
# What the worker was forked with: set once, by `_start_worker`, in the worker's own memory.
_worker: tuple[Callable[[Any, Any], Any], Any, Sequence[Any]] | None = None


def _start_worker(work: Callable[[Any, Any], Any], state: Any, tasks: Sequence[Any]) -> None:
    global _worker
    quiet_worker()  # (Ctrl+C reaches this process too: the pool's owner ends it, without a traceback here)
    _worker = (work, state, tasks)


def _run_chunk(indexes: range) -> list[Any]:
    assert _worker is not None
    work, state, tasks = _worker
    return [work(state, tasks[index]) for index in indexes]
