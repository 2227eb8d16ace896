# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import multiprocessing
import os
import signal
import threading

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._template import forked
from template_helpers import cannot_fork


class Unpicklable(Exception):
    def __init__(self, lock):
        super(Unpicklable, self).__init__('holds a lock')
        self.lock = lock


def gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_items_come_in_order_across_batches():
    assert list(forked.items_of(lambda: iter(range(10)), batch=3)) == list(range(10))
    assert list(forked.items_of(lambda: iter(()))) == []


def test_items_are_made_in_another_process():
    assert list(forked.items_of(lambda: (os.getpid() for dummy in range(2)))) != [os.getpid()] * 2


def test_an_exception_comes_after_the_items_made_before_it():
    def make():
        yield 1
        yield 2
        raise ValueError('cell B7 is out of order')

    seen = []
    with pytest.raises(ValueError, match='^cell B7 is out of order$') as raised:
        for item in forked.items_of(make, batch=5):
            seen.append(item)
    assert seen == [1, 2]
    cause = raised.value.__cause__
    assert isinstance(cause, forked.RemoteTraceback)
    assert 'in make' in str(cause) and 'ValueError: cell B7 is out of order' in str(cause)


def test_an_exception_that_cannot_be_pickled_is_named():
    def make():
        raise Unpicklable(threading.Lock())
        yield  # pylint: disable=unreachable

    with pytest.raises(RuntimeError, match='^Unpicklable: holds a lock$'):
        list(forked.items_of(make))


def test_stopping_early_ends_the_child():
    items = forked.items_of(lambda: (os.getpid() for dummy in range(100000)), batch=2)
    child = next(items)
    assert not gone(child)
    items.close()
    assert gone(child)  # killed and reaped, not left a zombie


def test_a_child_that_dies_is_a_clear_error():
    def make():
        yield 1
        os.kill(os.getpid(), signal.SIGKILL)
        yield 2

    with pytest.raises(forked.ChildLost, match=r'ended without finishing \(exit code -9\)'):
        list(forked.items_of(make, batch=1))


def test_the_child_does_not_run_the_parents_signal_handlers():
    # ansible-playbook's worker kills its whole process group on SIGTERM: a child that ran that
    # handler when it is ended would take the worker with it.
    previous = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        handlers = list(forked.items_of(lambda: iter([signal.getsignal(signal.SIGTERM),
                                                      signal.getsignal(signal.SIGINT)])))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert handlers == [signal.SIG_DFL, signal.SIG_DFL]


@pytest.mark.parametrize('cpus, expected', [({0}, False), ({0, 1}, True)])
def test_a_child_runs_only_beside_a_second_cpu(monkeypatch, cpus, expected):
    monkeypatch.setattr(os, 'sched_getaffinity', lambda pid: cpus, raising=False)
    assert forked.available() is expected


def test_no_child_of_a_daemonic_process(monkeypatch):
    monkeypatch.setattr(os, 'sched_getaffinity', lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(multiprocessing.current_process(), 'daemon', True, raising=False)
    assert forked.available() is False


def test_no_child_without_fork(monkeypatch):
    monkeypatch.setattr(forked.multiprocessing, 'get_all_start_methods', lambda: ['spawn'])
    assert forked.available() is False


def test_a_child_that_cannot_start_is_an_os_error_at_once(monkeypatch):
    monkeypatch.setattr(type(multiprocessing.get_context('fork').Process()), 'start', cannot_fork)
    opened = len(os.listdir('/proc/self/fd'))
    with pytest.raises(OSError):
        forked.items_of(lambda: iter([1]))
    assert len(os.listdir('/proc/self/fd')) == opened  # the pipe is closed, both ends
