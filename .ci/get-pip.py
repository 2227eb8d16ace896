"""Stand-in for pypa's get-pip.py, for ansible-test's sanity and units virtual environments.

ansible-test bootstraps pip into each empty virtual environment it creates by running a get-pip.py
that it downloads from its own file host. Where only the package index is reachable, this script
takes that place (see .ci/ansible-test): it installs the interpreter's bundled pip with ensurepip,
then lets that pip install the exact pip version ansible-test asked for from the package index.
It takes the same arguments as get-pip.py: pip's install arguments plus --no-setuptools/--no-wheel.
"""

import subprocess
import sys

GET_PIP_ONLY = ('--no-setuptools', '--no-wheel')


def main():
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    pip = [sys.executable, '-m', 'pip', '--disable-pip-version-check']
    subprocess.run([sys.executable, '-m', 'ensurepip', '--default-pip'], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(pip + ['install', '--upgrade', '--force-reinstall'] + args, check=True)
    # ensurepip also brings setuptools on Python < 3.12; get-pip.py installs neither when told not to.
    for package, flag in (('setuptools', '--no-setuptools'), ('wheel', '--no-wheel')):
        if flag in sys.argv[1:]:
            subprocess.run(pip + ['uninstall', '--yes', package], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
