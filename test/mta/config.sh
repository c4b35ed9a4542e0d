# Sourced by setup.sh: writes the Postfix and Dovecot configuration under .mta/. Expects $root,
# $mta, $var, $host, the $port_* numbers, $user, $password and $delivery_user/$delivery_group.

write_postfix_config() {
  local uid gid
  uid="$(id -u "$delivery_user")"
  gid="$(getent group "$delivery_group" | cut -d: -f3)"
  mkdir -p "$mta/postfix"
  # Every path is absolute and inside .mta/; the program locations are the Debian defaults.
  cat >"$mta/postfix/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $var/spool
data_directory = $var/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $var/log/postfix.log
maillog_file_prefixes = $var/log
myhostname = mail.smtp-notify.test
mydomain = smtp-notify.test
myorigin = \$myhostname
inet_interfaces = $host
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
# Deliver nothing locally and relay nothing: only the virtual domain below is ours.
mydestination =
relayhost =
relay_domains =
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = smtp-notify.test
virtual_mailbox_base = $var/mail
# Maildir (trailing /): one file per message. Any other address is refused at RCPT (5.1.1).
virtual_mailbox_maps = inline:{ inbox@smtp-notify.test=inbox/, other@smtp-notify.test=other/ }
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
virtual_minimum_uid = $uid
smtpd_reject_unlisted_recipient = yes
message_size_limit = 10485760
# SMTP smuggling defence (CVE-2023-51764). The exclusions default to \$mynetworks, which would
# exempt 127.0.0.1 and so every test client: exempt nobody.
smtpd_forbid_bare_newline = reject
smtpd_forbid_bare_newline_exclusions =
smtpd_tls_cert_file = $root/test/fixtures/tls/server.pem
smtpd_tls_key_file = $root/test/fixtures/tls/server-key.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_sasl_type = dovecot
# Relative to queue_directory: the Dovecot auth socket is created in the queue's private/.
smtpd_sasl_path = private/auth
smtpd_sasl_auth_enable = no
smtpd_relay_restrictions = reject_unauth_destination
# Tests compare delivered bytes with sent bytes: never add or rewrite headers (Postfix would
# otherwise add Date/From/Message-ID/To and qualify addresses for clients on 127.0.0.1).
local_header_rewrite_clients =
CONF
  write_postfix_master
}

write_postfix_master() {
  # Three listeners on loopback; no chroot (n), so no copies of /etc files are needed.
  cat >"$mta/postfix/master.cf" <<CONF
$host:$port_plain inet n - n - - smtpd
  -o syslog_name=postfix/plain
  -o smtpd_tls_security_level=none
  -o smtpd_sasl_auth_enable=no
$host:$port_submission inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
$host:$port_smtps inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
}

write_dovecot_config() {
  mkdir -p "$mta/dovecot"
  # passwd-file with {PLAIN}: the one stored form from which Dovecot can answer PLAIN, LOGIN,
  # CRAM-MD5 (needs the secret itself) and SCRAM-SHA-256 (derives the salted keys) alike.
  printf '%s:{PLAIN}%s\n' "$user" "$password" >"$mta/dovecot/users"
  chmod 600 "$mta/dovecot/users"
  cat >"$mta/dovecot/dovecot.conf" <<CONF
instance_name = smtp-notify-mta
base_dir = $var/dovecot
state_dir = $var/dovecot/state
log_path = $var/log/dovecot.log
info_log_path = $var/log/dovecot.log
# Authentication only: no IMAP/POP3 listeners, no TLS of its own (Postfix does TLS).
protocols = none
ssl = no
auth_mechanisms = plain login cram-md5 scram-sha-256
# Postfix relays the client's AUTH over a local socket; it already enforces TLS before AUTH.
disable_plaintext_auth = no
auth_verbose = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $mta/dovecot/users
}
userdb {
  driver = static
  args = uid=$delivery_user gid=$delivery_group home=/nonexistent
}
# Each failed AUTH from an IP would delay every later AUTH from it (up to 15 s, the anvil auth
# penalty): the wrong-password tests would slow the rest. The 2 s failure delay stays.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  # Root so the passwd-file is readable wherever the checkout lives.
  user = root
  unix_listener $var/spool/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
CONF
}
