# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A generator run in a forked child process, its items handed back as they are made.

Reading a big XLSX (inflating the ZIP, parsing 40 MB of XML, turning cells into text) is about a
third of a 100,000-row conversion, and the other two thirds (checking the rows, making the roster)
can go on meanwhile: on a machine with a second core the child reads while this process works.
The items come through a pipe in batches, so the child is never more than a pipe's worth (64 KB)
and one batch ahead: the memory does not grow with the file.

An exception the generator raises is raised again here, of the same type and message, after the
items made before it (the child's traceback is its ``__cause__``). The child is killed when the
caller stops early (closes the generator, or an exception leaves its loop).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import multiprocessing
import os
import pickle
import signal
import traceback

BATCH = 256


class ChildLost(Exception):
    """The child process ended without saying why (killed, out of memory)."""


class RemoteTraceback(Exception):
    """The child's traceback, as text (the ``__cause__`` of an exception raised again here)."""

    def __str__(self):
        return self.args[0]


def available():
    """Whether a child would run beside this process: ``fork`` exists, a second CPU is ours, and
    this process may have children (multiprocessing refuses them to a daemonic one)."""
    if 'fork' not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus > 1


def items_of(make_items, batch=BATCH):
    """The items of the generator ``make_items()``, made in a forked child process started now;
    OSError when it cannot be (a process limit, no memory), and the caller can make them itself.

    ``make_items`` is called in the child, which inherits this process's memory: nothing of it is
    pickled but the items (and an exception), and the child reads no file through a handle this
    process uses at the same time. Iterate what this returns: the child ends with that.
    """
    context = multiprocessing.get_context('fork')
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_make, args=(make_items, writer, batch), name='mailops-mailbox-reader')
    child.daemon = True
    try:
        child.start()
    except BaseException:
        reader.close()
        raise
    finally:
        writer.close()  # only the child writes: its end, here, would keep the pipe from ever ending
    return _received(child, reader)


def _received(child, reader):
    try:
        while True:
            try:
                kind, payload = reader.recv()
            except EOFError:
                child.join()
                raise ChildLost('the process reading the file ended without finishing (exit code %s)'
                                % child.exitcode)
            if kind == 'items':
                yield from payload
            elif kind == 'done':
                return
            else:
                exception, remote_traceback = payload
                raise exception from RemoteTraceback(remote_traceback)
    finally:
        reader.close()
        if child.is_alive():
            child.kill()  # SIGKILL: what the child inherited would run on a SIGTERM
        child.join()


def _make(make_items, writer, batch):
    # The parent's handlers are not the child's to run (ansible-playbook's worker kills its own
    # process group on SIGINT and SIGTERM): the child just ends.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    items = []
    try:
        try:
            for item in make_items():
                items.append(item)
                if len(items) == batch:
                    writer.send(('items', items))
                    items = []
        except Exception as exc:  # pylint: disable=broad-except
            writer.send(('items', items))
            writer.send(('raised', (_picklable(exc), traceback.format_exc())))
        else:
            writer.send(('items', items))
            writer.send(('done', None))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped reading: nothing is waiting for the rest
    finally:
        writer.close()


def _picklable(exc):
    try:
        return pickle.loads(pickle.dumps(exc))
    except Exception:  # pylint: disable=broad-except
        return RuntimeError('%s: %s' % (type(exc).__name__, exc))
