"""Whether pytest-xdist's ``--dist loadgroup`` really keeps each ``xdist_group`` on one worker.

pytest-xdist (3.8) groups tests by renaming each marked item ``<nodeid>@<group>`` in the worker,
through the item's ``_nodeid``; pytest 9.2 no longer reads that attribute, so the rename is lost and
every group is spread over the workers without a word (pytest-dev/pytest-xdist#1386). For this suite
that means one Samba AD DC provisioned per worker, one after the other, each worker waiting for the
DC lock meanwhile. requirements-test.txt keeps pytest below 9.2; this check says so if that ever
stops being enough.
"""


def ungrouped(items):
    """The node ids of the ``xdist_group`` items that do not carry their group (empty when all do): the
    group is what follows the last ``@`` after any parameters' ``[...]``, as pytest-xdist reads it."""
    return [item.nodeid for item in items
            if item.get_closest_marker("xdist_group") and item.nodeid.rfind("@") <= item.nodeid.rfind("]")]
