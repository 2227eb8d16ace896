# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the roster from a read template: every row checked, every problem collected (pure).

The order of the work matters: explicit addresses (emails, then aliases) are claimed before any
address is generated, so a generated one never takes an address that a later row lists; people
already in the previous roster keep the address they were given there.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
from collections.abc import Sequence

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import validate_departments
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import (
    REDACTED, ROSTER_KEYS, Problem, Secret, roster_entry,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import (
    domain_of, normalise_domain, validate_users,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template import normalise
from ansible_collections.mailops.mailbox.plugins.module_utils._template.headers import map_headers
from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import (
    AUTO, EXTRA_COLUMNS, LEAVERS, SOURCES,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.passwords import (
    PasswordChoice, check_policy, policy_problem,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.pinyin import (
    check_email_format, local_part, prepare as prepare_names,
)

_VALIDATION_SLICE = 1000
# How many distinct values of a repeating column (department, title, state) are remembered.
_REMEMBERED = 10000
# The columns whose cells hold secrets: no problem shows their values.
_SECRET_KEYS = ('initial_password',)


class Settings:
    """The options that shape a roster, checked once: a ValueError names the bad one."""

    def __init__(self, domain, email_format=AUTO, leavers='disable', password_policy=None, extra_columns='error',
                 departments=None, source=AUTO):
        if not domain:
            raise ValueError('domain: is required')
        self.domain = normalise_domain(domain)
        check_email_format(email_format)
        self.email_format = email_format
        if leavers not in LEAVERS:
            raise ValueError('leavers: must be one of %s' % ', '.join(LEAVERS))
        self.leavers = leavers
        if extra_columns not in EXTRA_COLUMNS:
            raise ValueError('extra_columns: must be one of %s' % ', '.join(EXTRA_COLUMNS))
        self.extra_columns = extra_columns
        if source not in SOURCES:
            raise ValueError('source: must be one of %s' % ', '.join(SOURCES))
        self.source = source
        self.policy = check_policy(password_policy)
        self.departments = None if departments is None else department_list(departments)


def department_list(items):
    """``departments`` option -> ``{name: parent}``; items are paths (``总部/销售部``) or
    ``{name, parent}`` dicts, as a roster's departments are."""
    if not isinstance(items, list):
        raise ValueError('departments: must be a list')
    parents = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get('name'), str):
            path = [normalise.clean(str(item['parent']))] if item.get('parent') else []
            path.append(normalise.clean(item['name']))
        elif isinstance(item, str):
            path, message = normalise.department_path(item)
            if message:
                raise ValueError('departments: "%s" %s' % (item, message))
        else:
            raise ValueError('departments: each item is a path such as "总部/销售部" or a dict with name and parent')
        for parent, child in zip([None] + path[:-1], path):
            if parents.get(child) is not None and parent is not None and parents[child] != parent:
                raise ValueError('departments: "%s" is under both "%s" and "%s"' % (child, parents[child], parent))
            parents[child] = parent if parent is not None else parents.get(child)
    for name in parents:
        if _in_cycle(name, parents):
            raise ValueError('departments: "%s" would be its own ancestor' % name)
    return parents


class Person:
    """One data row of the template, normalised."""

    __slots__ = ('row', 'email', 'generated', 'name', 'path', 'title', 'employee_id', 'mobile', 'aliases', 'state',
                 'password')

    def __init__(self, row):
        self.row = row
        self.email = None
        self.generated = False
        self.name = self.path = self.title = self.employee_id = self.mobile = self.password = None
        self.aliases = ()
        self.state = 'present'

    def entry(self):
        return roster_entry(dict(email=self.email, name=self.name, department=self.path[-1] if self.path else None,
                                 title=self.title, employee_id=self.employee_id, mobile=self.mobile,
                                 aliases=self.aliases, state=self.state))


class RosterResult:
    """What a template gives: the roster (or the problems), the passwords and what to report."""

    def __init__(self):
        self.roster = None
        self.passwords = {}
        self.new_passwords = []
        self.generated_emails = {}
        # (row, name, wanted, email, row holding wanted or None): made dicts when asked for, at
        # the end; 25,000 collisions of a 100,000-row template as dicts were 6 MB more.
        self.collision_rows = []
        self.leavers = []
        self.problems = []
        self.warnings = []
        self.row_count = 0
        self.source = None
        self.ignored_columns = []

    @property
    def collisions(self):
        """The generated addresses that are not the one a name gives, as the roster task returns them."""
        return [_collision(*row) for row in self.collision_rows]

    def reported(self, limit):
        """What the roster task returns of its four lists: each with its first ``limit`` items,
        ``summary`` with how many each has in all, and ``truncated`` with the names of those cut
        short. A result goes through Ansible item by item (pickled, checked, given to
        the callbacks): 100,000 rows' lists in full cost the playbook more than a second and 12 MB."""
        lists = dict(generated_emails=self.generated_emails, collisions=self.collision_rows, leavers=self.leavers,
                     new_passwords=self.new_passwords)
        return dict(
            generated_emails=dict(itertools.islice(self.generated_emails.items(), limit)),
            collisions=[_collision(*row) for row in self.collision_rows[:limit]],
            leavers=self.leavers[:limit], new_passwords=self.new_passwords[:limit],
            summary=dict((name, len(items)) for name, items in lists.items()),
            truncated=sorted(name for name, items in lists.items() if len(items) > limit))


def _collision(row, name, wanted, email, holder):
    return dict(row=row, name=name, wanted=wanted, email=email,
                taken_by='row %d' % holder if holder is not None else 'the previous roster')


def build_roster(table, settings, previous=None, existing_passwords=None):
    """Return a RosterResult for ``table`` (read.Table).

    ``previous`` is an earlier roster (``parse_roster`` output) for the leaver rule and stable
    generated addresses (its ``users`` are read once: an iterator will do); ``existing_passwords``
    the ``{email: Secret}`` of the current vault file, or a function that reads them: called
    once, when every address is settled and the previous roster has left memory.
    """
    return _Builder(table, settings, previous, existing_passwords or {}).build()


class _Builder:
    def __init__(self, table, settings, previous, existing_passwords):
        self.table = table
        self.settings = settings
        self.previous = previous or dict(domain=None, departments=[], users=[])
        self.existing_passwords = existing_passwords
        self.result = RosterResult()
        # One list with the table's: the table adds to it while its rows are read.
        self.result.problems = table.problems
        self.previous_entries = [_PreviousUser(user) for user in self.previous['users']]
        self.owner = {}  # address -> row of the person holding it
        # The addresses held as aliases: the rest of ``owner`` are emails (a set of the few
        # aliases, not a second dict of every address: 4 MB at 100,000 rows).
        self.owned_aliases = set()
        self.columns = None
        # The parsed values of cells that repeat from row to row, by their text: parsed once, and
        # one object shared by every person (100,000 rows of "总部/销售部" are one path).
        self.repeating = dict((key, {}) for key in ('department', 'title', 'state'))
        self.secret_indexes = []

    def problem(self, row, key, message, value=None):
        column = self.columns.label_for(row, key) if key else None
        self.result.problems.append(Problem(row, column, message, value=value))

    # Rows -------------------------------------------------------------------------------------

    def build(self):
        table, result = self.table, self.result
        if table.header_row is None:
            return result
        skip = set(index for row, index in table.bad_cells if row == table.header_row)
        self.columns, problems = map_headers(table.header, table.header_row, self.settings.extra_columns, skip,
                                             source=self.settings.source, domain=self.settings.domain)
        result.problems.extend(problems)
        result.source, result.ignored_columns = self.columns.source_name, self.columns.ignored
        self.secret_indexes = sorted(index for key in _SECRET_KEYS for index, _label in self.columns.chain.get(key, ()))
        people = [self.person(number, cells) for number, cells in table.rows]
        result.problems.extend(self.columns.problems)
        result.warnings.extend(self.columns.warnings())
        result.row_count = len(people)
        if table.too_many_rows:
            return self.failed()
        self.check_previous_domain()
        departments = self.department_tree(people)
        self.claim_addresses(people)
        self.check_employee_ids(people)
        self.generate_addresses(people)
        leavers = self.leaver_entries(people, departments)
        if result.problems:
            return self.failed()
        # Who holds which address, and the previous roster, are not asked again: let them go.
        self.owner = self.owned_aliases = self.previous_entries = None
        # By local part, so that zhang.wei comes before zhang.wei2 (by email "2" sorts before "@").
        # Sorted before the passwords are chosen, in place: the sort's keys (an address each, 7 MB
        # at 100,000 rows) and the passwords are never in memory together.
        people.extend(leavers)
        people.sort(key=_sort_key)
        if callable(self.existing_passwords):
            self.existing_passwords = self.existing_passwords()
        self.choose_passwords(people)
        self.assemble(people, departments)
        return self.failed() if result.problems else result

    def failed(self):
        """The result with its problems in reading order: by row, then by column."""
        position = dict((cell.strip(), index) for index, cell in reversed(list(enumerate(self.table.header))))
        self.result.problems.sort(key=lambda p: (p.row or 0, position.get(p.column, len(position))))
        return self.result

    def cell(self, number, cells, key):
        """The raw text of ``key``'s cell, or None when the column is absent or already reported."""
        return self.columns.cell(number, cells, key, self.table.bad_cells)

    def parsed(self, number, cells, key, parse, required=False, shown=normalise.clean):
        raw = self.cell(number, cells, key)
        if raw is None:
            return None
        known = self.repeating.get(key)
        found = known.get(raw) if known is not None else None
        if found is None:
            found = parse(raw)
            if known is not None and len(known) < _REMEMBERED:
                known[raw] = found
        value, message = found
        if message:
            self.problem(number, key, message, value=shown(raw))
            return None
        if value is None and required:
            self.problem(number, key, 'is empty', value=shown(raw))
        return value

    def identifier(self, number, cells, key, parse):
        """Mobile or employee id: Excel's rounding of long numbers is worth a warning."""
        raw = self.cell(number, cells, key)
        if raw is None:
            return None
        value, message, approximate = parse(raw)
        if message:
            self.problem(number, key, message, value=normalise.clean(raw))
        elif approximate:
            self.result.warnings.append(
                'row %d, column %s: "%s" was read as %s; Excel\'s scientific format keeps only a few digits, so check '
                'it, and format the column as Text'
                % (number, self.columns.label_for(number, key), normalise.clean(raw), value))
        return value

    def guard_secrets(self, number, cells):
        """A cell that may hold a password never shows its value: the password cell, and in a row
        whose cells an unquoted delimiter shifted right, every cell from the password column on
        (those are not read at all: they hold pieces of their left neighbours)."""
        secrets = self.secret_indexes
        if not secrets:
            return
        shifted = number in self.table.shifted_rows
        for index in range(secrets[0], len(cells)) if shifted else secrets:
            problem = self.table.cell_problems.get((number, index))
            if problem is not None:
                problem.value = REDACTED
            if shifted:
                self.table.bad_cells.add((number, index))

    def person(self, number, cells):
        self.guard_secrets(number, cells)
        person = Person(number)
        person.name = self.parsed(number, cells, 'name', normalise.name, required=True)
        person.path = self.parsed(number, cells, 'department', normalise.department_path)
        person.email = self.email(number, cells)
        person.title = self.parsed(number, cells, 'title', normalise.text)
        person.employee_id = self.identifier(number, cells, 'employee_id', normalise.number_text)
        person.mobile = self.identifier(number, cells, 'mobile', normalise.mobile)
        person.state = self.parsed(number, cells, 'state', normalise.state) or 'present'
        person.aliases = self.aliases(number, cells)
        person.password = self.password(number, cells)
        return person

    def email(self, number, cells):
        """The row's email; a malformed one is kept (and reported) so that none is generated instead."""
        raw = self.cell(number, cells, 'email')
        if raw is None:
            return None
        email, message = normalise.email(raw)
        if message:
            self.problem(number, 'email', message, value=email)
        elif email and domain_of(email) != self.settings.domain:
            self.problem(number, 'email', '"%s" is not in the domain %s' % (email, self.settings.domain), value=email)
        return email

    def password(self, number, cells):
        password = self.parsed(number, cells, 'initial_password', normalise.password, shown=lambda raw: REDACTED)
        if password is None:
            return None
        message = policy_problem(password, self.settings.policy)
        if message:
            self.problem(number, 'initial_password', message, value=REDACTED)
        return Secret(password)

    def aliases(self, number, cells):
        raw = self.cell(number, cells, 'aliases')
        if raw is None:
            return ()
        aliases, messages = normalise.aliases(raw, self.settings.domain)
        for message in messages:
            self.problem(number, 'aliases', message, value=normalise.clean(raw))
        for alias in aliases:
            if domain_of(alias) != self.settings.domain:
                self.problem(number, 'aliases', 'alias "%s" is not in the domain %s' % (alias, self.settings.domain),
                             value=alias)
        return aliases or ()

    # Across rows ------------------------------------------------------------------------------

    def check_previous_domain(self):
        domain = self.previous.get('domain')
        if domain and str(domain).lower() != self.settings.domain:
            self.problem(None, None, 'the previous roster is for the domain %s, not %s: give previous: explicitly, or '
                         'start a new roster file' % (domain, self.settings.domain))

    def department_tree(self, people):
        """``{name: parent}`` for every department: from the departments option when given, else
        from the paths in the rows (``总部/销售部`` says 销售部's parent is 总部)."""
        known = self.settings.departments
        if known is not None:
            self.check_known_departments(people, known)
            return dict(known)
        parents, asserted_in = {}, {}
        for person in people:
            path = person.path or []
            for segment in path:
                parents.setdefault(segment, None)
            for parent, child in zip(path, path[1:]):
                if parents[child] is None:
                    parents[child], asserted_in[child] = parent, person.row
                elif parents[child] != parent:
                    self.problem(person.row, 'department', 'department "%s" is under "%s" in row %d, not under "%s": a '
                                 'department has one parent' % (child, parents[child], asserted_in[child], parent),
                                 value='/'.join(path))
        for name in sorted(asserted_in, key=asserted_in.get):
            if _in_cycle(name, parents):
                self.problem(asserted_in[name], 'department', 'department "%s" would be its own ancestor' % name,
                             value=name)
                parents[name] = None
        return parents

    def check_known_departments(self, people, known):
        for person in people:
            path = person.path or []
            for segment in path:
                if segment not in known:
                    self.problem(person.row, 'department', 'unknown department "%s": it is not in the departments '
                                 'list' % segment, value='/'.join(path))
            for parent, child in zip(path, path[1:]):
                if child in known and known[child] != parent:
                    place = 'under "%s"' % known[child] if known[child] else 'at the top'
                    self.problem(person.row, 'department', 'department "%s" is %s in the departments list, not under '
                                 '"%s"' % (child, place, parent), value='/'.join(path))

    def claim(self, person, key, address):
        """Each address belongs to one person, as an email or as an alias."""
        kind = 'email' if key == 'email' else 'alias'
        first = self.owner.get(address)
        if first is None:
            self.owner[address] = person.row
            if kind == 'alias':
                self.owned_aliases.add(address)
            return
        if first == person.row:
            message = 'alias "%s" is this row\'s own email' % address
        elif ('alias' if address in self.owned_aliases else 'email') == kind:
            message = 'duplicate %s "%s": row %d has it too' % (kind, address, first)
        else:
            message = 'alias "%s" is the email of row %d' % (address, first)
        self.problem(person.row, key, message, value=address)

    def claim_addresses(self, people):
        for person in people:
            if person.email:
                self.claim(person, 'email', person.email)
        for person in people:
            for alias in person.aliases:
                self.claim(person, 'aliases', alias)

    def check_employee_ids(self, people):
        seen = {}
        for person in people:
            if person.employee_id is None:
                continue
            first = seen.setdefault(person.employee_id, person.row)
            if first != person.row:
                self.problem(person.row, 'employee_id', 'duplicate employee id "%s": row %d has it too'
                             % (person.employee_id, first), value=person.employee_id)

    def generate_addresses(self, people):
        wanting, wanting_ids = set(), set()  # names and employee ids of the rows without an email
        for person in people:
            if not person.email:
                if person.name:
                    wanting.add(person.name)
                if person.employee_id:
                    wanting_ids.add(person.employee_id)
        previous = _PreviousAddresses(self.previous_entries, wanting, wanting_ids)
        holders = {}  # name -> how many generated addresses it has
        locals_of = {}  # pinyin is most of the work, and many people share a name
        prepare_names(wanting)
        wanting = None  # let go before the loop's maps grow
        for person in people:
            if person.email or not person.name:
                continue
            found = locals_of.get(person.name)
            if found is None:
                found = locals_of[person.name] = local_part(person.name, self.settings.email_format)
            local, message = found
            if message:
                self.problem(person.row, 'name', '"%s" %s' % (person.name, message), value=person.name)
                continue
            wanted = '%s@%s' % (local, self.settings.domain)
            email = previous.address_of(person, local, self.settings.domain, self.owner)
            if email is None:
                email = next(candidate for candidate in _candidates(local, self.settings.domain)
                             if candidate not in previous.addresses and candidate not in self.owner)
            person.email, person.generated = email, True
            self.owner[email] = person.row
            holders[person.name] = holders.get(person.name, 0) + 1
            if email != wanted:
                self.result.collision_rows.append((person.row, person.name, wanted, email, self.owner.get(wanted)))
        # In the template's order; a name's holders counted, not listed (50,000 lists of people
        # were 4 MB while every row was in memory).
        for person in people:
            if person.generated:
                key = person.name if holders[person.name] == 1 else '%s (row %d)' % (person.name, person.row)
                self.result.generated_emails[key] = person.email

    def leaver_entries(self, people, departments):
        """Previous-roster users not in the template, with the state the leaver rule gives them.

        An alias the template gives to someone else moves to them (a successor takes over
        ``sales@``); a leaver's own email cannot move, so using it in the template is a problem.
        """
        listed = set(person.email for person in people if person.email)
        previous_parents = dict((str(d['name']), d.get('parent')) for d in self.previous['departments'])
        entries = []
        for user in self.previous_entries:
            if user.email in listed:
                continue
            entry = dict(user.entry(), state=_leaver_state(user.state, self.settings.leavers))
            holder = self.owner.get(entry['email'])
            if holder is not None:
                self.problem(holder, 'aliases', 'alias "%s" is the email of a user of the previous roster who is not in '
                             'this template (state: %s)' % (entry['email'], entry['state']), value=entry['email'])
            moved = [alias for alias in entry['aliases'] if alias in self.owner]
            if moved:
                entry['aliases'] = [alias for alias in entry['aliases'] if alias not in moved]
                self.result.warnings.append('alias %s moved from %s (not in this template) to row %s'
                                            % (', '.join(moved), entry['email'],
                                               ', '.join(str(self.owner[alias]) for alias in moved)))
            _add_department(entry['department'], departments, previous_parents)
            entries.append(entry)
            self.result.leavers.append(entry['email'])
        self.result.leavers.sort()
        return entries

    def choose_passwords(self, users):
        """The initial password of every user not absent: ``users`` are people of the template and
        leavers (entry dicts), who keep the password they have, if any."""
        choice = PasswordChoice()
        for user in users:
            if isinstance(user, Person):
                if user.state != 'absent':
                    choice.choose(user.email, user.password, self.existing_passwords.get(user.email),
                                  self.settings.policy)
                continue
            existing = self.existing_passwords.get(user['email'])
            if user['state'] != 'absent' and existing is not None:
                choice.choose(user['email'], None, existing, self.settings.policy)
        self.result.passwords = choice.passwords
        self.result.new_passwords = sorted(choice.new)

    def assemble(self, ordered, departments):
        """The roster of ``ordered`` (people and leavers, in the roster's order), once the users
        module's own checks pass. Each user's roster entry is made when it is read (validated
        here, written to the file later), never all at once: 100,000 dicts were most of a big
        roster's memory."""
        users = RosterUsers(ordered)
        tree = [dict(name=name, parent=parent) for name, parent in _parents_first(departments)]
        # Whatever the users module would refuse is refused here, where the row is still known.
        # In slices: addresses are already unique across the whole roster (``claim``), the rest
        # of the checks are per user.
        for start in range(0, len(users), _VALIDATION_SLICE):
            _desired, problems = validate_users(users[start:start + _VALIDATION_SLICE], domain=self.settings.domain)
            for problem in problems:
                item = ordered[start + problem.row] if problem.row is not None else None
                if isinstance(item, Person):
                    self.problem(item.row, problem.column, problem.message, value=problem.value)
                else:  # a leaver carried over from the previous roster
                    email = item['email'] if item is not None else None
                    self.problem(None, None, 'previous roster, %s, %s: %s' % (email, problem.column, problem.message),
                                 value=problem.value)
        _nodes, department_problems = validate_departments(tree)
        for problem in department_problems:
            self.problem(None, None, 'departments: %s' % problem.message, value=problem.value)
        if self.result.problems:
            return
        self.result.roster = dict(domain=self.settings.domain, departments=tree, users=users)


class RosterUsers(Sequence):
    """The roster's users in their order: people of the template (``Person``) and leavers (entry
    dicts), each given as its roster entry when it is read. Equal to a list of the same entries."""

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [_entry(item) for item in self.items[index]]
        return _entry(self.items[index])

    def __iter__(self):
        return (_entry(item) for item in self.items)

    def __eq__(self, other):
        return isinstance(other, (list, RosterUsers)) and len(self) == len(other) and all(
            mine == theirs for mine, theirs in zip(self, other))

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return 'RosterUsers(%d users)' % len(self)


def _entry(item):
    return item.entry() if isinstance(item, Person) else item


def _sort_key(item):
    """What sorts like ``email.split('@')`` (local part, then domain) in one string: NUL sorts first."""
    email = item.email if isinstance(item, Person) else item['email']
    return email.replace('@', '\x00', 1)


class _PreviousAddresses:
    """The previous roster's addresses, and who among the new rows already had one of them."""

    def __init__(self, entries, names, employee_ids):
        """``names`` and ``employee_ids``: those of the rows that need an address; only the
        previous users who share one are indexed."""
        self.addresses = set()
        self.by_employee_id = {}
        self.by_name = {}
        for entry in entries:
            self.addresses.add(entry.email)
            self.addresses.update(entry.aliases)
            if entry.employee_id in employee_ids:
                self.by_employee_id[entry.employee_id] = entry
            if entry.name in names:
                self.by_name.setdefault(entry.name, []).append(entry)

    def address_of(self, person, local, domain, owner):
        """The address ``person`` had: the one of the same employee id; else one generated from
        the same name (``zhang.wei``, ``zhang.wei2``) for someone without another employee id,
        in the same department first."""
        same_id = self.by_employee_id.get(person.employee_id) if person.employee_id else None
        if same_id is not None:
            return same_id.email if same_id.email not in owner else None
        department = person.path[-1] if person.path else None
        matches = []
        for entry in self.by_name.get(person.name, ()):
            number = _suffix(entry.email, local, domain)
            if number and entry.email not in owner and (not entry.employee_id or not person.employee_id):
                matches.append((entry.department != department, number, entry.email))
        return min(matches)[2] if matches else None


class _PreviousUser:
    """A previous roster's user: its roster entry's values (strings; the file may have been
    hand-edited), its aliases a tuple. As slots, not as a dict with a list of aliases: 100,000 of
    those were 50 MB. ``entry()`` is its roster entry."""

    __slots__ = ROSTER_KEYS

    def __init__(self, user):
        for key in ROSTER_KEYS:
            if key != 'aliases':
                setattr(self, key, None if user.get(key) in (None, '') else str(user[key]).strip())
        self.email = _lower(self.email)
        self.state = self.state or 'present'
        aliases = user.get('aliases') or []
        self.aliases = tuple(sorted(_lower(str(alias)) for alias in (aliases if isinstance(aliases, list) else [aliases])))

    def entry(self):
        return dict((key, list(self.aliases) if key == 'aliases' else getattr(self, key)) for key in ROSTER_KEYS)


def _lower(text):
    """``text.lower()``, the same object when it is already in lower case (most addresses are)."""
    lowered = text.lower()
    return text if lowered == text else lowered


def _leaver_state(state, rule):
    """``keep`` changes nothing; a leaver already absent is never brought back as disabled."""
    if rule == 'absent' or (rule == 'disable' and state == 'absent'):
        return 'absent'
    if rule == 'disable':
        return 'disabled'
    return state


def _suffix(email, local, domain):
    """1 for ``local@domain``, N for ``localN@domain``, else None: was ``email`` made from ``local``?"""
    head, _at, tail = email.partition('@')
    if tail != domain or not head.startswith(local):
        return None
    number = head[len(local):]
    if not number:
        return 1
    return int(number) if number.isdigit() and number[0] != '0' and int(number) >= 2 else None


def _candidates(local, domain):
    yield '%s@%s' % (local, domain)
    number = 2
    while True:
        yield '%s%d@%s' % (local, number, domain)
        number += 1


def _in_cycle(name, parents):
    seen = set()
    while name is not None:
        if name in seen:
            return True
        seen.add(name)
        name = parents.get(name)
    return False


def _add_department(name, departments, previous_parents):
    """A leaver's department stays in the tree, with its ancestors from the previous roster."""
    while name and name not in departments:
        parent = previous_parents.get(name)
        departments[name] = parent
        name = parent


def _parents_first(parents):
    """``(name, parent)`` depth-first from the roots, siblings sorted: a stable, readable order."""
    children = {}
    for name, parent in parents.items():
        children.setdefault(parent if parent in parents else None, []).append(name)
    ordered = []
    stack = sorted(children.get(None, []), reverse=True)
    while stack:
        name = stack.pop()
        ordered.append((name, parents[name] if parents[name] in parents else None))
        stack.extend(sorted(children.get(name, []), reverse=True))
    return ordered
