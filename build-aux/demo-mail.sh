# build-aux/demo-mail.sh: the demo's e-mail, sourced by build-aux/demo. A real
# SMTP server on 127.0.0.1 (build-aux/mail-sink.py, python3-aiosmtpd) writes
# every e-mail the server sends to citizens as an .eml file in $state/mail;
# download links are signed with a secret kept in $state.
#
#   demo_mail_start              starts the sink (stopped with the demo), sets mail_dir
#   demo_mail_config             prints the [mail] and [links] groups of server.conf
#   demo_mail_stop               stops the sink

demo_mail_start () {
  mail_dir=$state/mail
  mail_port_file=$state/run-mail-sink.port
  mail_secret=$state/link-secret
  mkdir -p "$mail_dir"
  if [ ! -s "$mail_secret" ]; then
    (umask 077; openssl rand -base64 48 > "$mail_secret")
  fi
  rm -f "$mail_port_file"
  "$root/build-aux/mail-sink.py" --dir "$mail_dir" --port-file "$mail_port_file" --exit-with $$ \
    >> "$state/mail-sink.log" 2>&1 &
  mail_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$mail_port_file" ] && break
    kill -0 "$mail_pid" 2>/dev/null || die "the mail sink exited (log: $state/mail-sink.log)"
    sleep 0.1
  done
  [ -s "$mail_port_file" ] || die "the mail sink did not start (log: $state/mail-sink.log)"
  mail_port=$(cat "$mail_port_file")
  end "127.0.0.1:$mail_port, e-mails in ${mail_dir#$root/}"
}

demo_mail_config () {
  cat <<CONF

[mail]
smtp-url=smtp://127.0.0.1:$mail_port
from=Sportello demo <noreply@sportello-demo.example>
starttls=off

[links]
secret-file=$mail_secret
public-url=$url
CONF
}

demo_mail_stop () {
  if [ -n "${mail_pid:-}" ] && kill -0 "$mail_pid" 2>/dev/null; then
    kill -TERM "$mail_pid" 2>/dev/null || true
  fi
  mail_pid=
}
