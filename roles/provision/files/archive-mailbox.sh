#!/usr/bin/env bash
# Archive one user's mailbox as a tar.gz of a Maildir (mode 0600), which `doveadm import -s
# maildir:<extracted>/Maildir "" all` brings back. Usage: archive-mailbox.sh DOVECOT_CONF EMAIL DEST
# doveadm writes as the user's mail uid, so it syncs into a private staging directory that uid
# owns; root then packs it where only root can read it.
set -euo pipefail
config=$1 user=$2 dest=$3
uid=$(doveadm -c "$config" user -f uid "$user")
gid=$(doveadm -c "$config" user -f gid "$user")
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
chown "$uid:$gid" "$staging"
doveadm -c "$config" backup -u "$user" "maildir:$staging/Maildir"
umask 077
tar -C "$staging" -czf "$dest.partial" Maildir
mv "$dest.partial" "$dest"
echo "$dest"
