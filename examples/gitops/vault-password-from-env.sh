#!/bin/sh
# An ansible-vault password client for pipelines: prints the vault password from the environment
# (ANSIBLE_VAULT_PASSWORD, set from the CI's secret store), so it is never written to a file or
# into a shell command line. Use it as --vault-password-file (it must be executable).
exec printenv ANSIBLE_VAULT_PASSWORD
