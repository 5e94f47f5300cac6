"""Review files on several processes: per-file reviewers over shards of the changed files.

Only reviewers whose findings for a file depend on that file alone (`ReviewsFiles`) are
sharded. The files are split into `workers` shards of similar size (largest first, each to
the lightest shard); the parent reviews one shard while forked children review the others,
and the findings are put back in file order, so the result equals a sequential review.
Fork shares the parent's imported modules and warm caches, so a child costs milliseconds;
it is used from the command line only (never inside a multi-threaded server process).
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection

from analysis.context import ReviewContext
from analysis.files import FileView
from analysis.reviewers.base import ReviewsFiles
from warden.errors import WardenError
from warden.records import Finding

#: below this many added lines a fork costs more than it saves
MIN_ADDED_LINES_TO_SHARD = 1_500

#: per reviewer name, per file index, the findings
FileFindings = dict[str, dict[int, list[Finding]]]


class FileReviewWorkerError(WardenError):
    """A worker process failed; carries its traceback."""


def plan_shards(sizes: Sequence[int], workers: int) -> list[list[int]]:
    """File indexes per shard: largest file first, each to the shard with least work."""
    shards: list[list[int]] = [[] for _ in range(max(1, workers))]
    loads = [0] * len(shards)
    for index in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = loads.index(min(loads))
        shards[lightest].append(index)
        loads[lightest] += sizes[index]
    return [sorted(shard) for shard in shards if shard]


def review_files(
    context: ReviewContext, reviewers: Sequence[ReviewsFiles], workers: int
) -> dict[str, list[Finding]]:
    """Per reviewer name, its findings over `context.file_views()` in file order."""
    views = context.file_views()
    added = sum(len(view.added) for view in views)
    if workers <= 1 or len(views) < 2 or added < MIN_ADDED_LINES_TO_SHARD:
        shards = [list(range(len(views)))]
    else:
        shards = plan_shards([len(view.added) + 1 for view in views], workers)
    by_file = _review_shards(context, views, reviewers, shards)
    return {
        reviewer.name: [
            finding for index in range(len(views)) for finding in by_file[reviewer.name][index]
        ]
        for reviewer in reviewers
    }


def _review_shards(
    context: ReviewContext,
    views: list[FileView],
    reviewers: Sequence[ReviewsFiles],
    shards: list[list[int]],
) -> FileFindings:
    for reviewer in reviewers:
        reviewer.prepare(views)  # imports happen once, in the parent, not in every child
    fork = multiprocessing.get_context("fork")
    children = []
    for shard in shards[1:]:
        receive, send = fork.Pipe(duplex=False)
        child = fork.Process(
            target=_child, args=(send, context, views, reviewers, shard), daemon=True
        )
        child.start()
        send.close()
        children.append((child, receive))
    merged = _review_shard(context, views, reviewers, shards[0])
    for child, receive in children:
        try:
            status, payload = receive.recv()
        except EOFError:
            child.join()
            raise FileReviewWorkerError(
                f"a file review worker exited ({child.exitcode}) without a result"
            ) from None
        finally:
            receive.close()
        child.join()
        if status != "ok":
            raise FileReviewWorkerError(f"a file review worker failed:\n{payload}")
        for name, per_file in payload.items():
            merged[name].update(per_file)
    return merged


def _review_shard(
    context: ReviewContext,
    views: list[FileView],
    reviewers: Sequence[ReviewsFiles],
    shard: list[int],
) -> FileFindings:
    return {
        reviewer.name: {index: reviewer.review_file(context, views[index]) for index in shard}
        for reviewer in reviewers
    }


def _child(
    send: Connection,
    context: ReviewContext,
    views: list[FileView],
    reviewers: Sequence[ReviewsFiles],
    shard: list[int],
) -> None:
    try:
        result = _review_shard(context, views, reviewers, shard)
    except BaseException:  # reported to the parent, which raises it there
        send.send(("error", traceback.format_exc()))
    else:
        send.send(("ok", result))
    finally:
        send.close()
